-- Agents' memory, as Letta has it: blocks in an agent's memory (one per label), shared between
-- agents, and the blocks of the identities an agent belongs to (shared by one user's agents).

SELECT id AS ann FROM letta_create_identity('memory_ann', 'Ann') \gset
SELECT id AS bob FROM letta_create_identity('memory_bob', 'Bob') \gset
SELECT id AS helper FROM letta_create_agent('helper', identity_ids => ARRAY[:'ann']) \gset
SELECT id AS coder FROM letta_create_agent('coder', identity_ids => ARRAY[:'ann', :'bob']) \gset
SELECT id AS persona FROM letta_create_block('persona', 'I am a helpful assistant') \gset
SELECT id AS human FROM letta_create_block('human', 'Ann likes tea', identity_ids => ARRAY[:'ann']) \gset
SELECT id AS team FROM letta_create_block('team', 'Ann and Bob work together', identity_ids => ARRAY[:'ann', :'bob']) \gset

-- Attach is idempotent; a block can be in several agents' memory. Detaching a block that is
-- not in the agent's memory is P0002, as in Letta. Both stamp the agent's updated_at.
SELECT letta_attach_agent_block(:'helper', :'persona') AS attached,
       letta_attach_agent_block(:'helper', :'persona') AS again;
SELECT letta_attach_agent_block(:'coder', :'persona') AS shared;
SELECT label, value FROM letta_agent_blocks(:'helper');
SELECT string_agg(name, ', ') AS agents_of_persona FROM letta_block_agents(:'persona');
SELECT value FROM letta_get_agent_block(:'helper', 'persona');
SELECT updated_at AS coder_before FROM letta_get_agent(:'coder') \gset
SELECT letta_detach_agent_block(:'coder', :'persona') AS detached;
SELECT updated_at > :'coder_before' AS stamped FROM letta_get_agent(:'coder');
SELECT test.masked(test.error_of(format($$ SELECT letta_detach_agent_block(%L, %L) $$, :'coder', :'persona'))) AS again;
SELECT updated_at AS coder_before FROM letta_get_agent(:'coder') \gset
SELECT letta_attach_agent_block(:'coder', :'persona') AS attached, letta_detach_agent_block(:'coder', :'persona') AS detached;
SELECT updated_at > :'coder_before' AS stamped FROM letta_get_agent(:'coder');
SELECT count(*) AS coder_blocks FROM letta_agent_blocks(:'coder');

-- An agent's whole memory: its own blocks, then its identities' blocks (each once).
SELECT label, value, identity_ids = '{}' AS own FROM letta_agent_memory(:'helper');
SELECT label FROM letta_agent_memory(:'coder');
-- A label in both: the agent's own block wins; between identities' blocks, the oldest.
SELECT id AS my_human FROM letta_create_block('human', 'helper''s own notes on Ann') \gset
SELECT letta_attach_agent_block(:'helper', :'my_human') AS attached;
SELECT label, value FROM letta_agent_memory(:'helper');
SELECT id AS bob_human FROM letta_create_block('human', 'Bob likes coffee', identity_ids => ARRAY[:'bob']) \gset
SELECT label, value FROM letta_agent_memory(:'coder');

-- One block per label in an agent: attaching another "persona" is refused, naming both.
SELECT id AS persona2 FROM letta_create_block('persona', 'I am terse') \gset
SELECT test.masked(test.error_of(format($$ SELECT letta_attach_agent_block(%L, %L) $$, :'helper', :'persona2')));
-- Renaming a block renames it in every agent's memory, unless an agent has that label already.
SELECT label FROM letta_update_block(:'persona', label => 'character');
SELECT label FROM letta_agent_blocks(:'helper');
SELECT value FROM letta_get_agent_block(:'helper', 'character');
SELECT test.masked(test.error_of(format($$ SELECT letta_update_block(%L, label => 'human') $$, :'persona')));
SELECT test.masked(test.error_of(format($$ SELECT letta_get_agent_block(%L, 'persona') $$, :'helper')));
-- The table refuses a link whose label is not its block's, and a block renamed directly while
-- it is in an agent's memory: the foreign key, checked at commit.
\set VERBOSITY terse
BEGIN;
INSERT INTO letta_blocks_agents
SELECT organization_id, id, substr(:'persona2', 7)::uuid, 'not its label' FROM letta_agents WHERE id = substr(:'coder', 7)::uuid;
-- expected error: 23503 at COMMIT (the deferred key)
COMMIT;
BEGIN;
UPDATE letta_blocks SET label = 'renamed' WHERE id = substr(:'persona', 7)::uuid;
-- expected error: 23503 at COMMIT (the deferred key)
COMMIT;
\set VERBOSITY default
-- read_only is for the agents' own memory tools (as in Letta): the API updates such a block,
-- and the flag stays.
SELECT label, read_only FROM letta_create_block('rules', 'Never share secrets', read_only => true);
SELECT id AS rules FROM letta_create_block('rules2', 'Always cite sources', read_only => true) \gset
SELECT value, read_only FROM letta_update_block(:'rules', value => 'Share freely');
SELECT value, read_only FROM letta_get_block(:'rules');
SELECT value, read_only FROM letta_update_block(:'rules', value => 'Cite sources when asked', read_only => false);
SELECT read_only FROM letta_update_block(:'rules', read_only => true);
SELECT value FROM letta_update_block(:'rules', read_only => true);

-- Pages of a block's agents, as the other lists.
SELECT id AS shared FROM letta_create_block('shared', 'one block, many agents') \gset
SELECT string_agg(name, ', ') AS created FROM (
    SELECT (letta_create_agent('a' || n)).name FROM generate_series(1, 5) n) c;
SELECT count(*) FILTER (WHERE letta_attach_agent_block(id, :'shared')) AS attached
  FROM letta_list_agents(query_text => 'a', page_size => 100) WHERE name ~ '^a[1-5]$';
SELECT string_agg(name, ', ') AS newest_first FROM letta_block_agents(:'shared');
SELECT id AS a4 FROM letta_block_agents(:'shared') WHERE name = 'a4' \gset
SELECT string_agg(name, ', ') AS after_a4 FROM letta_block_agents(:'shared', after => :'a4', page_size => 2);
SELECT string_agg(name, ', ') AS oldest_first FROM letta_block_agents(:'shared', ascending => true, page_size => 3);
-- Hidden agents are among a block's agents, as in Letta; include_hidden => false leaves them out.
SELECT (letta_update_agent(:'a4', hidden => true)).hidden AS a4_hidden;
SELECT string_agg(name, ', ') AS with_hidden FROM letta_block_agents(:'shared');
SELECT string_agg(name, ', ') AS without_hidden FROM letta_block_agents(:'shared', include_hidden => false);
SELECT test.error_of(format($$ SELECT * FROM letta_block_agents(%L, page_size => 0) $$, :'shared'));
SELECT test.error_of(format($$ SELECT * FROM letta_block_agents(%L, include_hidden => NULL) $$, :'shared'));

-- A block in the memory of 10,000 agents or more: its pages walk the agents in list order,
-- keeping those that have it (here every other agent of 20,020, one in seven hidden); the
-- pages are the same as those read from all of the block's agents.
SELECT cardinality(letta_create_agents((SELECT jsonb_agg(jsonb_build_object('name', 'walk ' || n, 'hidden', n % 7 = 0))
                                          FROM generate_series(1, 20020) n))) AS created;
SELECT id AS popular FROM letta_create_block('popular', 'in many agents') \gset
INSERT INTO letta_blocks_agents
SELECT organization_id, id, substr(:'popular', 7)::uuid, 'popular' FROM letta_agents
 WHERE name LIKE 'walk %' AND substr(name, 6)::integer % 2 = 0;
CREATE TEMP TABLE popular_agents AS
SELECT 'agent-' || a.id AS id, a.created_at, a.hidden FROM letta_agents a
 WHERE a.name LIKE 'walk %' AND substr(a.name, 6)::integer % 2 = 0;
SELECT id AS middle FROM popular_agents ORDER BY created_at, id OFFSET 5000 LIMIT 1 \gset
SELECT array(SELECT id FROM letta_block_agents(:'popular', include_hidden => false))
     = array(SELECT id FROM popular_agents WHERE NOT hidden ORDER BY created_at DESC, id DESC LIMIT 50) AS newest_first,
       array(SELECT id FROM letta_block_agents(:'popular', include_hidden => true, after => :'middle'))
     = array(SELECT id FROM popular_agents
              WHERE created_at < (SELECT created_at FROM popular_agents WHERE id = :'middle')
              ORDER BY created_at DESC, id DESC LIMIT 50) AS after_middle,
       array(SELECT id FROM letta_block_agents(:'popular', include_hidden => false, ascending => true, before => :'middle', page_size => 20))
     = array(SELECT id FROM (SELECT * FROM popular_agents
                              WHERE NOT hidden AND created_at < (SELECT created_at FROM popular_agents WHERE id = :'middle')
                              ORDER BY created_at DESC, id DESC LIMIT 20) p ORDER BY created_at, id) AS ascending_before_middle,
       array(SELECT id FROM letta_block_agents(:'popular', include_hidden => false, ascending => true, page_size => 1000))
     = array(SELECT id FROM popular_agents WHERE NOT hidden ORDER BY created_at, id LIMIT 1000) AS oldest_first;
DELETE FROM letta_agents WHERE name LIKE 'walk %';
SELECT 'deleted' AS result FROM letta_delete_block(:'popular');

-- Deleting an agent takes it out of its blocks' memory lists; a block other agents have stays.
SELECT 'deleted' AS result FROM letta_delete_agent(:'a4');
SELECT count(*) AS agents_of_shared FROM letta_block_agents(:'shared', include_hidden => true);
SELECT label FROM letta_get_block(:'shared');
-- Deleting a block takes it out of every agent's memory.
SELECT 'deleted' AS result FROM letta_delete_block(:'shared');
SELECT count(*) AS links FROM letta_blocks_agents WHERE block_id = substr(:'shared', 7)::uuid;
SELECT count(*) AS deleted FROM (SELECT letta_delete_agent(id) FROM letta_list_agents(query_text => 'a', page_size => 100)
                                  WHERE name ~ '^a[1-5]$') d;

-- Forgetting a user keeps a block that is in the memory of an agent that stays.
SELECT id AS carl FROM letta_create_identity('memory_carl', 'Carl') \gset
SELECT id AS carls_agent FROM letta_create_agent('carl''s agent', identity_ids => ARRAY[:'carl']) \gset
SELECT id AS carl_notes FROM letta_create_block('carl', 'about Carl', identity_ids => ARRAY[:'carl']) \gset
SELECT id AS carl_private FROM letta_create_block('private', 'Carl only', identity_ids => ARRAY[:'carl']) \gset
SELECT letta_attach_agent_block(:'helper', :'carl_notes') AS in_helpers_memory;
SELECT kind, CASE id WHEN :'carl' THEN 'Carl' WHEN :'carls_agent' THEN 'his agent'
                     WHEN :'carl_private' THEN 'his private block' ELSE id END AS forgotten
  FROM letta_forget_identity(:'carl') ORDER BY kind;
SELECT label FROM letta_get_block(:'carl_notes');

-- Errors: missing agents and blocks, bad ids.
SELECT test.error_of($$ SELECT letta_attach_agent_block('agent-00000000-0000-4000-8000-000000000009', 'block-00000000-0000-4000-8000-000000000009') $$);
SELECT test.masked(test.error_of(format($$ SELECT letta_attach_agent_block(%L, 'block-00000000-0000-4000-8000-000000000009') $$, :'helper')));
SELECT test.masked(test.error_of(format($$ SELECT letta_detach_agent_block(%L, 'block-00000000-0000-4000-8000-000000000009') $$, :'helper')));
SELECT test.error_of($$ SELECT letta_attach_agent_block('identity-00000000-0000-4000-8000-000000000009', 'block-00000000-0000-4000-8000-000000000009') $$);
SELECT test.error_of($$ SELECT * FROM letta_agent_blocks('agent-00000000-0000-4000-8000-000000000009') $$);
SELECT test.error_of($$ SELECT * FROM letta_agent_memory('agent-00000000-0000-4000-8000-000000000009') $$);
SELECT test.error_of($$ SELECT * FROM letta_get_agent_block('agent-00000000-0000-4000-8000-000000000009', 'human') $$);
SELECT test.error_of($$ SELECT * FROM letta_block_agents('block-00000000-0000-4000-8000-000000000009') $$);

-- Another organization sees none of it.
SET letta.organization_id = 'org-33333333-3333-4333-8333-333333333333';
SELECT test.masked(test.error_of(format($$ SELECT * FROM letta_agent_memory(%L) $$, :'helper')));
SELECT test.masked(test.error_of(format($$ SELECT letta_attach_agent_block(%L, %L) $$, :'helper', :'persona')));
RESET letta.organization_id;

-- Clean up for the files that follow.
SELECT count(*) AS deleted FROM (SELECT letta_delete_agent(id) FROM letta_list_agents(include_hidden => true, page_size => 1000)
                                  WHERE id IN (:'helper', :'coder')) d;
DELETE FROM letta_blocks WHERE label IN ('persona', 'character', 'human', 'team', 'rules', 'rules2', 'carl');
DELETE FROM letta_identities WHERE identifier_key LIKE 'memory\_%';
