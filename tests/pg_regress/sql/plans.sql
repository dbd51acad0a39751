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

-- A user's agents: the unique key finds the identity, the link's primary key its agents.
INSERT INTO letta_identities_agents
SELECT i.organization_id, i.id, a.id
  FROM (SELECT organization_id, id, row_number() OVER (ORDER BY id) n FROM letta_identities) i
  JOIN (SELECT id, row_number() OVER (ORDER BY id) n FROM letta_agents) a ON a.n IN (i.n, i.n % 100 + 1);
ANALYZE letta_identities_agents;
EXPLAIN (COSTS OFF) SELECT id FROM letta_agents_by_key(ARRAY['user_1']);
RESET enable_seqscan;

DELETE FROM letta_agents;
DELETE FROM letta_identities;
