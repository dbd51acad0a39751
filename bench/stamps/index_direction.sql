-- Write stamps and the direction of the lists' index (BENCHMARKS.md, "Write stamps"): 200,000
-- agents inserted in one statement (one transaction), into letta_agents with created_at
-- defaulting to now() or to the write stamps, its list index descending (0.4.0's) or ascending
-- (0.5.0's), three runs each. Run it in a scratch database with the extension:
--   psql -d scratch -c 'CREATE EXTENSION letta_identity CASCADE' -f bench/stamps/index_direction.sql
\set QUIET on
\pset footer off
CREATE TEMP TABLE r (index text, defaults text, run int, ms numeric, created_idx_mb numeric);
CREATE FUNCTION pg_temp.load(direction text, defaults text, run int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
BEGIN
    TRUNCATE letta_agents CASCADE;
    DROP INDEX letta_agents_created_idx;
    EXECUTE format('CREATE INDEX letta_agents_created_idx ON letta_agents (organization_id, created_at %1$s, id %1$s)', direction);
    IF defaults = 'now()' THEN
        ALTER TABLE letta_agents ALTER created_at SET DEFAULT now(), ALTER updated_at SET DEFAULT now();
    ELSE
        ALTER TABLE letta_agents ALTER created_at SET DEFAULT _letta_stamp(), ALTER updated_at SET DEFAULT _letta_last_stamp();
    END IF;
    t0 := clock_timestamp();
    INSERT INTO letta_agents (organization_id, name)
    SELECT '00000000-0000-4000-8000-000000000000', 'a' || n FROM generate_series(1, 200000) n;
    INSERT INTO r VALUES (direction, defaults, run, round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000),
                          round(pg_relation_size('letta_agents_created_idx') / 1048576.0, 1));
END
$$;
SELECT pg_temp.load(d, s, n) FROM generate_series(1, 3) n, (VALUES ('DESC'), ('ASC')) x(d), (VALUES ('now()'), ('stamps')) y(s);
SELECT index, defaults, string_agg(ms::text, ' / ' ORDER BY run) AS ms, string_agg(created_idx_mb::text, ' / ' ORDER BY run) AS created_idx_mb
  FROM r GROUP BY 1, 2 ORDER BY 1 DESC, 2;
-- Put the extension's own definitions back.
TRUNCATE letta_agents CASCADE;
DROP INDEX letta_agents_created_idx;
CREATE INDEX letta_agents_created_idx ON letta_agents (organization_id, created_at, id);
ALTER TABLE letta_agents ALTER created_at SET DEFAULT _letta_stamp(), ALTER updated_at SET DEFAULT _letta_last_stamp();
