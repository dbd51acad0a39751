-- One end user's agents: the transaction names the end user (letta.identifier_key), and the
-- list reads theirs by key.
\set k random(1, :identities)
BEGIN;
SELECT set_config('letta.identifier_key', 'user_' || :k, true);
SELECT * FROM letta_list_agents();
COMMIT;
