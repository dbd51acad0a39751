-- The read functions are inlined into the caller's query (no Function Scan), and the tag
-- filters are served by the GIN index on tags.
SELECT count(*) AS agents FROM (
    SELECT letta_create_agent(tags => ARRAY['common', 'band_' || (n % 50)] || CASE WHEN n % 500 = 0 THEN ARRAY['rare'] ELSE '{}' END)
      FROM generate_series(1, 2000) n
) made;
ANALYZE letta_agents;

SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM letta_list_agents(tags => ARRAY['rare']);
EXPLAIN (COSTS OFF) SELECT id FROM letta_list_agents(tags => ARRAY['rare', 'band_0'], match_all_tags => true);
SELECT count(*) AS rare FROM letta_list_agents(tags => ARRAY['rare']);
SELECT count(*) AS rare_and_band_0 FROM letta_list_agents(tags => ARRAY['rare', 'band_0'], match_all_tags => true);
RESET enable_seqscan;

-- The same for a bound role, under row-level security: the index serves the tag filter
-- because the extension's tag operators are leakproof (sql/tags.sql). With the built-in &&,
-- PostgreSQL reads every agent of the organization.
CREATE ROLE letta_plans_app;
SELECT letta_bind_role('letta_plans_app', 'org-00000000-0000-4000-8000-000000000000') AS bound;
SET ROLE letta_plans_app;
EXPLAIN (COSTS OFF) SELECT id FROM letta_list_agents(tags => ARRAY['rare']);
EXPLAIN (COSTS OFF) SELECT id FROM letta_list_agents(tags => ARRAY['rare', 'band_0'], match_all_tags => true);
SELECT count(*) AS rare FROM letta_list_agents(tags => ARRAY['rare']);
EXPLAIN (COSTS OFF) SELECT id FROM letta_agents WHERE tags &&& ARRAY['rare'];
EXPLAIN (COSTS OFF) SELECT id FROM letta_agents WHERE tags && ARRAY['rare'];
RESET ROLE;
SELECT letta_unbind_role('letta_plans_app') AS unbound;
DROP ROLE letta_plans_app;


-- Identities by property: the GIN index on properties (jsonb_path_ops).
SELECT count(*) AS identities FROM (
    SELECT letta_create_identity('user_' || n, 'User ' || n,
               properties => jsonb_build_array(jsonb_build_object('key', 'plan', 'type', 'string',
                                 'value', CASE WHEN n % 500 = 0 THEN 'pro' ELSE 'free' END)))
      FROM generate_series(1, 2000) n
) made;
ANALYZE letta_identities;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM letta_list_identities(property_key => 'plan', property_value => '"pro"');
SELECT count(*) AS pro FROM letta_list_identities(property_key => 'plan', property_value => '"pro"');

-- A user's agents: _letta_linked_agents finds their ids once (an initplan; inside, the unique
-- key finds the identity, the link's primary key its agents), which probe the primary key.
INSERT INTO letta_identities_agents
SELECT i.organization_id, i.id, a.id
  FROM (SELECT organization_id, id, row_number() OVER (ORDER BY created_at, substr(identifier_key, 6)::int) n
          FROM letta_identities) i
  JOIN (SELECT id, row_number() OVER (ORDER BY id) n FROM letta_agents) a ON a.n IN (i.n, i.n % 100 + 1);
ANALYZE letta_identities_agents;
-- letta_agents_by_key is PL/pgSQL with a generic plan: the plan of its one query, taken from
-- the function's own source, as that generic plan (the organization and the keys parameters).
CREATE FUNCTION test.generic_plan_of(fn regprocedure, params text, types text, args text)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    body text := substring((SELECT prosrc FROM pg_proc WHERE oid = fn) FROM 'RETURN QUERY\s+(.*?);\s*END');
    name text;
    n    integer := 0;
    line text;
BEGIN
    FOREACH name IN ARRAY string_to_array(params, ',') LOOP
        n := n + 1;
        body := regexp_replace(body, '\m' || name || '\M', '$' || n, 'g');
    END LOOP;
    EXECUTE format('PREPARE test_body(%s) AS %s', types, body);
    SET LOCAL plan_cache_mode = force_generic_plan;
    FOR line IN EXECUTE format('EXPLAIN (COSTS OFF) EXECUTE test_body(%s)', args) LOOP
        RETURN NEXT line;
    END LOOP;
    DEALLOCATE test_body;
END
$$;
BEGIN;
SELECT test.generic_plan_of('letta_agents_by_key(text[], boolean)', 'org,identifier_keys,include_hidden',
                            'uuid, text[], boolean', $$_letta_org(), ARRAY['user_1'], false$$) AS "QUERY PLAN";
COMMIT;
-- The list filters by key or identity probe the primary key with the linked ids (computed
-- once): no filter runs over every agent of the organization.
EXPLAIN (COSTS OFF) SELECT id FROM letta_list_agents(identifier_keys => ARRAY['user_1', 'user_2']);
SELECT id AS user_1 FROM letta_list_identities(identifier_key => 'user_1') \gset
CREATE FUNCTION test.plan(statement text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || statement LOOP
        RETURN NEXT test.masked(line);
    END LOOP;
END
$$;
SELECT test.plan(format('SELECT id FROM letta_identity_agents(%L)', :'user_1')) AS "QUERY PLAN";
SELECT count(*) AS agents_of_user_1_and_2 FROM letta_list_agents(identifier_keys => ARRAY['user_1', 'user_2']);
SELECT count(*) AS agents_of_user_1 FROM letta_identity_agents(:'user_1');
RESET enable_seqscan;

DELETE FROM letta_agents;
DELETE FROM letta_identities;
