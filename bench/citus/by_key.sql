\set k random(1, 2000)
SELECT * FROM letta_agents_by_key(ARRAY['user_' || :k]);
