-- The lists are PL/pgSQL choosing among fixed-shape statements, each with a generic plan:
-- their plans, taken from the functions' own source (test.generic_plan_of), show the tag
-- pages reading the ordered tag index in list order, page-size entries per tag.
SELECT count(*) AS agents FROM (
    SELECT letta_create_agent(tags => ARRAY['common', 'band_' || (n % 50)] || CASE WHEN n % 500 = 0 THEN ARRAY['rare'] ELSE '{}' END)
      FROM generate_series(1, 2000) n
) made;
ANALYZE letta_agents, letta_agents_tags, letta_identities, letta_identities_agents, letta_identities_blocks;

-- The generic plan of one statement of a PL/pgSQL function, from the function's source: the
-- part of it that pattern captures (an assignment's expression, or a query), with the
-- variables named in params (in order) as parameters of types, planned with args.
CREATE FUNCTION test.generic_plan_of(fn regprocedure, pattern text, params text, types text, args text)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    body text := substring((SELECT prosrc FROM pg_proc WHERE oid = fn) FROM pattern);
    name text;
    n    integer := 0;
    line text;
BEGIN
    IF body IS NULL THEN
        RAISE EXCEPTION 'no statement matches % in %', pattern, fn;
    END IF;
    IF body !~* '^\s*(SELECT|WITH)' THEN
        body := 'SELECT ' || body;
    END IF;
    FOREACH name IN ARRAY string_to_array(params, ',') LOOP
        n := n + 1;
        -- (a.name is a column: only names not after a dot are variables)
        body := regexp_replace(body, '(^|[^.])\m' || name || '\M', '\1$' || n, 'g');
    END LOOP;
    EXECUTE format('PREPARE test_body(%s) AS %s', types, body);
    SET LOCAL plan_cache_mode = force_generic_plan;
    FOR line IN EXECUTE format('EXPLAIN (COSTS OFF) EXECUTE test_body(%s)', args) LOOP
        RETURN NEXT line;
    END LOOP;
    DEALLOCATE test_body;
END
$$;
-- The variables of letta_list_agents' page statements, and values for them.
\set page_params '\'org,wanted,lo_at,lo_id,hi_at,hi_id,newest,n,name,query_text,project_id,include_hidden,driver,walk,match_all_tags,linked,page,other,exclude_tags,all_tags,metadata\''
\set page_types '\'uuid, text[], timestamptz, uuid, timestamptz, uuid, boolean, integer, text, text, text, boolean, text, integer, boolean, uuid[], uuid[], text, text[], text[], jsonb\''
\set page_args '$$_letta_org(), ARRAY[''rare'', ''band_0''], ''-infinity'', NULL, ''infinity'', NULL, true, 50, NULL, NULL, NULL, false, ''rare'', 500, false, NULL, NULL, ''band_0'', NULL, NULL, NULL$$'

-- Any of the tags: per tag, the ordered tag index read backwards (newest first) or forwards
-- from the bound, each entry's agent checked by primary key, at most a page per tag; merged.
BEGIN;
SELECT test.generic_plan_of('letta_list_agents(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean, boolean, boolean, text[], text[], jsonb, text)',
                            'Any of the tags.*?page := (ARRAY\(.*?\));\n', :page_params, :page_types, :page_args) AS "QUERY PLAN";
COMMIT;
-- All of two common tags: the rarest tag's entries in list order, at most walk, the other
-- tag's entry probed as a semi-join (no subquery per entry).
BEGIN;
SELECT test.generic_plan_of('_letta_agents_all_tags(uuid, text[], timestamptz, uuid, timestamptz, uuid, boolean, integer, text, text, text, boolean, text[], text[], jsonb)',
                            'All of the tags.*?page := (ARRAY\(.*?\));\n', :page_params, :page_types, :page_args) AS "QUERY PLAN";
COMMIT;
-- All of more tags: each entry's other tags probed in the ordered tag index (index-only).
BEGIN;
SELECT test.generic_plan_of('_letta_agents_all_tags(uuid, text[], timestamptz, uuid, timestamptz, uuid, boolean, integer, text, text, text, boolean, text[], text[], jsonb)',
                            'ELSIF seen = rare THEN\s+?page := (ARRAY\(.*?\));\n', :page_params, :page_types, :page_args) AS "QUERY PLAN";
COMMIT;
-- No tags: the newest-first index from the bound.
BEGIN;
SELECT test.generic_plan_of('letta_list_agents(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean, boolean, boolean, text[], text[], jsonb, text)',
                            'No tags.*?page := (CASE.*?END);\n', :page_params, :page_types, :page_args) AS "QUERY PLAN";
COMMIT;
SELECT count(*) AS rare FROM letta_list_agents(tags => ARRAY['rare']);
SELECT count(*) AS rare_and_band_0 FROM letta_list_agents(tags => ARRAY['rare', 'band_0'], match_all_tags => true);
-- All of the tags, beyond the walk: the GIN index intersects them.
BEGIN;
SELECT test.generic_plan_of('_letta_agents_all_tags(uuid, text[], timestamptz, uuid, timestamptz, uuid, boolean, integer, text, text, text, boolean, text[], text[], jsonb)',
                            'beyond the last entry walked.*?page := page \|\| (ARRAY\(.*?\));\n', :page_params, :page_types, :page_args) AS "QUERY PLAN";
COMMIT;
-- order_by => 'updated_at'. No tags: the updated_at index from the bound, a page's worth.
-- With tags: the first walk agents on it, then beyond them the GIN index (one operand NULL).
BEGIN;
SELECT test.generic_plan_of('_letta_agents_by_update(uuid, _letta_agent_list_filters, timestamptz, uuid, timestamptz, uuid, boolean, integer, text, text, text, boolean)',
                            'ELSIF newest THEN.*?page := (ARRAY\(.*?\));\n', :page_params, :page_types, :page_args) AS "QUERY PLAN";
SELECT test.generic_plan_of('_letta_agents_by_update(uuid, _letta_agent_list_filters, timestamptz, uuid, timestamptz, uuid, boolean, integer, text, text, text, boolean)',
                            'ELSIF wanted IS NOT NULL THEN.*?page := (ARRAY\(.*?\));\n', :page_params, :page_types, :page_args) AS "QUERY PLAN";
SELECT test.generic_plan_of('_letta_agents_by_update(uuid, _letta_agent_list_filters, timestamptz, uuid, timestamptz, uuid, boolean, integer, text, text, text, boolean)',
                            'page := page \|\| (ARRAY\(.*?\));\n', :page_params, :page_types, :page_args) AS "QUERY PLAN";
COMMIT;
SELECT count(*) AS rare_by_update FROM letta_list_agents(tags => ARRAY['rare'], order_by => 'updated_at');
SELECT count(*) AS common_by_update FROM letta_list_agents(tags => ARRAY['common'], order_by => 'updated_at');

-- The same for a bound role, under row-level security: the index conditions stay index
-- conditions (the extension's tag operators, and the comparisons used, are leakproof).
CREATE ROLE letta_plans_app LOGIN;  -- LOGIN: on Citus the workers see the role itself
SELECT letta_bind_role('letta_plans_app', 'org-00000000-0000-4000-8000-000000000000') AS bound;
GRANT USAGE ON SCHEMA test TO letta_plans_app;
SET ROLE letta_plans_app;
BEGIN;
SELECT test.generic_plan_of('letta_list_agents(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean, boolean, boolean, text[], text[], jsonb, text)',
                            'Any of the tags.*?page := (ARRAY\(.*?\));\n', :page_params, :page_types, :page_args) AS "QUERY PLAN";
COMMIT;
SELECT count(*) AS rare FROM letta_list_agents(tags => ARRAY['rare']);
-- An application's own tag filter (docs/internals.md): the index's form, each tag with its
-- organization, finds the rows by index; tags &&& alone, or the built-in && (not leakproof),
-- read every agent of the organization.
EXPLAIN (COSTS OFF) SELECT id FROM letta_agents
 WHERE _letta_org_tags(organization_id, tags) &&& _letta_org_tags(_letta_org(), ARRAY['rare']);
EXPLAIN (COSTS OFF) SELECT id FROM letta_agents WHERE tags &&& ARRAY['rare'];
EXPLAIN (COSTS OFF) SELECT id FROM letta_agents WHERE tags && ARRAY['rare'];
RESET ROLE;
REVOKE USAGE ON SCHEMA test FROM letta_plans_app;
SELECT letta_unbind_role('letta_plans_app') AS unbound;
DROP ROLE letta_plans_app;
SET enable_seqscan = off;


-- Identities by property: the GIN index on properties (jsonb_path_ops).
SELECT count(*) AS identities FROM (
    SELECT letta_create_identity('user_' || n, 'User ' || n,
               properties => jsonb_build_array(jsonb_build_object('key', 'plan', 'type', 'string',
                                 'value', CASE WHEN n % 500 = 0 THEN 'pro' ELSE 'free' END)))
      FROM generate_series(1, 2000) n
) made;
ANALYZE letta_identities;
BEGIN;
SELECT test.generic_plan_of('letta_list_identities(text, text, text, text, text, jsonb, text, text, integer, boolean, jsonb, text)',
                            'By property.*?page := (ARRAY\(.*?\));\n',
                            'org,property,lo_at,lo_id,hi_at,hi_id,name,project_id,kind,newest,n',
                            'uuid, jsonb, timestamptz, uuid, timestamptz, uuid, text, text, text, boolean, integer',
                            $$_letta_org(), '[{"key": "plan", "value": "pro"}]', '-infinity', NULL, 'infinity', NULL, NULL, NULL, NULL, true, 50$$) AS "QUERY PLAN";
COMMIT;
SELECT count(*) AS pro FROM letta_list_identities(property_key => 'plan', property_value => '"pro"');

-- A user's agents: _letta_linked_agents finds their ids once (an initplan; inside, the unique
-- key finds the identity, the link's primary key its agents), which probe the primary key.
INSERT INTO letta_identities_agents
SELECT i.organization_id, i.id, a.id
  FROM (SELECT organization_id, id, row_number() OVER (ORDER BY created_at, substr(identifier_key, 6)::int) n
          FROM letta_identities) i
  JOIN (SELECT id, row_number() OVER (ORDER BY id) n FROM letta_agents) a ON a.n IN (i.n, i.n % 100 + 1);
ANALYZE letta_identities_agents;
-- One agent in four has a block of its own in its memory.
SELECT count(letta_attach_agent_block('agent-' || a.id, (letta_create_block('human', 'h')).id)) AS memories
  FROM (SELECT id FROM letta_agents ORDER BY created_at LIMIT 500) a;
ANALYZE letta_blocks, letta_blocks_agents;
-- letta_agents_by_key: its query of the agents, as that generic plan (the organization and
-- the linked agents parameters): the primary key probed with the linked ids, each agent's
-- identities by their link table's key; and with include_memory, its memory by its link
-- table's key and its blocks by their key.
BEGIN;
SELECT test.generic_plan_of('letta_agents_by_key(text[], boolean, boolean, boolean)', 'ELSE\s+RETURN QUERY\s+(.*?);\s*END IF', 'org,linked,include_hidden',
                            'uuid, uuid[], boolean', $$_letta_org(), ARRAY[gen_random_uuid()], false$$) AS "QUERY PLAN";
SELECT test.generic_plan_of('letta_agents_by_key(text[], boolean, boolean, boolean)', 'THEN\s+--[^\n]*\n\s+RETURN QUERY\s+(.*?);\s*ELSE', 'org,linked,include_hidden,include_memory,include_identities',
                            'uuid, uuid[], boolean, boolean, boolean', $$_letta_org(), ARRAY[gen_random_uuid()], false, true, false$$) AS "QUERY PLAN";
COMMIT;
-- The list filters by key or identity probe the primary key with the linked ids (computed
-- once): no filter runs over every agent of the organization.
BEGIN;
SELECT test.generic_plan_of('letta_list_agents(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean, boolean, boolean, text[], text[], jsonb, text)',
                            'Of some identities.*?page := (ARRAY\(.*?\));\n', :page_params, :page_types,
                            $$_letta_org(), NULL, '-infinity', NULL, 'infinity', NULL, true, 50, NULL, NULL, NULL, false, NULL, 500, false, ARRAY[gen_random_uuid()], NULL, NULL, NULL, NULL, NULL$$) AS "QUERY PLAN";
COMMIT;
SELECT id AS user_1 FROM letta_list_identities(identifier_key => 'user_1') \gset
SELECT count(*) AS agents_of_user_1_and_2 FROM letta_list_agents(identifier_keys => ARRAY['user_1', 'user_2']);
SELECT count(*) AS agents_of_user_1 FROM letta_identity_agents(:'user_1');
RESET enable_seqscan;

DELETE FROM letta_agents;
DELETE FROM letta_identities;
