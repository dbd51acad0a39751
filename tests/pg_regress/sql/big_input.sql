-- Big and deep input (issue 16): valid JSON of any depth PostgreSQL stores is refused with
-- 22023 naming the argument (never XX000), numbers pass as written, and properties have a
-- limit (the checks are linear: BENCHMARKS.md has their cost by size).

-- An object nested n levels: {"a": {"a": ... 1}}.
CREATE FUNCTION test.deep(n integer) RETURNS jsonb LANGUAGE sql IMMUTABLE
RETURN (repeat('{"a":', n) || '1' || repeat('}', n))::jsonb;

SELECT id AS deep_identity FROM letta_create_identity('deep_user', 'Deep') \gset
SELECT id AS deep_agent FROM letta_create_agent('deep agent') \gset
SELECT id AS deep_block FROM letta_create_block('deep', 'v') \gset

-- Every JSON argument at depths 129, 1,000 and 10,000 (the argument's own depth: a property's
-- value sits two levels in, a block's metadata three).
CREATE TEMP TABLE deep_calls (n serial, call text);
INSERT INTO deep_calls (call) VALUES
    ($$ SELECT letta_create_identity('deep_%1$s', 'x', properties => jsonb_build_array(jsonb_build_object('key', 'k', 'type', 'json', 'value', test.deep(%1$s - 2)))) $$),
    ($$ SELECT letta_update_identity(:'deep_identity', properties => jsonb_build_array(jsonb_build_object('key', 'k', 'type', 'json', 'value', test.deep(%1$s - 2)))) $$),
    ($$ SELECT letta_upsert_identity('deep_user', 'Deep', properties => jsonb_build_array(jsonb_build_object('key', 'k', 'type', 'json', 'value', test.deep(%1$s - 2)))) $$),
    ($$ SELECT letta_upsert_identity_properties(:'deep_identity', jsonb_build_array(jsonb_build_object('key', 'k', 'type', 'json', 'value', test.deep(%1$s - 2)))) $$),
    ($$ SELECT letta_list_identities(property_key => 'k', property_value => test.deep(%1$s)) $$),
    ($$ SELECT letta_count_identities(property_key => 'k', property_value => test.deep(%1$s)) $$),
    ($$ SELECT letta_create_agent(metadata => test.deep(%1$s)) $$),
    ($$ SELECT letta_create_agent(memory_blocks => jsonb_build_array(jsonb_build_object('label', 'x', 'value', 'v', 'metadata', test.deep(%1$s - 2)))) $$),
    ($$ SELECT letta_update_agent(:'deep_agent', metadata => test.deep(%1$s)) $$),
    ($$ SELECT letta_update_agent(:'deep_agent', memory_blocks => jsonb_build_array(jsonb_build_object('label', 'x', 'value', 'v', 'metadata', test.deep(%1$s - 2)))) $$),
    ($$ SELECT letta_create_agents(jsonb_build_array(jsonb_build_object('name', 'x', 'metadata', test.deep(%1$s - 2)))) $$),
    ($$ SELECT letta_create_agents(jsonb_build_array(jsonb_build_object('memory_blocks', jsonb_build_array(jsonb_build_object('label', 'x', 'value', 'v', 'metadata', test.deep(%1$s - 4)))))) $$),
    ($$ SELECT letta_create_block('x', metadata => test.deep(%1$s)) $$),
    ($$ SELECT letta_update_block(:'deep_block', metadata => test.deep(%1$s)) $$),
    ($$ SELECT letta_list_identities(properties => jsonb_build_array(jsonb_build_object('key', 'k', 'value', test.deep(%1$s - 2)))) $$);
UPDATE deep_calls SET call = replace(replace(replace(call, ':''deep_identity''', quote_literal(:'deep_identity')),
                                             ':''deep_agent''', quote_literal(:'deep_agent')),
                                     ':''deep_block''', quote_literal(:'deep_block'));
SELECT c.n, d.depth, test.error_of(format(c.call, d.depth)) AS outcome
  FROM deep_calls c, (VALUES (129), (1000), (10000)) d(depth)
 ORDER BY c.n, d.depth;

-- At the limit it is taken, and kept as given.
SELECT metadata = test.deep(100) AS kept FROM letta_update_agent(:'deep_agent', metadata => test.deep(100));
SELECT properties->0->'value' = test.deep(98) AS kept
  FROM letta_update_identity(:'deep_identity', properties => jsonb_build_array(jsonb_build_object('key', 'k', 'type', 'json', 'value', test.deep(98))));
SELECT count(*) AS found FROM letta_list_identities(property_key => 'k', property_value => test.deep(98));

-- Numbers pass as written: more digits than a double holds, and past its range.
SELECT metadata FROM letta_update_agent(:'deep_agent', metadata => '{"exact": 1.00000000000000000001, "big": 1e400}');
SELECT properties FROM letta_upsert_identity_properties(:'deep_identity', '[{"key": "n", "value": 123456789012345678901234567890, "type": "number"}]');

-- Properties: at most 10,000 per identity, on every path that writes them.
CREATE FUNCTION test.properties(first integer, last integer) RETURNS jsonb LANGUAGE sql IMMUTABLE
RETURN (SELECT jsonb_agg(jsonb_build_object('key', 'k' || n, 'value', n, 'type', 'number') ORDER BY n)
          FROM generate_series(first, last) n);
SELECT jsonb_array_length(properties) AS kept FROM letta_upsert_identity_properties(:'deep_identity', test.properties(1, 10000));
SELECT test.error_of($$ SELECT letta_create_identity('many', 'x', properties => test.properties(1, 10001)) $$);
SELECT test.error_of(format($$ SELECT letta_upsert_identity_properties(%L, test.properties(1, 10001)) $$, :'deep_identity'));
SELECT test.error_of($$ SELECT letta_upsert_identity('deep_user', 'x', properties => test.properties(1, 10001)) $$);
-- An update merges: the old keys and the new ones count together.
SELECT jsonb_array_length(properties) AS merged FROM letta_update_identity(:'deep_identity', properties => test.properties(5001, 10000));
SELECT test.error_of(format($$ SELECT letta_update_identity(%L, properties => test.properties(9001, 10001)) $$, :'deep_identity'));
-- Repeated keys count once.
SELECT jsonb_array_length(properties) AS deduplicated
  FROM letta_upsert_identity_properties(:'deep_identity', test.properties(1, 10000) || test.properties(1, 10000));

-- Clean up.
SELECT 'deleted' AS result FROM letta_delete_identity(:'deep_identity');
SELECT 'deleted' AS result FROM letta_delete_agent(:'deep_agent');
SELECT 'deleted' AS result FROM letta_delete_block(:'deep_block');

-- An input check's error reads as the call: its message, and as context the public function's
-- line, never the text of an internal statement or expression (the checks run as assignments
-- of the function's own; after an earlier error in a subtransaction PostgreSQL may quote that
-- assignment, the function's own line); so does a row the function looked up and did not find.
CREATE FUNCTION test.context_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    context text;
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS context = PG_EXCEPTION_CONTEXT;
    -- This helper's own frames (the call as its statement, and the EXECUTE) are the last lines.
    RETURN SQLSTATE || ' | ' || regexp_replace(context,
        E'\nSQL statement "[^\n]*"\nPL/pgSQL function test\\.context_of\\(text\\) line [0-9]+ at EXECUTE$', '');
END
$$;
SELECT id AS ctx_agent FROM letta_create_agent('context') \gset
SELECT id AS ctx_block FROM letta_create_block('context', 'v') \gset
SELECT id AS ctx_identity FROM letta_create_identity('context_user', 'Context') \gset
CREATE TEMP TABLE context_calls (n serial, call text);
INSERT INTO context_calls (call) VALUES
    ($$ SELECT letta_create_identity('ctx', 'x', identity_type => 'person') $$),
    ($$ SELECT letta_create_identity('', 'x') $$),
    ($$ SELECT letta_create_identity('ctx', 'x', properties => '{}') $$),
    ($$ SELECT letta_upsert_identity('ctx', 'x', project_id => '') $$),
    (format($$ SELECT letta_update_identity(%L, properties => '[{"key": "k"}]') $$, :'ctx_identity')),
    (format($$ SELECT letta_upsert_identity_properties(%L, '1') $$, :'ctx_identity')),
    ($$ SELECT letta_create_agent(context_window_limit => 0) $$),
    ($$ SELECT letta_create_agent(tags => ARRAY[NULL]) $$),
    ($$ SELECT letta_create_agent(memory_blocks => '[{"label": "x"}]') $$),
    (format($$ SELECT letta_update_agent(%L, metadata => '1') $$, :'ctx_agent')),
    (format($$ SELECT letta_update_agent(%L, project_id => '') $$, :'ctx_agent')),
    (format($$ SELECT letta_add_agent_tags(%L, ARRAY['']) $$, :'ctx_agent')),
    ($$ SELECT letta_remove_agent_tags('agent-1', ARRAY['x']) $$),
    ($$ SELECT letta_create_block('x', 'abc', char_limit => 0) $$),
    (format($$ SELECT letta_update_block(%L, value => 'abcdef', char_limit => -3) $$, :'ctx_block')),
    (format($$ SELECT letta_update_block(%L, metadata => '[]') $$, :'ctx_block')),
    ($$ SELECT letta_list_agents(tags => ARRAY[NULL]) $$),
    ($$ SELECT letta_count_agents(identifier_keys => ARRAY[NULL]) $$),
    ($$ SELECT letta_agents_by_key(NULL) $$),
    ($$ SELECT letta_blocks_by_key(NULL) $$),
    ($$ SELECT letta_list_identities(identity_type => 'person') $$),
    ($$ SELECT letta_create_agents('[{"name": "ok"}, {"tags": [""]}]') $$),
    ($$ SELECT letta_create_agents('[{"id": "agent-1"}]') $$),
    ($$ SELECT letta_get_agent('agent-1') $$),
    ($$ SELECT letta_get_identity('agent-00000000-0000-4000-8000-000000000009') $$),
    ($$ SELECT letta_get_block('block') $$),
    ($$ SELECT letta_delete_agent('') $$),
    ($$ SELECT letta_delete_identity(NULL) $$),
    ($$ SELECT letta_delete_block('block-x') $$),
    -- Not found (P0002), where the function itself looks the row up.
    ($$ SELECT letta_get_agent('agent-00000000-0000-4000-8000-000000000009') $$),
    ($$ SELECT letta_update_identity('identity-00000000-0000-4000-8000-000000000009', name => 'x') $$),
    ($$ SELECT letta_delete_block('block-00000000-0000-4000-8000-000000000009') $$),
    ($$ SELECT letta_add_agent_tags('agent-00000000-0000-4000-8000-000000000009', ARRAY['x']) $$);
SELECT c.n, test.masked(test.context_of(c.call)) AS sqlstate_and_context FROM context_calls c ORDER BY c.n;
SELECT count(*) AS contexts_with_internal_statements
  FROM context_calls c WHERE test.context_of(c.call) ~ 'SQL (statement|expression)';
SELECT 'deleted' AS result FROM letta_delete_agent(:'ctx_agent');
SELECT 'deleted' AS result FROM letta_delete_block(:'ctx_block');
SELECT 'deleted' AS result FROM letta_delete_identity(:'ctx_identity');
