-- Agents' memory on the loaded data (scripts/bench, after bench/load.sql): one identity in ten
-- gets a block of its own ("human"); a hundred "persona" blocks are each in the memory of 1,000
-- agents (agent n: persona n % 100, for n % 10 = 0); one "policy" block is in the memory of
-- every tenth agent (100,000 at 1M). Blocks through the function; links set-based, as a load.
\set ON_ERROR_STOP on
\set QUIET on
SET letta.organization_id = 'org-00000000-0000-4000-8000-000000000000';
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
CREATE TABLE bench.block (name text PRIMARY KEY, id text NOT NULL);
SELECT count(letta_create_block('human', 'about user ' || i.n, identity_ids => ARRAY[i.id]))
  FROM bench.identity i WHERE i.n % 10 = 1 \g /dev/null
INSERT INTO bench.block
SELECT 'persona ' || n, (letta_create_block('persona', 'persona ' || n)).id FROM generate_series(0, 99) n;
INSERT INTO bench.block SELECT 'policy', (letta_create_block('policy', 'be kind')).id;
INSERT INTO letta_blocks_agents (organization_id, agent_id, block_id, block_label)
SELECT '00000000-0000-4000-8000-000000000000', substr(a.id, 7)::uuid, substr(b.id, 7)::uuid, l.label
  FROM bench.agent a
  CROSS JOIN LATERAL (VALUES ('persona ' || a.n % 100, 'persona'), ('policy', 'policy')) l(name, label)
  JOIN bench.block b ON b.name = l.name
 WHERE a.n % 10 = 0;
INSERT INTO bench.timing SELECT 'memory: blocks and links', extract(epoch FROM clock_timestamp()) - :t0;
ANALYZE letta_blocks, letta_blocks_agents, letta_identities_blocks;
GRANT SELECT ON bench.block TO letta_bench_app;
