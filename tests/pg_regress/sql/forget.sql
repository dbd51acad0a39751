-- letta_forget_identity: an end user forgotten in one call (the right to be forgotten). Caren
-- has two agents of her own and one shared with Dan, a block of her own and one shared with Dan.
SELECT id AS caren FROM letta_create_identity('forget_caren', 'Caren') \gset
SELECT id AS dan FROM letta_create_identity('forget_dan', 'Dan') \gset
SELECT count(*) AS agents FROM (
    SELECT letta_create_agent(name => 'caren 1', tags => ARRAY['forget'], identity_ids => ARRAY[:'caren'], id => test.agent_id(901))
    UNION ALL SELECT letta_create_agent(name => 'caren 2', tags => ARRAY['forget'], identity_ids => ARRAY[:'caren'], id => test.agent_id(902))
    UNION ALL SELECT letta_create_agent(name => 'shared', tags => ARRAY['forget'], identity_ids => ARRAY[:'caren', :'dan'], id => test.agent_id(903))
    UNION ALL SELECT letta_create_agent(name => 'dan', tags => ARRAY['forget'], identity_ids => ARRAY[:'dan'], id => test.agent_id(904))) made;
SELECT id AS caren_block FROM letta_create_block('human', 'Caren likes tea', identity_ids => ARRAY[:'caren']) \gset
SELECT id AS shared_block FROM letta_create_block('team', 'Caren and Dan', identity_ids => ARRAY[:'caren', :'dan']) \gset

-- A dry run says what would go, and deletes nothing.
SELECT kind, replace(replace(id, :'caren', 'caren'), :'caren_block', 'caren_block') AS id
  FROM letta_forget_identity(:'caren', dry_run => true);
SELECT letta_count_identities() AS identities, letta_count_agents(tags => ARRAY['forget']) AS agents,
       (SELECT count(*) FROM letta_blocks_by_key(ARRAY['forget_caren'])) AS caren_blocks;
-- What is kept can be chosen: the identity alone, or with its blocks only.
SELECT kind, count(*) FROM letta_forget_identity(:'caren', agents => false, blocks => false, dry_run => true) GROUP BY kind ORDER BY kind;
SELECT kind, count(*) FROM letta_forget_identity(:'caren', agents => false, dry_run => true) GROUP BY kind ORDER BY kind;

-- What forget keeps that still holds Caren's data (letta_forget_identity_kept): the agent and
-- the block she shares with Dan; with agents => false, her agents too; with blocks => false, her block.
SELECT kind, replace(replace(replace(id, test.agent_id(903), 'shared agent'), :'shared_block', 'shared block'),
                     :'caren_block', 'caren_block') AS id
  FROM letta_forget_identity_kept(:'caren');
SELECT kind, count(*) FROM letta_forget_identity_kept(:'caren', agents => false) GROUP BY kind ORDER BY kind;
SELECT kind, replace(replace(id, :'shared_block', 'shared block'), :'caren_block', 'caren_block') AS id
  FROM letta_forget_identity_kept(:'caren', blocks => false) WHERE kind = 'block' ORDER BY 2;
SELECT test.error_of(format($$ SELECT letta_forget_identity_kept(%L, agents => NULL) $$, :'caren'));
SELECT test.masked(test.error_of($$ SELECT letta_forget_identity_kept('identity-00000000-0000-4000-8000-000000000000') $$));

-- Refusals: each argument named.
SELECT test.error_of($$ SELECT letta_forget_identity(NULL) $$);
SELECT test.error_of($$ SELECT letta_forget_identity('caren') $$);
SELECT test.masked(test.error_of($$ SELECT letta_forget_identity('identity-00000000-0000-4000-8000-000000000000') $$));
SELECT test.error_of(format($$ SELECT letta_forget_identity(%L, agents => NULL) $$, :'caren'));
SELECT test.error_of(format($$ SELECT letta_forget_identity(%L, blocks => NULL) $$, :'caren'));
SELECT test.error_of(format($$ SELECT letta_forget_identity(%L, dry_run => NULL) $$, :'caren'));

-- Forgotten: Caren, her own agents (with their tag entries and links) and her own block go;
-- Dan keeps the shared agent and block, now his alone.
SELECT kind, replace(replace(id, :'caren', 'caren'), :'caren_block', 'caren_block') AS id
  FROM letta_forget_identity(:'caren');
SELECT test.masked(test.error_of(format($$ SELECT letta_get_identity(%L) $$, :'caren')));
SELECT name, identity_ids = ARRAY[:'dan'] AS dans_alone FROM letta_list_agents(tags => ARRAY['forget']);
SELECT label, identity_ids = ARRAY[:'dan'] AS dans_alone FROM letta_blocks_by_key(ARRAY['forget_dan']);
SELECT count(*) AS caren_links_left FROM letta_identities_agents WHERE identity_id = substr(:'caren', 10)::uuid;
SELECT count(*) AS tag_entries_of_forgotten_agents FROM letta_agents_tags
 WHERE agent_id IN (substr(test.agent_id(901), 7)::uuid, substr(test.agent_id(902), 7)::uuid);
-- Twice is "not found".
SELECT test.masked(test.error_of(format($$ SELECT letta_forget_identity(%L) $$, :'caren')));

DELETE FROM letta_identities WHERE identifier_key = 'forget_dan';
DELETE FROM letta_agents WHERE 'forget' = ANY (tags);
DELETE FROM letta_blocks WHERE label = 'team';
