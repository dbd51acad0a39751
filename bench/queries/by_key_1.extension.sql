-- The agents of 1 identifier key(s), through the function.
\set k1 random(1, :identities)
SELECT * FROM letta_agents_by_key(ARRAY['user_' || :k1]);
