-- What planner statistics tell a bound role (README, Organizations and security). They are
-- kept per table, over every organization's rows, and PostgreSQL uses them under row-level
-- security for leakproof operators (the tag operators, text equality): the row estimates of a
-- role's EXPLAIN follow other organizations' values. pg_stats hides them from the role.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'letta_stats_a') THEN
        CREATE ROLE letta_stats_a LOGIN;
    END IF;
END
$$;
SELECT letta_bind_role('letta_stats_a', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
GRANT USAGE ON SCHEMA test TO letta_stats_a;

-- The planner's row estimate for the agents with a tag, as the current role sees it.
CREATE FUNCTION test.tag_estimate(tag text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE format('EXPLAIN (FORMAT JSON) SELECT id FROM letta_agents WHERE tags &&& ARRAY[%L]', tag) INTO plan;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
END
$$;

-- Organization B uses a tag on 2,000 agents; A never uses it.
BEGIN;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
SELECT cardinality(letta_create_agents((SELECT jsonb_agg(jsonb_build_object('name', 'b' || n,
    'tags', jsonb_build_array('secret-project-x'))) FROM generate_series(1, 2000) n))) AS created;
COMMIT;
ANALYZE letta_agents;
SET ROLE letta_stats_a;
SELECT test.tag_estimate('secret-project-x') > 10 * test.tag_estimate('no-such-tag') AS estimate_follows_b;
SELECT count(*) AS rows_of_pg_stats FROM pg_stats WHERE tablename = 'letta_agents';
RESET ROLE;

-- What an operator can do: no statistics on tags (then every tag gets the same estimate, as in
-- a generic plan; BENCHMARKS.md has the cost).
ALTER TABLE letta_agents ALTER COLUMN tags SET STATISTICS 0;
DELETE FROM pg_statistic
 WHERE starelid = 'letta_agents'::regclass
   AND staattnum = (SELECT attnum FROM pg_attribute WHERE attrelid = 'letta_agents'::regclass AND attname = 'tags');
ANALYZE letta_agents;
SET ROLE letta_stats_a;
SELECT test.tag_estimate('secret-project-x') = test.tag_estimate('no-such-tag') AS estimate_is_blind;
RESET ROLE;

ALTER TABLE letta_agents ALTER COLUMN tags SET STATISTICS -1;
SET letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
DELETE FROM letta_agents WHERE organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
RESET letta.organization_id;
ANALYZE letta_agents;
DROP FUNCTION test.tag_estimate(text);
REVOKE USAGE ON SCHEMA test FROM letta_stats_a;
SELECT letta_unbind_role('letta_stats_a') AS unbound;
DROP ROLE letta_stats_a;
