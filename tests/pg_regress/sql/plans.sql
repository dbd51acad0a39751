-- The read functions are inlined into the caller's query (no Function Scan), and the tag
-- filters are served by the GIN index on tags.
SELECT count(*) AS agents FROM (
    SELECT letta_create_agent(tags => ARRAY['common', 'band_' || (n % 50)] || CASE WHEN n % 500 = 0 THEN ARRAY['rare'] ELSE '{}' END)
      FROM generate_series(1, 2000) n
) made;
ANALYZE letta_agents;

SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM letta_list_agents(tags => ARRAY['rare']);
EXPLAIN (COSTS OFF) SELECT * FROM letta_list_agents(tags => ARRAY['rare', 'band_0'], match_all_tags => true);
SELECT count(*) AS rare FROM letta_list_agents(tags => ARRAY['rare']);
SELECT count(*) AS rare_and_band_0 FROM letta_list_agents(tags => ARRAY['rare', 'band_0'], match_all_tags => true);
EXPLAIN (COSTS OFF) SELECT * FROM letta_agents_by_key(ARRAY['user_1']);
RESET enable_seqscan;

DELETE FROM letta_agents;
