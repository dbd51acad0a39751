-- Links between identities and agents: at create time, attach, detach.

SELECT id AS caren FROM letta_create_identity('user_1', 'Caren') \gset
SELECT id AS sarah FROM letta_create_identity('user_2', 'Sarah') \gset
SELECT id AS a1 FROM letta_create_agent(name => 'a1', identity_ids => ARRAY[:'caren']) \gset
SELECT id AS a2 FROM letta_create_agent(name => 'a2') \gset

-- Both sides see the link.
SELECT identity_ids = ARRAY[:'caren'] AS linked FROM letta_get_agent(:'a1');
SELECT agent_ids = ARRAY[:'a1'] AS linked FROM letta_get_identity(:'caren');

-- Attach is idempotent: true when it links, false when the link was there.
SELECT letta_attach_agent(:'caren', :'a2') AS attached;
SELECT letta_attach_agent(:'caren', :'a2') AS attached_again;
SELECT cardinality(agent_ids) AS agents FROM letta_get_identity(:'caren');

-- An identity created with agent_ids: one agent shared by two users (repeats collapse).
SELECT cardinality(agent_ids) AS agents FROM letta_create_identity('user_3', 'Ann', agent_ids => ARRAY[:'a1', :'a1']);
SELECT cardinality(identity_ids) AS users FROM letta_get_agent(:'a1');

-- Detach is idempotent too.
SELECT letta_detach_agent(:'caren', :'a2') AS detached;
SELECT letta_detach_agent(:'caren', :'a2') AS detached_again;
SELECT letta_detach_agent(:'sarah', :'a2') AS never_attached;
SELECT cardinality(agent_ids) AS agents FROM letta_get_identity(:'caren');

-- Missing or malformed ends: P0002 and 22P02 (and the statement is rolled back).
SELECT test.error_of(format($$ SELECT letta_attach_agent(%L, %L) $$, :'caren', test.agent_id(77)));
SELECT test.error_of(format($$ SELECT letta_attach_agent(%L, %L) $$, 'identity-00000000-0000-4000-8000-000000000077', :'a1'));
SELECT test.error_of(format($$ SELECT letta_detach_agent(%L, %L) $$, :'caren', test.agent_id(77)));
SELECT test.error_of(format($$ SELECT letta_attach_agent(%L, %L) $$, test.agent_id(1), :'a1'));
SELECT test.error_of(format($$ SELECT letta_attach_agent(NULL, %L) $$, :'a1'));
SELECT test.error_of(format($$ SELECT letta_detach_agent(%L, NULL) $$, :'caren'));

-- By key: attach and detach name the identity by the app's own key, and a new agent takes
-- identifier_keys, without a lookup first; a key names each identity with it (any project).
SELECT letta_attach_agent_by_key('user_2', :'a2') AS attached, letta_attach_agent_by_key('user_2', :'a2') AS again;
SELECT identity_ids = ARRAY[:'sarah'] AS sarahs FROM letta_get_agent(:'a2');
SELECT letta_detach_agent_by_key('user_2', :'a2') AS detached, letta_detach_agent_by_key('user_2', :'a2') AS again;
SELECT id AS proj FROM letta_create_identity('user_2', 'Sarah at work', project_id => 'work') \gset
SELECT name, (SELECT array_agg(x ORDER BY x) FROM unnest(identity_ids) x)
     = (SELECT array_agg(x ORDER BY x) FROM unnest(ARRAY[:'caren', :'sarah', :'proj']) x) AS three
  FROM letta_create_agent(name => 'by key', identifier_keys => ARRAY['user_1', 'user_2'], identity_ids => ARRAY[:'caren']);
SELECT name FROM letta_agents_by_key(ARRAY['user_2']) ORDER BY name;
SELECT test.error_of(format($$ SELECT letta_attach_agent_by_key('user_9', %L) $$, :'a2'));
SELECT test.error_of($$ SELECT letta_create_agent(name => 'nobodys', identifier_keys => ARRAY['user_1', 'user_9']) $$);
SELECT count(*) AS not_created FROM letta_list_agents(name => 'nobodys');
SELECT test.error_of(format($$ SELECT letta_attach_agent_by_key(NULL, %L) $$, :'a2'));
SELECT test.error_of(format($$ SELECT letta_detach_agent_by_key('', %L) $$, :'a2'));
SELECT test.error_of($$ SELECT letta_create_agent(identifier_keys => ARRAY['user_1', NULL]) $$);
SELECT test.masked(test.error_of($$ SELECT letta_attach_agent_by_key('user_1', 'agent-00000000-0000-4000-8000-000000000077') $$));
DELETE FROM letta_agents WHERE name = 'by key';
DELETE FROM letta_identities WHERE project_id = 'work';

-- Deleting an agent removes its links, and the identity stays (through the agent-side index).
DELETE FROM letta_agents WHERE id = substr(:'a1', 7)::uuid;
SELECT agent_ids FROM letta_get_identity(:'caren');
SELECT count(*) AS links FROM letta_identities_agents;

DELETE FROM letta_identities;
DELETE FROM letta_agents;

-- The internal helpers name their kind explicitly: a misspelt one is a bug that fails (XX000),
-- never a silent read or write of another table.
SELECT test.error_of($$ SELECT _letta_exists(_letta_org(), 'agnet', gen_random_uuid()) $$);
SELECT test.error_of($$ SELECT _letta_lock_rows(_letta_org(), 'agnet', '{}') $$);
SELECT test.error_of($$ SELECT _letta_link(_letta_org(), 'identity', '{}', '{}') $$);
SELECT test.error_of($$ SELECT _letta_unlink(_letta_org(), 'blocks', '{}', '{}') $$);
SELECT test.error_of($$ SELECT _letta_cursor_at('blocks', 'blocks-00000000-0000-4000-8000-000000000000', 'after') $$);
