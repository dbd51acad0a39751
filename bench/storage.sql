-- Storage of each side's tables after the load: heap (with TOAST) and indexes, in bytes.
SELECT side, relname, pg_table_size(oid) AS table_bytes, pg_indexes_size(oid) AS index_bytes
  FROM (VALUES ('extension', 'letta_identities'::regclass), ('extension', 'letta_agents'),
               ('extension', 'letta_identities_agents'), ('extension', 'letta_agents_tags'),
               ('baseline', 'letta_baseline.identities'), ('baseline', 'letta_baseline.agents'),
               ('baseline', 'letta_baseline.agents_tags'), ('baseline', 'letta_baseline.identities_agents'))
       AS t(side, oid)
  JOIN pg_class c USING (oid);
