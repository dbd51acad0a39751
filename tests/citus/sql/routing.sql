-- Routing: a statement that names one organization runs on the one shard that holds it;
-- one that does not fans out to every shard. Counted by Citus itself (citus_stat_counters).
SET citus.enable_stat_counters = on;
CREATE FUNCTION test.shards_touched(statement text, OUT single_shard bigint, OUT multi_shard bigint)
LANGUAGE plpgsql AS $$
DECLARE
    before_single bigint;
    before_multi bigint;
BEGIN
    SELECT c.query_execution_single_shard, c.query_execution_multi_shard INTO before_single, before_multi
      FROM citus_stat_counters(0) c WHERE c.database_id = (SELECT oid FROM pg_database WHERE datname = current_database());
    EXECUTE statement;
    SELECT c.query_execution_single_shard - before_single, c.query_execution_multi_shard - before_multi
      INTO single_shard, multi_shard
      FROM citus_stat_counters(0) c WHERE c.database_id = (SELECT oid FROM pg_database WHERE datname = current_database());
END
$$;
SELECT * FROM test.shards_touched($$ SELECT count(*) FROM letta_agents WHERE organization_id = 'cccccccc-cccc-4ccc-8ccc-000000000001' $$);
SELECT * FROM test.shards_touched($$
    SELECT a.name FROM letta_agents a
      JOIN letta_agents_tags s ON s.organization_id = a.organization_id AND s.agent_id = a.id
     WHERE a.organization_id = 'cccccccc-cccc-4ccc-8ccc-000000000001' AND s.tag = 'first' $$);
SELECT * FROM test.shards_touched($$ SELECT count(*) FROM letta_agents $$);
