-- The update from 0.4.0 at scale: a 0.4.0 database of :agents agents (5 tags each from
-- 1,000, two inline memory blocks each, one agent in ten shared by a second identity) and
-- :identities identities with a shared block each, in one organization, written straight into
-- 0.4.0's tables; then ALTER EXTENSION letta_identity UPDATE TO '0.5.0' (the update that moves
-- data), timed, with the locks it held and the size before and after VACUUM; then the updates
-- from 0.5.0 to the installed version, timed.
-- Run by bench/upgrade (a database with CREATE EXTENSION letta_identity VERSION '0.4.0').
\set ON_ERROR_STOP on
\set QUIET on
\pset tuples_only on
\set org '''55555555-5555-4555-8555-555555555555''::uuid'

INSERT INTO letta_identities (organization_id, id, identifier_key, name, identity_type)
SELECT :org, ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
       'user_' || n, 'User ' || n, 'user'
  FROM generate_series(1, :identities) n;
INSERT INTO letta_agents (organization_id, id, name, tags, model, embedding, memory_blocks)
SELECT :org, ('10000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'agent ' || n,
       ARRAY(SELECT DISTINCT 'tag-' || lpad((1 + (n::bigint * 7919 + k * 104729) % 1000)::text, 4, '0')
               FROM generate_series(1, 5) k ORDER BY 1),
       'openai/gpt-4o-mini', 'openai/text-embedding-3-small',
       jsonb_build_array(jsonb_build_object('label', 'human', 'value', 'The user ' || n, 'limit', 5000),
                         jsonb_build_object('label', 'persona', 'value', 'A helpful agent'))
  FROM generate_series(1, :agents) n;
INSERT INTO letta_identities_agents (organization_id, identity_id, agent_id)
SELECT :org, ('00000000-0000-4000-8000-' || lpad(to_hex(1 + n % :identities), 12, '0'))::uuid,
       ('10000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid
  FROM generate_series(1, :agents) n
UNION ALL
SELECT :org, ('00000000-0000-4000-8000-' || lpad(to_hex(1 + (n::bigint * 31) % :identities), 12, '0'))::uuid,
       ('10000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid
  FROM generate_series(10, :agents, 10) n
 WHERE (n::bigint * 31) % :identities <> n % :identities;
INSERT INTO letta_blocks (organization_id, id, label, value)
SELECT :org, ('20000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'preferences', 'likes ' || n
  FROM generate_series(1, :identities) n;
INSERT INTO letta_identities_blocks (organization_id, identity_id, block_id)
SELECT :org, ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
       ('20000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid
  FROM generate_series(1, :identities) n;
VACUUM ANALYZE;
SELECT format('0.4.0 database: %s agents, %s links, %s identities, %s blocks, %s',
              (SELECT count(*) FROM letta_agents), (SELECT count(*) FROM letta_identities_agents),
              (SELECT count(*) FROM letta_identities), (SELECT count(*) FROM letta_blocks),
              pg_size_pretty(pg_database_size(current_database())));

SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
BEGIN;
ALTER EXTENSION letta_identity UPDATE TO '0.5.0';
-- What the update holds until it commits: every lock stronger than ROW EXCLUSIVE on a table.
SELECT 'held until commit: ' || string_agg(format('%s %s', c.relname, l.mode), ', ' ORDER BY c.relname, l.mode)
  FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
 WHERE l.pid = pg_backend_pid() AND c.relkind = 'r' AND c.relname LIKE 'letta\_%'
   AND l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock');
COMMIT;
SELECT format('ALTER EXTENSION letta_identity UPDATE: %s s (in one transaction)',
              round((extract(epoch FROM clock_timestamp()) - :t0)::numeric, 1));
SELECT format('0.5.0 database: %s agents, %s blocks, %s memory links, %s tag index rows, %s',
              (SELECT count(*) FROM letta_agents), (SELECT count(*) FROM letta_blocks),
              (SELECT count(*) FROM letta_blocks_agents), (SELECT count(*) FROM letta_agents_tags),
              pg_size_pretty(pg_database_size(current_database())));
VACUUM ANALYZE;
SELECT format('0.5.0 database after VACUUM ANALYZE: %s', pg_size_pretty(pg_database_size(current_database())));
SELECT extract(epoch FROM clock_timestamp()) AS t1 \gset
ALTER EXTENSION letta_identity UPDATE;
SELECT format('ALTER EXTENSION letta_identity UPDATE from 0.5.0 to %s: %s s',
              (SELECT extversion FROM pg_extension WHERE extname = 'letta_identity'),
              round((extract(epoch FROM clock_timestamp()) - :t1)::numeric, 1));
