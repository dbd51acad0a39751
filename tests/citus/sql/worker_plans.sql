-- The plans the calls run on the workers: a guard against a statement that reads a whole
-- organization where it needs a few rows (0.5.0's distributed row view aggregated every link of
-- the organization on each call: 126 ms at 20,000 agents, unnoticed). The statement is the live
-- function's own (its text in the catalog, the organization and ids made parameters), run with
-- EXPLAIN ANALYZE: one task, and no node of the worker's plan returns a row per agent of the
-- organization (a few hundred rows at most: small tables may be read whole).
SET client_min_messages = warning;
SET letta.organization_id = 'org-eeeeeeee-eeee-4eee-8eee-000000000001';
-- An organization of 200 identities and 1,000 agents, each agent with two of them and a block
-- in its memory.
CREATE TEMP TABLE plan_users AS SELECT k, (letta_create_identity('plan_user_' || k, 'User ' || k)).id FROM generate_series(0, 199) k;
SELECT cardinality(letta_create_agents((
    SELECT jsonb_agg(jsonb_build_object('name', 'plan agent ' || n, 'tags', jsonb_build_array('plan', 'p' || n % 7),
                                        'identity_ids', (SELECT jsonb_agg(u.id) FROM plan_users u WHERE u.k IN (n % 200, (n + 1) % 200)),
                                        'memory_blocks', '[{"label": "human", "value": "h"}]'::jsonb))
      FROM generate_series(1, 1000) n))) AS agents;
-- And 600 blocks shared by the identities, three each.
SELECT count(*) AS shared_blocks
  FROM (SELECT letta_create_block(label => 'plan ' || n, identity_ids => ARRAY[u.id])
          FROM plan_users u, generate_series(1, 3) n) s;
ANALYZE letta_agents, letta_identities, letta_identities_agents, letta_blocks, letta_blocks_agents, letta_identities_blocks;
RESET client_min_messages;
CREATE FUNCTION test.worker_plan(fn regproc, org uuid, ids uuid[])
RETURNS TABLE (one_task boolean, few_rows boolean)
LANGUAGE plpgsql AS $$
DECLARE
    query text := substring((SELECT p.prosrc FROM pg_proc p WHERE p.oid = fn) FROM 'RETURN QUERY(.*);\s*END\s*$');
    line  text;
    plan  text := '';
BEGIN
    query := replace(regexp_replace(query, '= org\M', format('= %L::uuid', org), 'g'),
                     'ANY (ids)', format('ANY (%L::uuid[])', ids));
    -- (Counted: Citus's EXPLAIN ANALYZE cannot bring back the row type from a worker.)
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT count(q.*) FROM (' || query || ') q' LOOP
        plan := plan || line || E'\n';
    END LOOP;
    one_task := substring(plan FROM 'Task Count: (\d+)') = '1';
    few_rows := (SELECT max(m[1]::bigint) FROM regexp_matches(plan, 'rows=(\d+)', 'g') m) < 500;
    IF NOT (one_task AND few_rows) THEN
        RAISE NOTICE '%', plan;
    END IF;
    RETURN NEXT;
END
$$;
-- Agents' rows (by key, lists, get): three agents of the 1,000.
SELECT * FROM test.worker_plan('_letta_agent_rows', 'eeeeeeee-eeee-4eee-8eee-000000000001',
    (SELECT array_agg(substr(id, 7)::uuid) FROM (SELECT id FROM letta_list_agents(page_size => 3)) a));
-- Identities' rows (get, lists, updates): three of the 200.
SELECT * FROM test.worker_plan('_letta_identity_rows', 'eeeeeeee-eeee-4eee-8eee-000000000001',
    (SELECT array_agg(substr(id, 10)::uuid) FROM (SELECT id FROM letta_list_identities(page_size => 3)) i));
-- Blocks' rows (get, lists, an agent's memory): three of the 1,600.
SELECT * FROM test.worker_plan('_letta_block_rows', 'eeeeeeee-eeee-4eee-8eee-000000000001',
    (SELECT array_agg(substr(id, 7)::uuid) FROM (SELECT id FROM letta_list_blocks(page_size => 3)) b));
