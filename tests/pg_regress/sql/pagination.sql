-- Pagination: ascending and descending by (created_at, id), before/after cursors, page_size,
-- has_more and next_cursor; ties on created_at (rows made in one transaction) in order.

-- 37 agents and 37 identities in three transactions: rows of one transaction tie on created_at.
BEGIN;
SELECT count(letta_create_agent(name => 'tie-a-' || n)) AS agents FROM generate_series(1, 20) n;
SELECT count(letta_create_identity('tie-a-' || n, 'I' || n)) AS identities FROM generate_series(1, 20) n;
COMMIT;
BEGIN;
SELECT count(letta_create_agent(name => 'tie-b-' || n)) AS agents FROM generate_series(1, 10) n;
SELECT count(letta_create_identity('tie-b-' || n, 'I' || n)) AS identities FROM generate_series(1, 10) n;
COMMIT;
SELECT count(letta_create_agent(name => 'single-' || n)) AS agents FROM generate_series(1, 7) n;
SELECT count(letta_create_identity('single-' || n, 'S')) AS identities FROM generate_series(1, 7) n;

-- Walk every page forward (after), backward (before) and through the page functions; each
-- walk must yield every row exactly once, in (created_at, id) order, ascending or descending.
CREATE FUNCTION test.walk(kind text, page_size integer, ascending boolean, order_by text DEFAULT 'created_at') RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    tbl      text := CASE kind WHEN 'agent' THEN 'letta_agents' ELSE 'letta_identities' END;
    list     text := CASE kind WHEN 'agent' THEN 'letta_list_agents' ELSE 'letta_list_identities' END;
    expected text[];
    forward  text[] := '{}';
    backward text[];
    paged    text[] := '{}';
    page     text[];
    cursor   text;
    p        letta_page;
    pages    integer := 0;
BEGIN
    EXECUTE format('SELECT array_agg(%L || id ORDER BY %I %s, id %3$s) FROM %I',
                   kind || '-', order_by, CASE WHEN ascending THEN 'ASC' ELSE 'DESC' END, tbl) INTO expected;
    LOOP  -- forward, with after
        EXECUTE format('SELECT array_agg(x.id ORDER BY x.ordinality) FROM %I(after => $1, page_size => $2, ascending => $3, order_by => $4) WITH ORDINALITY x', list)
           INTO page USING cursor, page_size, ascending, order_by;
        EXIT WHEN page IS NULL;
        forward := forward || page;
        cursor := page[cardinality(page)];
    END LOOP;
    backward := ARRAY[expected[cardinality(expected)]];
    cursor := backward[1];
    LOOP  -- backward from the last row, with before
        EXECUTE format('SELECT array_agg(x.id ORDER BY x.ordinality) FROM %I(before => $1, page_size => $2, ascending => $3, order_by => $4) WITH ORDINALITY x', list)
           INTO page USING cursor, page_size, ascending, order_by;
        EXIT WHEN page IS NULL;
        IF cardinality(page) > page_size THEN RAISE 'page of % rows', cardinality(page); END IF;
        backward := page || backward;
        cursor := page[1];
    END LOOP;
    cursor := NULL;
    LOOP  -- the page function, following next_cursor while has_more
        EXECUTE format('SELECT * FROM %I_page(after => $1, page_size => $2, ascending => $3, order_by => $4)', list)
           INTO p USING cursor, page_size, ascending, order_by;
        pages := pages + 1;
        paged := paged || ARRAY(SELECT jsonb_array_elements(p.items) ->> 'id');
        EXIT WHEN NOT p.has_more;
        IF p.next_cursor IS DISTINCT FROM paged[cardinality(paged)] THEN RAISE 'bad next_cursor'; END IF;
        cursor := p.next_cursor;
    END LOOP;
    RETURN format('%s rows: forward %s, backward %s, page function %s in %s pages',
                  cardinality(expected), forward = expected, backward = expected, paged = expected, pages);
END
$$;

SELECT kind, page_size, ascending, test.walk(kind, page_size, ascending)
  FROM unnest(ARRAY['agent', 'identity']) kind, unnest(ARRAY[1, 3, 7, 36, 37, 50]) page_size,
       unnest(ARRAY[false, true]) ascending
 ORDER BY 1, 2, 3;

-- order_by => 'updated_at': the same walks, by (updated_at, id), after every other row was
-- updated in reverse creation order (one transaction: their stamps tie to the transaction and
-- keep the order of the writes).
BEGIN;
SELECT count(*) AS agents_updated FROM (
    SELECT letta_update_agent('agent-' || a.id, name => a.name || '+')
      FROM (SELECT id, name, row_number() OVER (ORDER BY created_at, id) n FROM letta_agents) a
     WHERE a.n % 2 = 0 ORDER BY a.n DESC) u;
SELECT count(*) AS identities_updated FROM (
    SELECT letta_update_identity('identity-' || i.id, name => i.name || '+')
      FROM (SELECT id, name, row_number() OVER (ORDER BY created_at, id) n FROM letta_identities) i
     WHERE i.n % 2 = 0 ORDER BY i.n DESC) u;
-- (The two orders differ now.)
SELECT (SELECT array_agg(id ORDER BY created_at, id) FROM letta_agents)
       <> (SELECT array_agg(id ORDER BY updated_at, id) FROM letta_agents) AS agents_reordered,
       (SELECT array_agg(id ORDER BY created_at, id) FROM letta_identities)
       <> (SELECT array_agg(id ORDER BY updated_at, id) FROM letta_identities) AS identities_reordered;
COMMIT;
SELECT kind, page_size, ascending, test.walk(kind, page_size, ascending, 'updated_at')
  FROM unnest(ARRAY['agent', 'identity']) kind, unnest(ARRAY[1, 3, 7, 37]) page_size,
       unnest(ARRAY[false, true]) ascending
 ORDER BY 1, 2, 3;
-- Only created_at and updated_at.
SELECT test.error_of($$ SELECT * FROM letta_list_agents(order_by => 'name') $$);
SELECT test.error_of($$ SELECT * FROM letta_list_identities_page(order_by => NULL) $$);

-- Paging backwards with the page function: the extra row is the one before the page.
SELECT id AS oldest_agent FROM letta_list_agents(page_size => 1, ascending => true) \gset
SELECT jsonb_array_length(items) AS rows, has_more,
       next_cursor = items -> 0 ->> 'id' AS next_cursor_is_first_row
  FROM letta_list_agents_page(before => :'oldest_agent', page_size => 5);

-- Both cursors: the rows strictly between them.
SELECT id AS c1 FROM letta_list_agents(page_size => 1) \gset
SELECT id AS c5 FROM letta_list_agents(page_size => 1, after => (SELECT id FROM letta_list_agents(page_size => 4) OFFSET 3)) \gset
SELECT count(*) AS between_them FROM letta_list_agents(after => :'c1', before => :'c5');

-- Cursors must be rows of this organization: an unknown one is an error, not ignored.
SELECT test.error_of($$ SELECT * FROM letta_list_agents(after => 'agent-00000000-0000-4000-8000-000000000000') $$);
SELECT test.error_of($$ SELECT * FROM letta_list_agents(before => 'agent-00000000-0000-4000-8000-000000000000') $$);
SELECT test.error_of($$ SELECT * FROM letta_list_identities(after => 'identity-00000000-0000-4000-8000-000000000000') $$);
SELECT test.error_of($$ SELECT * FROM letta_list_agents(after => 'identity-00000000-0000-4000-8000-000000000000') $$);
SET letta.organization_id = 'org-22222222-2222-4222-8222-222222222222';
SELECT test.masked(test.error_of(format($$ SELECT * FROM letta_list_agents(after => %L) $$, :'c1')));
RESET letta.organization_id;

-- page_size is at least 1 (Letta's 0 meant "everything").
SELECT test.error_of($$ SELECT * FROM letta_list_agents(page_size => 0) $$);
SELECT test.error_of($$ SELECT * FROM letta_list_identities(page_size => NULL) $$);
SELECT test.error_of($$ SELECT * FROM letta_list_agents_page(page_size => -1) $$);

-- The walk above also ran with parameters (EXECUTE ... USING), as prepared statements do.
DELETE FROM letta_identities;
DELETE FROM letta_agents;
