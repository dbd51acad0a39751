-- Add a tag to an agent, then remove it (two calls, two transactions), through the functions.
-- Agents of the dataset's second half: the deletes take agents from the first.
\set a random(:agents / 2, :agents)
SELECT letta_add_agent_tags(bench.agent_id(:a), ARRAY['bench-edit']);
SELECT letta_remove_agent_tags(bench.agent_id(:a), ARRAY['bench-edit']);
