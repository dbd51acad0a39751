-- The first page (50) of the agents that have the "policy" block (every tenth agent).
SELECT * FROM letta_block_agents((SELECT id FROM bench.block WHERE name = 'policy'));
