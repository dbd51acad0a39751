-- What planner statistics tell a bound role (README, Security model). They are kept per table,
-- over every organization's rows, and PostgreSQL uses them under row-level security for
-- leakproof operators (the tag operators, text equality): the row estimates of a role's EXPLAIN
-- would follow other organizations' values. pg_stats hides them from the role. The extension
-- keeps none on tags; for the other columns an operator can do the same.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'letta_stats_a') THEN
        CREATE ROLE letta_stats_a LOGIN;
    END IF;
END
$$;
SELECT letta_bind_role('letta_stats_a', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
GRANT USAGE ON SCHEMA test TO letta_stats_a;

-- The planner's row estimate for a query on the agents, as the current role sees it.
CREATE FUNCTION test.estimate(condition text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) SELECT id FROM letta_agents WHERE ' || condition INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END
$$;

-- Organization B uses a tag, and a name, on 2,000 agents; A never uses them.
BEGIN;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
SELECT cardinality(letta_create_agents((SELECT jsonb_agg(jsonb_build_object('name', 'b-bot',
    'tags', jsonb_build_array('secret-project-x'))) FROM generate_series(1, 2000) n))) AS created;
COMMIT;
ANALYZE letta_agents;
SET ROLE letta_stats_a;
-- Tags: no statistics, every tag gets the same estimate.
SELECT test.estimate($$tags &&& ARRAY['secret-project-x']$$) = test.estimate($$tags &&& ARRAY['no-such-tag']$$) AS tag_estimate_is_blind,
       test.estimate($$tags @>> ARRAY['secret-project-x']$$) = test.estimate($$tags @>> ARRAY['no-such-tag']$$) AS all_of_estimate_is_blind;
-- Names (text equality): the estimate follows B's.
SELECT test.estimate($$name = 'b-bot'$$) > 10 * test.estimate($$name = 'no-such-name'$$) AS name_estimate_follows_b;
SELECT count(*) AS rows_of_pg_stats FROM pg_stats WHERE tablename = 'letta_agents';
RESET ROLE;
SELECT attname, attstattarget FROM pg_attribute
 WHERE attrelid IN ('letta_agents'::regclass, 'letta_blocks'::regclass) AND attname = 'tags' ORDER BY attrelid::regclass::text;

-- What an operator can do for a column: no statistics on it (the DELETE takes what an earlier
-- ANALYZE stored).
ALTER TABLE letta_agents ALTER COLUMN name SET STATISTICS 0;
DELETE FROM pg_statistic
 WHERE starelid = 'letta_agents'::regclass
   AND staattnum = (SELECT attnum FROM pg_attribute WHERE attrelid = 'letta_agents'::regclass AND attname = 'name');
ANALYZE letta_agents;
SET ROLE letta_stats_a;
SELECT test.estimate($$name = 'b-bot'$$) = test.estimate($$name = 'no-such-name'$$) AS name_estimate_is_blind;
RESET ROLE;

ALTER TABLE letta_agents ALTER COLUMN name SET STATISTICS -1;
SET letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
DELETE FROM letta_agents WHERE organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
RESET letta.organization_id;
ANALYZE letta_agents;
DROP FUNCTION test.estimate(text);
REVOKE USAGE ON SCHEMA test FROM letta_stats_a;
SELECT letta_unbind_role('letta_stats_a') AS unbound;
DROP ROLE letta_stats_a;
