-- Writes are atomic per organization: a create with links, a bulk load of 10,000 agents and a
-- delete with its cascades each commit in one transaction on the one worker that holds the
-- organization, without two-phase commit. Citus records every two-phase commit in
-- pg_dist_transaction (the nodes of this suite never clean it: citus.recover_2pc_interval = -1).
SELECT count(*) AS two_phase_before FROM pg_dist_transaction \gset

SET ROLE letta_citus_a;
SELECT identifier_key FROM letta_create_identity('bulk_owner', 'Owner of the bulk load');
SELECT id AS owner FROM letta_list_identities(identifier_key => 'bulk_owner') \gset
-- 10,000 agents in one call, as the bound role (row-level security on every row), each linked
-- to the owner; the first and last by their given ids.
SELECT cardinality(ids) AS created, ids[1] AS first, ids[10000] AS last
  FROM letta_create_agents((
      SELECT jsonb_agg(jsonb_build_object('name', 'bulk ' || n, 'tags', ARRAY['bulk', 'n' || n % 10],
                                          'identity_ids', ARRAY[:'owner'])
                       || CASE WHEN n IN (1, 10000) THEN jsonb_build_object('id', test.agent(100000 + n)) ELSE '{}' END
                       ORDER BY n)
        FROM generate_series(1, 10000) n)) AS ids;
SELECT letta_count_agents(tags => ARRAY['bulk']) AS bulk, letta_count_agents(identifier_keys => ARRAY['bulk_owner']) AS linked,
       letta_count_agents(tags => ARRAY['bulk', 'n7'], match_all_tags => true) AS n7;
SELECT count(*) AS page FROM letta_list_agents(tags => ARRAY['n3'], page_size => 3);
-- All or nothing: one bad element (the last) and none of the 10,000 stay.
SELECT test.error_of($$ SELECT letta_create_agents((
    SELECT jsonb_agg(jsonb_build_object('name', 'doomed ' || n) || CASE WHEN n = 10000 THEN '{"context_window_limit": 0}'::jsonb ELSE '{}' END)
      FROM generate_series(1, 10000) n)) $$);
SELECT letta_count_agents(query_text => 'doomed') AS doomed_left;
-- A create with links; a delete that cascades to the links and the tag index.
SELECT name FROM letta_create_agent(name => 'linked one', tags => ARRAY['bulk'], identity_ids => ARRAY[:'owner']);
SELECT letta_delete_identity(:'owner') AS owner_deleted;
SELECT letta_count_agents(identifier_keys => ARRAY['bulk_owner']) AS linked_after;
SELECT letta_delete_agent(test.agent(100001)) AS deleted;
RESET ROLE;
SELECT count(*) - :two_phase_before AS two_phase_commits FROM pg_dist_transaction;
SELECT * FROM test.tag_index_drift;

-- What the measure counts: a statement over every organization writes on every shard, and
-- commits in two phases (a record per connection it wrote on).
SELECT count(*) AS two_phase_before FROM pg_dist_transaction \gset
UPDATE letta_agents SET name = name;
SELECT count(*) - :two_phase_before > 0 AS two_phase_commits FROM pg_dist_transaction;

-- Clean up the bulk load for the files after this one.
DELETE FROM letta_agents WHERE organization_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' AND 'bulk' = ANY (tags);
