-- The ordered tag index on Citus: its triggers fire on the workers, on each shard of
-- letta_agents, and write the colocated shard of letta_agents_tags, through every kind of write.
CREATE VIEW test.tag_index_drift AS
SELECT count(*) AS drift FROM (
    (SELECT organization_id, tag::text, created_at, agent_id, hidden FROM letta_agents_tags
     EXCEPT ALL
     SELECT a.organization_id, t, a.created_at, a.id, a.hidden FROM letta_agents a, unnest(a.tags) t)
    UNION ALL
    (SELECT a.organization_id, t, a.created_at, a.id, a.hidden FROM letta_agents a, unnest(a.tags) t
     EXCEPT ALL
     SELECT organization_id, tag::text, created_at, agent_id, hidden FROM letta_agents_tags)) d;

-- Many organizations, so that every shard gets rows.
INSERT INTO letta_agents (organization_id, name, tags, hidden)
SELECT ('cccccccc-cccc-4ccc-8ccc-' || lpad(o::text, 12, '0'))::uuid, 'agent ' || o || '.' || n,
       ARRAY['all', 'n' || n % 3] || CASE WHEN n = 1 THEN ARRAY['first'] ELSE '{}' END, n % 5 = 0
  FROM generate_series(1, 20) o, generate_series(1, 10) n;
SELECT count(*) AS entries FROM letta_agents_tags;
SELECT array_agg(result ORDER BY nodeport) AS entries_on_workers
  FROM run_command_on_workers($$SELECT count(*) FROM pg_class WHERE relname LIKE 'letta\_agents\_tags\_%' AND relkind = 'r'$$);
SELECT * FROM test.tag_index_drift;

UPDATE letta_agents SET tags = array_remove(tags, 'all') || '{edited}'
 WHERE organization_id = 'cccccccc-cccc-4ccc-8ccc-000000000003';
UPDATE letta_agents SET hidden = NOT hidden WHERE name LIKE 'agent 4.%';
SELECT * FROM test.tag_index_drift;
SELECT count(*) AS edited FROM letta_agents_tags WHERE tag = 'edited';

DELETE FROM letta_agents WHERE organization_id = 'cccccccc-cccc-4ccc-8ccc-000000000005';
SELECT * FROM test.tag_index_drift;

COPY letta_agents (organization_id, name, tags) FROM stdin;
cccccccc-cccc-4ccc-8ccc-000000000007	copied	{copied,all}
cccccccc-cccc-4ccc-8ccc-000000000008	copied	{copied}
\.
SELECT count(*) AS copied FROM letta_agents_tags WHERE tag = 'copied';
SELECT * FROM test.tag_index_drift;

-- A rolled back write leaves nothing behind, on either table.
BEGIN;
DELETE FROM letta_agents WHERE name = 'copied';
ROLLBACK;
SELECT count(*) AS copied FROM letta_agents_tags WHERE tag = 'copied';

-- TRUNCATE empties the index on every shard (in a transaction rolled back: the rows stay for
-- the files after this one).
BEGIN;
SET LOCAL client_min_messages = warning;
TRUNCATE letta_agents CASCADE;
SELECT (SELECT count(*) FROM letta_agents) AS agents, (SELECT count(*) FROM letta_agents_tags) AS entries;
ROLLBACK;
SELECT count(*) > 0 AS entries_after_rollback FROM letta_agents_tags;
SELECT * FROM test.tag_index_drift;

-- A user cannot write the derived table, on any node.
SET ROLE letta_citus_a;
SELECT test.error_of($$ DELETE FROM letta_agents_tags $$);
RESET ROLE;
