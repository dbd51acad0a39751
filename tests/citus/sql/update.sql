-- ALTER EXTENSION ... UPDATE on a distributed database: the previous release, installed on the
-- coordinator (Citus installs it on the workers too) with data written by its API
-- (tests/upgrade/data_*.sql; tests/citus/run prepares the database letta_update), with a Letta
-- database imported into it (a one-node database moving to Citus), distributed by that
-- release, then updated to this version on every node: every row stays on its shard, and the
-- calls answer from there.
\c letta_update
SELECT extversion AS before FROM pg_extension WHERE extname = 'letta_identity';
CREATE SCHEMA test;
GRANT USAGE ON SCHEMA test TO PUBLIC;
CREATE FUNCTION test.error_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;
CREATE SCHEMA letta;
CREATE TABLE letta.identities (id text, organization_id text, identifier_key text, name text, identity_type text);
CREATE TABLE letta.agents (id text, organization_id text, name text);
CREATE TABLE letta.agents_tags (agent_id text, tag text);
CREATE TABLE letta.identities_agents (identity_id text, agent_id text);
INSERT INTO letta.identities VALUES
    ('identity-0b6c3f2e-8d1a-4e5f-9a7b-1c2d3e4f5a6b', 'org-5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716', 'letta_user', 'Lee', 'user');
INSERT INTO letta.agents VALUES
    ('agent-1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'org-5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716', 'imported one'),
    ('agent-2e3d4c5b-6f7a-4b8c-9d0e-1f2a3b4c5d6e', 'org-5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716', 'imported two');
INSERT INTO letta.agents_tags VALUES ('agent-1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d', 'from-letta');
INSERT INTO letta.identities_agents VALUES
    ('identity-0b6c3f2e-8d1a-4e5f-9a7b-1c2d3e4f5a6b', 'agent-1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d'),
    ('identity-0b6c3f2e-8d1a-4e5f-9a7b-1c2d3e4f5a6b', 'agent-2e3d4c5b-6f7a-4b8c-9d0e-1f2a3b4c5d6e');
SELECT kind, outcome, rows FROM letta_import_from_letta('letta');
-- (The data's role that acts for end users is lifted first: 0.6.0 distributed no database
-- with one; end users came to Citus in 0.7.0.)
SELECT letta_require_end_user('letta_upgrade_end_user', false);
SELECT cardinality(letta_distribute(shard_count => 4)) AS distributed_tables;
SELECT (SELECT count(*) FROM letta_identities) AS identities, (SELECT count(*) FROM letta_agents) AS agents,
       (SELECT count(*) FROM letta_identities_agents) AS links, (SELECT count(*) FROM letta_blocks) AS blocks,
       (SELECT count(*) FROM letta_blocks_agents) AS memory, (SELECT count(*) FROM letta_agents_tags) AS tag_entries \gset before_
SET client_min_messages = warning;
ALTER EXTENSION letta_identity UPDATE;
RESET client_min_messages;
SELECT e.extversion = a.default_version AS updated,
       (SELECT bool_and(w.result = e.extversion) FROM run_command_on_workers(
            $$SELECT extversion FROM pg_extension WHERE extname = 'letta_identity'$$) w) AS updated_on_workers
  FROM pg_extension e, pg_available_extensions a WHERE e.extname = 'letta_identity' AND a.name = e.extname;
SELECT (SELECT count(*) FROM letta_identities) = :before_identities AS identities_kept,
       (SELECT count(*) FROM letta_agents) = :before_agents AS agents_kept,
       (SELECT count(*) FROM letta_identities_agents) = :before_links AS links_kept,
       (SELECT count(*) FROM letta_blocks) = :before_blocks AS blocks_kept,
       (SELECT count(*) FROM letta_blocks_agents) = :before_memory AS memory_kept,
       (SELECT count(*) FROM letta_agents_tags) = :before_tag_entries AS tag_index_kept,
       (SELECT count(*) FROM letta_agents_tags) = (SELECT count(*) FROM letta_agents, unnest(tags)) AS tag_index_whole;
-- The calls, in Letta's default organization, where the data was written. (A call in a
-- statement of its own: in a statement that Citus routes to a worker, such as one reading a
-- table for one organization, the call would go with it, and fail there.)
SELECT letta_count_agents() AS counted \gset
SELECT :counted = count(*) AS counted FROM letta_agents
 WHERE organization_id = '00000000-0000-4000-8000-000000000000' AND NOT hidden;
SELECT count(*) > 0 AS listed FROM letta_list_agents(tags => ARRAY['t1']);
-- The administrator's step after the update (CHANGELOG, 0.7.0): the agents' GIN index keyed
-- by organization and tag, on every shard; the tag filters then find the agents by it.
DROP INDEX letta_agents_tags_idx;
CREATE INDEX letta_agents_tags_idx ON letta_agents
    USING gin (_letta_org_tags(organization_id, tags) letta_tags_ops) WITH (fastupdate = off);
ALTER INDEX letta_agents_tags_idx ALTER COLUMN 1 SET STATISTICS 0;
SELECT count(*) = (SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'letta_agents'::regclass) AS rebuilt_on_every_shard
  FROM run_command_on_shards('letta_agents', $$SELECT bool_or(pg_get_indexdef(indexrelid) LIKE '%%_letta_org_tags%%') FROM pg_index WHERE indrelid = '%s'::regclass$$)
 WHERE result = 't';
SELECT letta_count_agents(tags => ARRAY['t1'], match_all_tags => true) AS counted_t1 \gset
SELECT :counted_t1 = count(*) AS counted_by_tag FROM letta_agents
 WHERE organization_id = '00000000-0000-4000-8000-000000000000' AND NOT hidden AND tags @> ARRAY['t1'];
SET letta.organization_id = 'org-5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716';
SELECT name, tags FROM letta_agents_by_key(ARRAY['letta_user']) ORDER BY name;
RESET letta.organization_id;
SELECT name FROM letta_create_agent(name => 'after the update', tags => ARRAY['t1']);
SELECT count(*) AS shards_on_workers FROM pg_dist_shard_placement p JOIN pg_dist_shard s USING (shardid)
 WHERE s.logicalrelid = 'letta_agents'::regclass;
-- End users on a database distributed before 0.7.0: refused (the shards have no end users'
-- policies) until an administrator requires end users of a role, which gives the shards the
-- policies (the organization's, per command) and makes the requirements a reference table,
-- read on every node; then the role must name one end user, and sees that user's rows only.
ALTER ROLE letta_upgrade_end_user LOGIN;  -- (Citus reaches the workers as the role)
SET ROLE letta_upgrade_end_user;
BEGIN;
SET LOCAL letta.identifier_key = 'user_1';
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$) AS refused;
ROLLBACK;
RESET ROLE;
SELECT letta_require_end_user('letta_upgrade_end_user');
SELECT (SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'letta_role_end_users'::regclass) AS reference_table,
       (SELECT array_agg(DISTINCT s.result) FROM run_command_on_shards('letta_agents',
            $$SELECT count(*) FROM pg_policy WHERE polrelid = '%s'::regclass AND polname LIKE 'letta\_organization%%'$$) s) AS policies_on_shards;
SET ROLE letta_upgrade_end_user;
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
BEGIN;
SET LOCAL letta.identifier_key = 'user_1';
SELECT count(*) > 0 AS has_agents,
       count(*) = (SELECT count(*) FROM letta_agents) AS sees_only_those,
       bool_and(identity_ids && ARRAY(SELECT id FROM letta_list_identities())) AS all_linked_to_user_1
  FROM letta_list_agents(page_size => 1000);
SELECT DISTINCT identifier_key FROM letta_list_identities();
COMMIT;
RESET ROLE;
SELECT letta_drop_distributed_tables() IS NOT NULL AS dropped;
\c letta_citus
