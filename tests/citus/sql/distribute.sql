-- letta_distribute() on a coordinator with two workers: every tenant table hash-distributed
-- by organization_id, all in one colocation group; the role bindings a reference table.
SET client_min_messages = warning;
CREATE EXTENSION letta_identity CASCADE;
RESET client_min_messages;
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

-- A role that must act for end users stays so through distribution: which roles must is a
-- reference table then, read on every node, as the bindings are.
CREATE ROLE letta_citus_end_users;
SELECT letta_bind_role('letta_citus_end_users', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
SELECT letta_require_end_user('letta_citus_end_users');

SELECT letta_distribute(shard_count => 4);
-- (citus_tables leaves out tables that belong to an extension: Citus's own catalog, then.)
SELECT p.logicalrelid AS table_name,
       CASE p.partmethod WHEN 'h' THEN 'distributed' WHEN 'n' THEN 'reference' END AS kind,
       column_to_column_name(p.logicalrelid, p.partkey) AS distribution_column,
       (SELECT count(*) FROM pg_dist_shard s WHERE s.logicalrelid = p.logicalrelid) AS shards
  FROM pg_dist_partition p ORDER BY p.logicalrelid::text;
SELECT count(DISTINCT colocationid) AS colocation_groups FROM pg_dist_partition WHERE partmethod = 'h';
-- Every node has the extension; the workers hold the shards.
SELECT array_agg(result ORDER BY nodeport) AS extension_on_workers
  FROM run_command_on_workers($$SELECT count(*) FROM pg_extension WHERE extname = 'letta_identity'$$);

-- What distribution changed besides the tables: the policies call _letta_org() and the end
-- users' functions without a subquery (Citus refuses subqueries in policies), the end user's
-- rule joined to the organization's per command in permissive policies (Citus makes a shard's
-- policies permissive); every shard has them; no function forces generic plans any more.
SELECT tablename, qual FROM pg_policies WHERE policyname = 'letta_organization' ORDER BY tablename;
SELECT tablename, string_agg(cmd || CASE WHEN with_check IS NOT NULL THEN ' (checked)' ELSE '' END, ', ' ORDER BY cmd) AS commands,
       bool_and(permissive = 'PERMISSIVE') AS permissive
  FROM pg_policies WHERE tablename = ANY (_letta_tenant_tables()::text[]) GROUP BY tablename ORDER BY tablename;
SELECT tablename, cmd, with_check FROM pg_policies
 WHERE tablename IN ('letta_agents', 'letta_identities_agents') AND cmd IN ('INSERT', 'UPDATE') ORDER BY 1, 2;
SELECT t AS distributed_table,
       (SELECT array_agg(DISTINCT s.result ORDER BY s.result) FROM run_command_on_shards(t,
            $$SELECT count(*) FILTER (WHERE polpermissive) || ' of ' || count(*) FROM pg_policy WHERE polrelid = '%s'::regclass$$) s)
           AS permissive_policies_on_each_shard
  FROM unnest(_letta_tenant_tables()) t;
SELECT role_name FROM letta_role_end_users;
SELECT letta_unbind_role('letta_citus_end_users');
DROP ROLE letta_citus_end_users;
SELECT count(*) FILTER (WHERE 'plan_cache_mode=force_generic_plan' = ANY (proconfig)) AS forcing_generic,
       count(*) FILTER (WHERE 'plan_cache_mode=auto' = ANY (proconfig)) > 0 AS letting_choose
  FROM pg_proc WHERE proname LIKE 'letta\_%' OR proname LIKE '\_letta\_%';

-- Once only.
SELECT test.error_of($$ SELECT letta_distribute() $$);
SELECT test.error_of($$ SELECT letta_distribute(shard_count => -1) $$);
