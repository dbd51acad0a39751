-- Row-level security holds on the distributed tables: the policies run on the workers, where
-- _letta_org() reads the node's copy of the role bindings, and a role that names its
-- organization per transaction has its SET LOCAL carried to the workers.
CREATE ROLE letta_citus_a LOGIN;
CREATE ROLE letta_citus_b LOGIN;
CREATE ROLE letta_citus_switcher LOGIN;
SELECT letta_bind_role('letta_citus_a', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa') AS bound;
SELECT letta_bind_role('letta_citus_b', 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb') AS bound;
SELECT letta_allow_switching('letta_citus_switcher') AS switching;
SELECT array_agg(result ORDER BY nodeport) AS bindings_on_workers
  FROM run_command_on_workers($$SELECT count(*) FROM letta_role_organizations$$);

-- A bound role writes and reads its own organization's rows only.
SET ROLE letta_citus_a;
INSERT INTO letta_identities (organization_id, identifier_key, name, identity_type)
VALUES ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'user_1', 'User of A', 'user');
INSERT INTO letta_agents (organization_id, name, tags)
VALUES ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'agent of A', '{shared,a}');
-- (The worker names the shard: its number masked.)
SELECT regexp_replace(test.error_of($$ INSERT INTO letta_identities (organization_id, identifier_key, name, identity_type)
                        VALUES ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'user_1', 'Not mine', 'user') $$),
                      '_[0-9]+"', '_<shard>"') AS refused;
SELECT identifier_key, name FROM letta_identities;
SELECT letta_current_organization();
RESET ROLE;

SET ROLE letta_citus_b;
INSERT INTO letta_agents (organization_id, name, tags)
VALUES ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'agent of B', '{shared,b}');
SELECT count(*) AS identities_b_sees FROM letta_identities;
SELECT name FROM letta_agents;
SELECT tag FROM letta_agents_tags ORDER BY tag;
-- Another organization's rows are out of sight: nothing to update (A's agent keeps its name below).
UPDATE letta_agents SET name = 'taken' WHERE organization_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
RESET ROLE;

-- A switching role: the organization of this transaction, on every node.
SET ROLE letta_citus_switcher;
BEGIN;
SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
SELECT name FROM letta_agents;
COMMIT;
BEGIN;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
SELECT name FROM letta_agents;
COMMIT;
SELECT test.error_of($$ SELECT name FROM letta_agents $$);
RESET ROLE;

SELECT name FROM letta_agents ORDER BY name;

-- End users on Citus (tests/pg_regress/sql/end_users.sql runs whole on the distributed
-- database too): a role that may switch names the organization and the end user with
-- set_config, which Citus does not carry to the workers by itself; the end user's scope holds
-- there all the same. Not a member of letta_end_users: refused on the coordinator.
SET ROLE letta_citus_switcher;
BEGIN;
SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
SET LOCAL letta.identifier_key = 'user_1';
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
ROLLBACK;
RESET ROLE;
SELECT letta_require_end_user('letta_citus_switcher');
-- Every node holds the requirement and the membership.
SELECT array_agg(result ORDER BY nodeport) AS required_and_member_on_workers
  FROM run_command_on_workers($$SELECT count(*)::text || ' ' || pg_has_role('letta_citus_switcher', 'letta_end_users', 'MEMBER')
                                 FROM letta_role_end_users$$);
SELECT id AS other_agent FROM letta_agents WHERE name = 'agent of A' \gset
SET ROLE letta_citus_switcher;
BEGIN;
SELECT set_config('letta.organization_id', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', true),
       set_config('letta.identifier_key', 'citus_end_user', true) IS NOT NULL AS named;
SELECT identifier_key FROM letta_create_identity('citus_end_user', 'Citus end user');
SELECT name FROM letta_create_agent(name => 'end user''s on citus', tags => ARRAY['eu']);
SELECT name FROM letta_list_agents();
SELECT count(*) AS agents_seen_directly FROM letta_agents;
SAVEPOINT other_user;
SELECT set_config('letta.identifier_key', 'nobody_here', true) IS NOT NULL AS named;
SELECT count(*) AS agents_of_nobody FROM letta_list_agents();
ROLLBACK TO SAVEPOINT other_user;
SELECT name FROM letta_list_agents(tags => ARRAY['eu']);
-- An attacker's ways to make another's agent theirs: an insert of its id that does nothing,
-- the claim and the functions' notice called directly. None counts (the worker checks that
-- this transaction wrote the row).
INSERT INTO letta_agents (organization_id, id, name) VALUES ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', :'other_agent', 'taken')
    ON CONFLICT DO NOTHING;
SELECT _letta_end_user_claim('agent', :'other_agent') AS claimed;
SELECT _letta_end_user_wrote('agent', ARRAY[:'other_agent']::uuid[]);
SELECT count(*) AS others_agent_seen FROM letta_agents WHERE id = :'other_agent';
SELECT name FROM letta_list_agents();
ROLLBACK;
-- On a worker, a connection of the role's own (as an attacker with the login would open):
-- the requirement holds there too.
RESET ROLE;
SELECT nodeport > 0 AS worker, result AS without_an_end_user FROM run_command_on_workers($$DO $d$
    DECLARE n bigint;
    BEGIN
        SET LOCAL ROLE letta_citus_switcher;
        SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
        SELECT count(*) INTO n FROM letta_agents;
        RAISE EXCEPTION 'saw % agents', n;
    END $d$ $$) ORDER BY nodeport;
SELECT nodeport > 0 AS worker, result AS for_an_end_user_of_nothing FROM run_command_on_workers($$DO $d$
    DECLARE n bigint;
    BEGIN
        SET LOCAL ROLE letta_citus_switcher;
        SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
        SET LOCAL letta.identifier_key = 'nobody_here';
        SELECT count(*) INTO n FROM letta_agents;
        RAISE EXCEPTION 'saw % agents', n;
    END $d$ $$) ORDER BY nodeport;
SET ROLE letta_citus_switcher;
BEGIN;
SELECT set_config('letta.organization_id', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', true);
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$);
ROLLBACK;
RESET ROLE;
SELECT letta_require_end_user('letta_citus_switcher', false);
