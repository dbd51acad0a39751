-- Add a tag to an agent, then remove it, in Letta's tables: its tag row and the agent's
-- updated_at, one statement each (Letta's update rewrites every tag row of the agent).
\set a random(:agents / 2, :agents)
WITH tag AS (INSERT INTO letta_baseline.agents_tags (agent_id, tag) VALUES (bench.agent_id(:a), 'bench-edit')
             ON CONFLICT DO NOTHING)
UPDATE letta_baseline.agents SET updated_at = now() WHERE id = bench.agent_id(:a);
WITH tag AS (DELETE FROM letta_baseline.agents_tags WHERE agent_id = bench.agent_id(:a) AND tag = 'bench-edit')
UPDATE letta_baseline.agents SET updated_at = now() WHERE id = bench.agent_id(:a);
