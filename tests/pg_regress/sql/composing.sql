-- Filters that compose: exclude_tags (none of them), all_tags (every one of them; with tags,
-- any of tags and all of all_tags), metadata containment, together and with the other filters,
-- on every way a list reads its page (the tag pages, the walks of common tags, the GIN index,
-- the organization's agents in list order, an identity's agents). Each page and count is
-- compared with the same question asked of the table.

-- 3,000 agents: tag t_k on every k-th agent (t_2: 1,500 agents, t_700: 4), metadata
-- {"tier": n % 4}, one in eleven hidden, the first 20 linked to one user.
SELECT id AS user_c FROM letta_create_identity('composing_user', 'C') \gset
SELECT count(*) AS agents FROM letta_create_agents((
    SELECT jsonb_agg(jsonb_build_object(
               'name', 'c' || n,
               'tags', (SELECT jsonb_agg('t_' || k) FROM unnest(ARRAY[2, 3, 5, 7, 700]) k WHERE n % k = 0),
               'metadata', jsonb_build_object('tier', n % 4, 'n', n),
               'hidden', n % 11 = 0,
               'identity_ids', CASE WHEN n <= 20 THEN jsonb_build_array(:'user_c') ELSE '[]' END) ORDER BY n)
      FROM generate_series(1, 3000) n)) id;

CREATE TEMPORARY TABLE asks (n serial, args text, matches text);
INSERT INTO asks (args, matches) VALUES
    ($$tags => ARRAY['t_2', 't_3'], exclude_tags => ARRAY['t_5']$$,
     $$(a.tags && ARRAY['t_2', 't_3']) AND NOT a.tags && ARRAY['t_5']$$),
    ($$tags => ARRAY['t_2'], all_tags => ARRAY['t_3', 't_5']$$,
     $$a.tags @> ARRAY['t_2', 't_3', 't_5']$$),
    ($$tags => ARRAY['t_3', 't_7'], all_tags => ARRAY['t_2']$$,
     $$a.tags && ARRAY['t_3', 't_7'] AND a.tags @> ARRAY['t_2']$$),
    ($$all_tags => ARRAY['t_2', 't_3'], exclude_tags => ARRAY['t_7']$$,
     $$a.tags @> ARRAY['t_2', 't_3'] AND NOT a.tags && ARRAY['t_7']$$),
    ($$tags => ARRAY['t_2', 't_3', 't_5'], match_all_tags => true, metadata => '{"tier": 2}'$$,
     $$a.tags @> ARRAY['t_2', 't_3', 't_5'] AND a.metadata @> '{"tier": 2}'$$),
    ($$tags => ARRAY['t_2'], metadata => '{"tier": 0}', exclude_tags => ARRAY['t_3']$$,
     $$a.tags @> ARRAY['t_2'] AND a.metadata @> '{"tier": 0}' AND NOT a.tags && ARRAY['t_3']$$),
    ($$tags => ARRAY['t_700', 't_2'], match_all_tags => true, exclude_tags => ARRAY['t_3']$$,
     $$a.tags @> ARRAY['t_700', 't_2'] AND NOT a.tags && ARRAY['t_3']$$),
    ($$metadata => '{"tier": 1}', exclude_tags => ARRAY['t_3']$$,
     $$a.metadata @> '{"tier": 1}' AND NOT a.tags && ARRAY['t_3']$$),
    ($$exclude_tags => ARRAY['t_2', 't_3'], query_text => 'c1'$$,
     $$NOT a.tags && ARRAY['t_2', 't_3'] AND a.name LIKE '%c1%'$$),
    ($$identity_id => $$ || quote_literal(:'user_c') || $$, exclude_tags => ARRAY['t_2'], metadata => '{"tier": 1}'$$,
     $$a.id IN (SELECT agent_id FROM letta_identities_agents) AND NOT a.tags && ARRAY['t_2'] AND a.metadata @> '{"tier": 1}'$$),
    ($$all_tags => '{}', exclude_tags => '{}', tags => ARRAY['t_700']$$,
     $$a.tags && ARRAY['t_700']$$);

-- The first page and the count of each, against the table; then a second page by cursor.
CREATE FUNCTION test.composed(args text, matches text, OUT page_ok boolean, OUT next_ok boolean, OUT count_ok boolean, OUT matching bigint)
LANGUAGE plpgsql AS $$
DECLARE
    got    text[];
    want   text[];
    cursor text;
    counted bigint;
BEGIN
    EXECUTE format('SELECT array_agg(id) FROM letta_list_agents(%s, page_size => 20)', args) INTO got;
    EXECUTE format('SELECT array_agg(''agent-'' || id ORDER BY created_at DESC, id DESC) FROM (
                        SELECT a.id, a.created_at FROM letta_agents a WHERE NOT a.hidden AND %s
                         ORDER BY a.created_at DESC, a.id DESC LIMIT 20) a', matches) INTO want;
    page_ok := got IS NOT DISTINCT FROM want;
    cursor := got[cardinality(got)];
    EXECUTE format('SELECT array_agg(id) FROM letta_list_agents(%s, page_size => 20, after => %L)', args, cursor) INTO got;
    EXECUTE format('SELECT array_agg(''agent-'' || id ORDER BY created_at DESC, id DESC) FROM (
                        SELECT a.id, a.created_at FROM letta_agents a WHERE NOT a.hidden AND %s
                           AND (a.created_at, a.id) < (SELECT created_at, id FROM letta_agents WHERE id = substr(%L, 7)::uuid)
                         ORDER BY a.created_at DESC, a.id DESC LIMIT 20) a', matches, cursor) INTO want;
    next_ok := cursor IS NULL OR got IS NOT DISTINCT FROM want;
    EXECUTE format('SELECT letta_count_agents(%s)', args) INTO matching;
    EXECUTE format('SELECT count(*) FROM letta_agents a WHERE NOT a.hidden AND %s', matches) INTO counted;
    count_ok := matching = counted;
END
$$;
SELECT a.n, c.page_ok, c.next_ok, c.count_ok, c.matching FROM asks a, test.composed(a.args, a.matches) c ORDER BY a.n;

-- The same asks by updated_at (order_by), newest and oldest first: first page and the next,
-- against the table. Updates stamped in an order unlike creation's (every agent once, in a
-- scrambled order), so that the two orders differ; the tag pages walk the updated_at index
-- (500 agents), then read the GIN index beyond (t_700's four agents lie beyond).
-- (The ids first: on Citus a function called in a statement that reads a distributed table
-- would run on the worker.)
SELECT array_agg('agent-' || a.id ORDER BY (a.metadata ->> 'n')::int * 7919 % 3000) AS scrambled
  FROM letta_agents a \gset
SELECT count(*) AS updated FROM (
    SELECT letta_update_agent(x) FROM unnest(:'scrambled'::text[]) WITH ORDINALITY u(x, k) ORDER BY k) u;
-- (The premise: the two orders differ.)
SELECT (SELECT array_agg(a.id ORDER BY a.created_at, a.id) FROM letta_agents a)
    <> (SELECT array_agg(a.id ORDER BY a.updated_at, a.id) FROM letta_agents a) AS orders_differ;
CREATE FUNCTION test.composed_by_update(args text, matches text, ascending boolean, OUT page_ok boolean, OUT next_ok boolean)
LANGUAGE plpgsql AS $$
DECLARE
    got    text[];
    want   text[];
    cursor text;
    way    text := CASE WHEN ascending THEN 'ASC' ELSE 'DESC' END;
BEGIN
    EXECUTE format('SELECT array_agg(id) FROM letta_list_agents(%s, page_size => 20, order_by => ''updated_at'', ascending => %L)', args, ascending) INTO got;
    EXECUTE format('SELECT array_agg(''agent-'' || id ORDER BY updated_at %2$s, id %2$s) FROM (
                        SELECT a.id, a.updated_at FROM letta_agents a WHERE NOT a.hidden AND %1$s
                         ORDER BY a.updated_at %2$s, a.id %2$s LIMIT 20) a', matches, way) INTO want;
    page_ok := got IS NOT DISTINCT FROM want;
    cursor := got[cardinality(got)];
    EXECUTE format('SELECT array_agg(id) FROM letta_list_agents(%s, page_size => 20, after => %L, order_by => ''updated_at'', ascending => %L)', args, cursor, ascending) INTO got;
    EXECUTE format('SELECT array_agg(''agent-'' || id ORDER BY updated_at %2$s, id %2$s) FROM (
                        SELECT a.id, a.updated_at FROM letta_agents a WHERE NOT a.hidden AND %1$s
                           AND ((a.updated_at, a.id) %3$s (SELECT updated_at, id FROM letta_agents WHERE id = substr(%4$L, 7)::uuid))
                         ORDER BY a.updated_at %2$s, a.id %2$s LIMIT 20) a', matches, way, CASE WHEN ascending THEN '>' ELSE '<' END, cursor) INTO want;
    next_ok := cursor IS NULL OR got IS NOT DISTINCT FROM want;
END
$$;
SELECT a.n, w.ascending, c.page_ok, c.next_ok
  FROM asks a, unnest(ARRAY[false, true]) w(ascending), test.composed_by_update(a.args, a.matches, w.ascending) c
 ORDER BY a.n, w.ascending;

-- The page function passes them through.
SELECT jsonb_array_length(items) AS items, has_more
  FROM letta_list_agents_page(tags => ARRAY['t_700'], exclude_tags => ARRAY['t_3'], page_size => 2);

-- Refusals.
SELECT test.error_of($$ SELECT * FROM letta_list_agents(exclude_tags => ARRAY[NULL]) $$);
SELECT test.error_of($$ SELECT * FROM letta_list_agents(all_tags => ARRAY['a', NULL]) $$);
SELECT test.error_of($$ SELECT * FROM letta_list_agents(metadata => '[1]') $$);
SELECT test.error_of($$ SELECT letta_count_agents(metadata => '"x"') $$);

DROP FUNCTION test.composed(text, text);
DELETE FROM letta_agents;
DELETE FROM letta_identities WHERE identifier_key = 'composing_user';
