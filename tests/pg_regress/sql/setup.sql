-- Install the extension (or find it installed, when the suite runs on an upgraded
-- database) and the helpers the other tests use.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS letta_identity CASCADE;
RESET client_min_messages;
CREATE SCHEMA test;

-- Run a statement and show how it failed: 'SQLSTATE: message', or 'no error'. (On Citus a
-- table's constraint or policy fails on a shard, which Citus names after the table and the
-- shard's number, letta_agents_102041: the number is left out, so that both read alike.)
CREATE FUNCTION test.error_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, '(letta_[a-z_]+)_[0-9]{6,}\M', '\1', 'g');
END
$$;

-- Random uuids masked, for output that must not change between runs.
CREATE FUNCTION test.masked(message text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT regexp_replace(message, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<uuid>', 'g')
$$;

-- A statement's plan, uuids masked.
CREATE FUNCTION test.plan(statement text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || statement LOOP
        RETURN NEXT test.masked(line);
    END LOOP;
END
$$;

-- Fixed ids make output deterministic where a test needs to show them.
CREATE FUNCTION test.agent_id(n integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT format('agent-00000000-0000-4000-8000-%s', lpad(n::text, 12, '0'))
$$;

SELECT extname, extversion FROM pg_extension WHERE extname = 'letta_identity';
SELECT letta_current_organization();
