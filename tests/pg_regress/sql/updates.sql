-- Changing and deleting: letta_update_identity (merge), letta_upsert_identity (replace),
-- letta_upsert_identity_properties, letta_delete_identity, letta_update_agent,
-- letta_delete_agent, letta_add_agent_tags, letta_remove_agent_tags.

SELECT id AS caren FROM letta_create_identity('user_1', 'Caren',
    properties => '[{"key": "plan", "value": "free", "type": "string"},
                    {"key": "seats", "value": 1, "type": "number"}]') \gset
SELECT name FROM letta_create_agent(name => 'a1', id => test.agent_id(1), tags => ARRAY['x']);
SELECT name FROM letta_create_agent(name => 'a2', id => test.agent_id(2));
SELECT name FROM letta_create_agent(name => 'a3', id => test.agent_id(3));

-- Update merges: given values overwrite, NULL keeps; properties merge by key (in place or
-- appended); agent_ids are added to the links, never removed.
SELECT letta_attach_agent(:'caren', test.agent_id(1)) AS attached;
SELECT identifier_key, name, identity_type, properties, cardinality(agent_ids) AS agents,
       updated_at > created_at AS touched
  FROM letta_update_identity(:'caren', name => 'Caren B.', identity_type => 'other',
         properties => '[{"key": "vip", "value": true, "type": "boolean"},
                         {"key": "plan", "value": "pro", "type": "string"}]',
         agent_ids => ARRAY[test.agent_id(2)]);
SELECT identifier_key, name FROM letta_update_identity(:'caren', identifier_key => 'user_one');
SELECT identifier_key FROM letta_create_identity('user_2', 'Sarah');
SELECT test.error_of(format($$ SELECT letta_update_identity(%L, identifier_key => 'user_2') $$, :'caren'));
SELECT test.error_of(format($$ SELECT letta_update_identity(%L, name => '') $$, :'caren'));
SELECT test.error_of(format($$ SELECT letta_update_identity(%L, identity_type => 'robot') $$, :'caren'));
SELECT test.error_of(format($$ SELECT letta_update_identity(%L, properties => '[{"key": "x"}]') $$, :'caren'));
SELECT test.error_of(format($$ SELECT letta_update_identity(%L, agent_ids => ARRAY[%L]) $$, :'caren', test.agent_id(9)));
SELECT test.error_of($$ SELECT letta_update_identity('identity-00000000-0000-4000-8000-000000000001', name => 'x') $$);
-- Failed updates changed nothing.
SELECT identifier_key, name, identity_type, cardinality(agent_ids) AS agents FROM letta_get_identity(:'caren');

-- Upsert replaces: name, type and properties; links only when given (NULL keeps, {} clears).
SELECT name, identity_type, properties, cardinality(agent_ids) AS agents
  FROM letta_upsert_identity('user_one', 'Caren C.', 'user', properties => '[{"key": "seats", "value": 3, "type": "number"}]');
SELECT id = :'caren' AS same_identity, cardinality(agent_ids) AS agents
  FROM letta_upsert_identity('user_one', 'Caren C.', agent_ids => ARRAY[test.agent_id(3)]);
SELECT agent_ids = ARRAY[test.agent_id(3)] AS exactly_a3 FROM letta_get_identity(:'caren');
SELECT cardinality(agent_ids) AS agents FROM letta_upsert_identity('user_one', 'Caren C.', agent_ids => '{}');
-- Upsert in another project is another identity.
SELECT identifier_key, project_id, id <> :'caren' AS other_identity
  FROM letta_upsert_identity('user_one', 'Caren at work', project_id => 'work');
SELECT test.error_of($$ SELECT letta_upsert_identity(NULL, 'x') $$);
SELECT test.error_of($$ SELECT letta_upsert_identity('k', 'x', agent_ids => ARRAY['agent-00000000-0000-4000-8000-000000000009']) $$);

-- Replace the property list.
SELECT properties FROM letta_upsert_identity_properties(:'caren', '[{"key": "lang", "value": "en", "type": "string"}]');
SELECT properties FROM letta_upsert_identity_properties(:'caren', '[]');
SELECT test.error_of(format($$ SELECT letta_upsert_identity_properties(%L, NULL) $$, :'caren'));
SELECT test.error_of(format($$ SELECT letta_upsert_identity_properties(%L, '{}') $$, :'caren'));

-- Agents: NULL keeps; tags and identity_ids replace exactly; an empty list clears.
SELECT letta_attach_agent(:'caren', test.agent_id(1)) AS attached;
SELECT name, tags, model, context_window_limit, metadata, hidden, cardinality(identity_ids) AS users
  FROM letta_update_agent(test.agent_id(1), model => 'openai/gpt-4o', context_window_limit => 8000,
                          metadata => '{"v": 2}');
SELECT name, tags, model, cardinality(identity_ids) AS users
  FROM letta_update_agent(test.agent_id(1), name => 'renamed', tags => ARRAY['z', 'y', 'z']);
SELECT tags FROM letta_update_agent(test.agent_id(1), tags => '{}');
SELECT identity_ids = ARRAY[(SELECT id FROM letta_list_identities(identifier_key => 'user_2'))] AS only_sarah
  FROM letta_update_agent(test.agent_id(1), identity_ids => ARRAY[(SELECT id FROM letta_list_identities(identifier_key => 'user_2'))]);
SELECT identity_ids FROM letta_update_agent(test.agent_id(1), identity_ids => '{}');
SELECT hidden FROM letta_update_agent(test.agent_id(1), hidden => true);
SELECT test.error_of(format($$ SELECT letta_update_agent(%L, context_window_limit => -1) $$, test.agent_id(1)));
SELECT test.error_of(format($$ SELECT letta_update_agent(%L, tags => ARRAY[NULL]) $$, test.agent_id(1)));
SELECT test.error_of(format($$ SELECT letta_update_agent(%L, identity_ids => ARRAY['identity-00000000-0000-4000-8000-000000000009']) $$, test.agent_id(1)));
SELECT test.error_of(format($$ SELECT letta_update_agent(%L, name => 'x') $$, test.agent_id(9)));

-- Tag edits without rewriting the list.
SELECT letta_add_agent_tags(test.agent_id(2), ARRAY['b', 'a']) AS tags;
SELECT letta_add_agent_tags(test.agent_id(2), ARRAY['c', 'a']) AS tags;
SELECT letta_remove_agent_tags(test.agent_id(2), ARRAY['a', 'absent']) AS tags;
SELECT letta_remove_agent_tags(test.agent_id(2), '{}') AS tags;
SELECT test.error_of(format($$ SELECT letta_add_agent_tags(%L, ARRAY['']) $$, test.agent_id(2)));
SELECT test.error_of(format($$ SELECT letta_remove_agent_tags(%L, ARRAY['x']) $$, test.agent_id(9)));

-- Deletes: links go, the other side stays. A second delete is P0002.
SELECT letta_attach_agent(:'caren', test.agent_id(2)) AS a2, letta_attach_agent(:'caren', test.agent_id(3)) AS a3;
SELECT 'deleted' AS result FROM letta_delete_agent(test.agent_id(2));
SELECT agent_ids = ARRAY[test.agent_id(3)] AS only_a3_left FROM letta_get_identity(:'caren');
SELECT test.error_of(format($$ SELECT letta_delete_agent(%L) $$, test.agent_id(2)));
SELECT 'deleted' AS result FROM letta_delete_identity(:'caren');
SELECT name, identity_ids FROM letta_get_agent(test.agent_id(3));
SELECT test.masked(test.error_of(format($$ SELECT letta_delete_identity(%L) $$, :'caren')));
SELECT test.error_of($$ SELECT letta_delete_identity(NULL) $$);
SELECT test.error_of($$ SELECT letta_delete_agent('agent-x') $$);

DELETE FROM letta_identities;
DELETE FROM letta_agents;
