-- Input at scale (BENCHMARKS.md, "Input at scale"): what one call costs as its argument grows.
-- On a new database with the extension, release build:
--   psql -X -d DB -f bench/input_size.sql
-- Prints psql's \timing for each call: properties at 100, 1,000 and 10,000 (the limit; one
-- more is refused at once), the bulk check and letta_create_agents on 10,000 agents.
\set ON_ERROR_STOP on
CREATE TEMP TABLE props AS
SELECT n, (SELECT jsonb_agg(jsonb_build_object('key', 'k' || i, 'value', i, 'type', 'number'))
             FROM generate_series(1, n) i) AS j
  FROM (VALUES (100), (1000), (10000), (10001)) v(n);
CREATE TEMP TABLE batch AS
SELECT jsonb_agg(jsonb_build_object('name', 'agent ' || i, 'tags', jsonb_build_array('t' || (i % 50), 'common'),
                                    'metadata', jsonb_build_object('i', i))) AS j
  FROM generate_series(1, 10000) i;
\timing on
\echo letta_create_identity with 100, 1000, 10000 properties
SELECT count(*) FROM props, letta_create_identity('size_' || n, 'x', properties => j) WHERE n = 100;
SELECT count(*) FROM props, letta_create_identity('size_' || n, 'x', properties => j) WHERE n = 1000;
SELECT count(*) FROM props, letta_create_identity('size_' || n, 'x', properties => j) WHERE n = 10000;
\echo letta_upsert_identity_properties and letta_update_identity (a merge) with 10000
SELECT count(*) FROM props, letta_upsert_identity_properties((SELECT id FROM letta_list_identities(identifier_key => 'size_10000')), j) WHERE n = 10000;
SELECT count(*) FROM props, letta_update_identity((SELECT id FROM letta_list_identities(identifier_key => 'size_10000')), properties => j) WHERE n = 10000;
\echo 10001 properties: refused before any work on the index
\set ON_ERROR_STOP off
SELECT count(*) FROM props, letta_create_identity('size_over', 'x', properties => j) WHERE n = 10001;
\set ON_ERROR_STOP on
\echo the bulk check alone, then letta_create_agents, on 10000 agents
SELECT _letta_check_agents(j, (SELECT proargnames FROM pg_proc WHERE oid = 'letta_create_agent'::regproc)) FROM batch;
SELECT cardinality(letta_create_agents(j)) FROM batch;
