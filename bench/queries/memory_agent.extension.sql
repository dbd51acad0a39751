-- An agent's whole memory (its blocks and its identities' blocks), through the function:
-- one agent in ten has two blocks of its own, one identity in ten a block.
\set a random(1, :agents)
SELECT * FROM letta_agent_memory(bench.agent_id(:a));
