-- The agents of 10 identifier key(s), through the function.
\set k1 random(1, :identities)
\set k2 random(1, :identities)
\set k3 random(1, :identities)
\set k4 random(1, :identities)
\set k5 random(1, :identities)
\set k6 random(1, :identities)
\set k7 random(1, :identities)
\set k8 random(1, :identities)
\set k9 random(1, :identities)
\set k10 random(1, :identities)
SELECT * FROM letta_agents_by_key(ARRAY['user_' || :k1, 'user_' || :k2, 'user_' || :k3, 'user_' || :k4, 'user_' || :k5, 'user_' || :k6, 'user_' || :k7, 'user_' || :k8, 'user_' || :k9, 'user_' || :k10]);
