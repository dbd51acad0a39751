-- What planner statistics tell a bound role (README, Security model). PostgreSQL keeps them per
-- table, over every organization's rows, and uses them under row-level security for leakproof
-- operators (text and uuid comparisons, the tag operators): a role's EXPLAIN estimates would
-- follow other organizations' values, and range conditions would read the values themselves
-- off the histograms. The extension keeps none on what its tables hold (every column but the
-- ids and times): every such estimate is blind.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'letta_stats_a') THEN
        CREATE ROLE letta_stats_a LOGIN;
    END IF;
END
$$;
SELECT letta_bind_role('letta_stats_a', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
GRANT USAGE ON SCHEMA test TO letta_stats_a;

-- The planner's row estimate for a query on a table, as the current role sees it.
CREATE FUNCTION test.estimate(query text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END
$$;

-- Organization B uses a tag and a name on 2,000 agents, and a memory text on 500 blocks; A
-- never uses them.
BEGIN;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
SELECT cardinality(letta_create_agents((SELECT jsonb_agg(jsonb_build_object('name', 'b-bot',
    'tags', jsonb_build_array('secret-project-x'))) FROM generate_series(1, 2000) n))) AS created;
SELECT count(*) AS blocks FROM generate_series(1, 500) n, letta_create_block('human', 'b secret value ' || n);
COMMIT;
ANALYZE letta_agents, letta_blocks, letta_agents_tags;
-- Statistics of the ids and times only (the columns of the analyzed tables that have some).
SELECT count(*) FILTER (WHERE a.atttypid NOT IN ('uuid'::regtype, 'timestamptz'::regtype)) AS content_columns_with_statistics,
       count(*) FILTER (WHERE a.attname = 'organization_id') > 0 AS organization_id_has_them
  FROM pg_statistic s JOIN pg_attribute a ON a.attrelid = s.starelid AND a.attnum = s.staattnum
 WHERE s.starelid = ANY (_letta_tenant_tables());
SET ROLE letta_stats_a;
SELECT test.estimate($$SELECT id FROM letta_agents WHERE tags &&& ARRAY['secret-project-x']$$)
     = test.estimate($$SELECT id FROM letta_agents WHERE tags &&& ARRAY['no-such-tag']$$) AS any_of_tag_blind,
       test.estimate($$SELECT id FROM letta_agents WHERE tags @>> ARRAY['secret-project-x']$$)
     = test.estimate($$SELECT id FROM letta_agents WHERE tags @>> ARRAY['no-such-tag']$$) AS all_of_tag_blind,
       test.estimate($$SELECT agent_id FROM letta_agents_tags WHERE tag = 'secret-project-x'$$)
     = test.estimate($$SELECT agent_id FROM letta_agents_tags WHERE tag = 'no-such-tag'$$) AS tag_index_blind,
       test.estimate($$SELECT id FROM letta_agents WHERE name = 'b-bot'$$)
     = test.estimate($$SELECT id FROM letta_agents WHERE name = 'no-such-name'$$) AS name_blind;
-- A range of memory text (a prefix read a character at a time).
SELECT test.estimate($$SELECT id FROM letta_blocks WHERE value >= 'b secret' AND value < 'b secreu'$$)
     = test.estimate($$SELECT id FROM letta_blocks WHERE value >= 'b secrex' AND value < 'b secrey'$$) AS value_range_blind;
-- The keys keep theirs (the generic plans' row counts come from them): how the rows spread
-- over organizations shows, as pg_stat_user_tables shows how many there are.
SELECT test.estimate($$SELECT id FROM letta_agents WHERE organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'$$)
     > test.estimate($$SELECT id FROM letta_agents WHERE organization_id = 'ffffffff-ffff-4fff-8fff-ffffffffffff'$$) AS organization_estimate_follows_b;
SELECT count(*) AS rows_of_pg_stats FROM pg_stats WHERE tablename = 'letta_agents';
RESET ROLE;

SET letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
DELETE FROM letta_agents WHERE organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
DELETE FROM letta_blocks WHERE organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
RESET letta.organization_id;
ANALYZE letta_agents, letta_blocks;
DROP FUNCTION test.estimate(text);
REVOKE USAGE ON SCHEMA test FROM letta_stats_a;
SELECT letta_unbind_role('letta_stats_a') AS unbound;
DROP ROLE letta_stats_a;
