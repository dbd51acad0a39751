-- The way out: letta_drop_distributed_tables() drops the shards on every node, leaving the
-- tables local and empty; then DROP EXTENSION leaves nothing of the extension on the workers.
DROP VIEW test.tag_index_drift;
SET client_min_messages = warning;  -- (how many shards a split left for cleanup depends on timing)
SELECT letta_drop_distributed_tables();
RESET client_min_messages;
SELECT count(*) AS managed_by_citus FROM pg_dist_partition;
SELECT count(*) AS agents_left FROM letta_agents;
SELECT array_agg(result ORDER BY nodeport) AS letta_tables_on_workers
  FROM run_command_on_workers($$SELECT count(*) FROM pg_class WHERE relname LIKE 'letta\_%' AND relkind = 'r'$$);
SELECT test.error_of($$ SELECT letta_drop_distributed_tables() $$);
DROP EXTENSION letta_identity;
SELECT array_agg(result ORDER BY nodeport) AS letta_objects_on_workers
  FROM run_command_on_workers($$SELECT count(*) FROM pg_class WHERE relname LIKE 'letta\_%'$$);
SELECT array_agg(result ORDER BY nodeport) AS extension_on_workers
  FROM run_command_on_workers($$SELECT count(*) FROM pg_extension WHERE extname = 'letta_identity'$$);
DROP ROLE letta_citus_a, letta_citus_b, letta_citus_switcher;
