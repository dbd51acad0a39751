-- Hole 8: EXPLAIN counts other organizations' rows. sec_big (organization E, 400 agents and
-- 200 blocks, none tagged 'b-secret': big enough that the planner prefers a tag index to the
-- organization's) explains queries of its own on the tables with B's tag: with ANALYZE, the
-- row counts of an index scan that is not keyed by organization would say how many of B's
-- agents (37) and blocks (23) have the tag; without, the estimates after ANALYZE would
-- follow B's rows. Also with the planner pushed to other plans (no seqscan, no bitmap scan,
-- little work_mem: lossy bitmaps).
-- Must hold: no plan line shows 37 or 23 (printed per query and setting: false); the
-- estimate for B's tag is the estimate for a tag nobody uses.
ANALYZE letta_agents, letta_blocks, letta_agents_tags;

-- (Statistics as autovacuum would leave them.)
ANALYZE;
\c - sec_big
CREATE TEMPORARY TABLE queries (q text, statement text);
INSERT INTO queries VALUES
    ('agents &&&', $$SELECT id FROM letta_agents WHERE tags &&& ARRAY['b-secret']$$),
    ('agents @>>', $$SELECT id FROM letta_agents WHERE tags @>> ARRAY['b-secret']$$),
    ('agents count &&&', $$SELECT count(*) FROM letta_agents WHERE tags &&& ARRAY['b-secret']$$),
    ('agents &&& or a-tag', $$SELECT id FROM letta_agents WHERE tags &&& ARRAY['b-secret', 'a-tag']$$),
    ('blocks &&&', $$SELECT id FROM letta_blocks WHERE tags &&& ARRAY['b-secret']$$),
    ('blocks @>>', $$SELECT id FROM letta_blocks WHERE tags @>> ARRAY['b-secret']$$),
    ('tag index =', $$SELECT agent_id FROM letta_agents_tags WHERE tag = 'b-secret'$$),
    ('tag index ordered', $$SELECT agent_id FROM letta_agents_tags WHERE tag = 'b-secret' ORDER BY created_at DESC LIMIT 50$$);
-- Whether any line of a plan shows B's counts: in EXPLAIN ANALYZE (costs off) any 37 or 23 as
-- a word; in plain EXPLAIN an estimate of rows=37 or rows=23.
CREATE FUNCTION pg_temp.shows_b(options text, statement text) RETURNS boolean LANGUAGE sql AS $$
    SELECT coalesce(bool_or(CASE WHEN options LIKE 'ANALYZE%' THEN line ~ '\m(37|23)\M' ELSE line ~ 'rows=(37|23)\M' END), false)
      FROM test.plan(options, statement) line
$$;
CREATE FUNCTION pg_temp.each_query(setting text) RETURNS TABLE (setting text, q text, analyze_shows_b boolean, explain_shows_b boolean)
LANGUAGE sql AS $$
    SELECT setting, q, pg_temp.shows_b('ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, BUFFERS OFF', statement),
           pg_temp.shows_b('COSTS ON', statement)
      FROM pg_temp.queries
$$;

SELECT * FROM pg_temp.each_query('default');
SET enable_seqscan = off;
SELECT * FROM pg_temp.each_query('enable_seqscan off');
SET enable_bitmapscan = off;
SELECT * FROM pg_temp.each_query('seqscan, bitmapscan off');
RESET enable_bitmapscan;
SET work_mem = '64kB';
SELECT * FROM pg_temp.each_query('seqscan off, work_mem 64kB');
RESET work_mem;
RESET enable_seqscan;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT * FROM pg_temp.each_query('index and bitmap scans off');
RESET enable_indexscan;
RESET enable_bitmapscan;

-- The estimates: the whole plan (every node's rows and costs) for B's tag, and for a tag
-- nobody uses, its name put in place of B's.
CREATE FUNCTION pg_temp.plan_text(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || statement INTO plan;
    RETURN plan::text;
END
$$;
SELECT q, replace(pg_temp.plan_text(statement), 'b-secret', 'nobody-uses-this')
          = pg_temp.plan_text(replace(statement, 'b-secret', 'nobody-uses-this')) AS same_plan_and_estimates
  FROM pg_temp.queries ORDER BY q;

-- What sec_big sees of B's rows itself: none.
SELECT (SELECT count(*) FROM letta_agents WHERE tags &&& ARRAY['b-secret']) AS agents,
       (SELECT count(*) FROM letta_blocks WHERE tags &&& ARRAY['b-secret']) AS blocks,
       (SELECT count(*) FROM letta_agents_tags WHERE tag = 'b-secret') AS tag_entries;

-- The histograms: a range of memory text or of names walked a character at a time would read
-- B's values off the estimates (text comparison is leakproof). Every estimate is the same,
-- whatever the range (after an ANALYZE, above). (The keys keep their statistics: README,
-- Security model.)
CREATE FUNCTION pg_temp.rows_estimated(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || statement INTO plan;
    RETURN plan -> 0 -> 'Plan' ->> 'Plan Rows';
END
$$;
SELECT pg_temp.rows_estimated($$SELECT id FROM letta_blocks WHERE value >= 'B secret' AND value < 'B secreu'$$)
     = pg_temp.rows_estimated($$SELECT id FROM letta_blocks WHERE value >= 'B secrex' AND value < 'B secrey'$$) AS value_range_blind,
       pg_temp.rows_estimated($$SELECT id FROM letta_agents WHERE name >= 'B agent' AND name < 'B agenu'$$)
     = pg_temp.rows_estimated($$SELECT id FROM letta_agents WHERE name >= 'B agenx' AND name < 'B ageny'$$) AS name_range_blind,
       pg_temp.rows_estimated($$SELECT id FROM letta_identities WHERE identifier_key >= 'b' AND identifier_key < 'c'$$)
     = pg_temp.rows_estimated($$SELECT id FROM letta_identities WHERE identifier_key >= 'x' AND identifier_key < 'y'$$) AS key_range_blind;
