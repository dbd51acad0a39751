-- Create an agent with 5 tags, linked to an identity, in Letta's tables: the agent row, its tag
-- rows and its link, in one statement (Letta's ORM sends them as separate statements).
\set i random(1, :identities)
\set t1 random_zipfian(1, 1000, 1.01)
\set t2 random_zipfian(1, 1000, 1.01)
\set t3 random_zipfian(1, 1000, 1.01)
\set t4 random_zipfian(1, 1000, 1.01)
\set t5 random_zipfian(1, 1000, 1.01)
WITH agent AS (
    INSERT INTO letta_baseline.agents (id, name, organization_id, llm_config, embedding_config, metadata_, hidden)
    VALUES ('agent-' || gen_random_uuid(), 'new agent', 'org-00000000-0000-4000-8000-000000000000', '{"model": "openai/gpt-4o-mini"}',
            '{"embedding_model": "openai/text-embedding-3-small"}', '{}', false)
    RETURNING id
), tags AS (
    INSERT INTO letta_baseline.agents_tags (agent_id, tag)
    SELECT DISTINCT agent.id, t FROM agent, unnest(ARRAY[bench.tag(:t1), bench.tag(:t2), bench.tag(:t3), bench.tag(:t4), bench.tag(:t5)]) t
), link AS (
    INSERT INTO letta_baseline.identities_agents (identity_id, agent_id)
    SELECT bench.identity_id(:i), agent.id FROM agent
)
SELECT id FROM agent;
