-- Every filter of letta_list_agents / letta_count_agents and of letta_list_identities /
-- letta_count_identities, alone and together (ANDed).

SELECT count(*) AS identities FROM (
    SELECT letta_create_identity('u1', 'Caren Smith', 'user', 'proj-a',
               properties => '[{"key": "plan", "value": "pro", "type": "string"}]')
    UNION ALL SELECT letta_create_identity('u2', 'Sarah Smithers', 'user', 'proj-b')
    UNION ALL SELECT letta_create_identity('u3', 'Acme', 'org', 'proj-a',
               properties => '[{"key": "plan", "value": "free", "type": "string"}]')
    UNION ALL SELECT letta_create_identity('u1', 'Caren (no project)', 'user')) made;

SELECT name FROM letta_list_identities(name => 'SMITH') ORDER BY name;
SELECT name FROM letta_list_identities(project_id => 'proj-a') ORDER BY name;
SELECT name FROM letta_list_identities(identifier_key => 'u1') ORDER BY name;
SELECT name FROM letta_list_identities(identity_type => 'org');
SELECT name FROM letta_list_identities(property_key => 'plan', property_value => '"free"');
SELECT name FROM letta_list_identities(name => 'caren', project_id => 'proj-a');
SELECT letta_count_identities() AS all_of_them, letta_count_identities(name => 'smith') AS smiths,
       letta_count_identities(project_id => 'proj-a', identity_type => 'user') AS proj_a_users,
       letta_count_identities(property_key => 'plan') AS with_plan,
       letta_count_identities(identifier_key => 'nobody') AS nobody;
SELECT test.error_of($$ SELECT * FROM letta_list_identities(identity_type => 'robot') $$);
SELECT test.error_of($$ SELECT letta_count_identities(identity_type => '') $$);
-- Several property conditions at once (properties: all must hold), with property_key too.
SELECT letta_upsert_identity_properties(id, '[{"key": "plan", "value": "pro", "type": "string"},
                                              {"key": "seats", "value": 5, "type": "number"},
                                              {"key": "prefs", "value": {"lang": "en", "tz": "UTC"}, "type": "json"}]')
       IS NOT NULL AS updated
  FROM letta_list_identities(identifier_key => 'u2');
SELECT name FROM letta_list_identities(properties => '[{"key": "plan", "value": "pro"}, {"key": "seats", "value": 5}]');
SELECT name FROM letta_list_identities(properties => '[{"key": "plan", "value": "pro"}, {"key": "seats"}]');
SELECT name FROM letta_list_identities(properties => '[{"key": "prefs", "value": {"lang": "en"}}]');
SELECT name FROM letta_list_identities(property_key => 'plan', property_value => '"pro"', properties => '[{"key": "seats", "value": 6}]');
SELECT name FROM letta_list_identities(properties => '[]', project_id => 'proj-b');
SELECT letta_count_identities(properties => '[{"key": "plan"}]') AS with_plan,
       letta_count_identities(properties => '[{"key": "plan", "value": "pro"}, {"key": "seats", "value": 5}]') AS pro_with_5_seats,
       (SELECT jsonb_array_length(items) FROM letta_list_identities_page(properties => '[{"key": "plan", "value": "pro"}]')) AS on_a_page;
SELECT test.error_of($$ SELECT * FROM letta_list_identities(properties => '{"key": "plan"}') $$);
SELECT test.error_of($$ SELECT * FROM letta_list_identities(properties => '[{"value": 1}]') $$);
SELECT test.error_of($$ SELECT * FROM letta_list_identities(properties => '[{"key": "plan", "type": "string"}]') $$);
SELECT test.error_of($$ SELECT letta_count_identities(properties => '[{"key": "seats", "value": [5]}]') $$);

SELECT count(*) AS agents FROM (
    SELECT letta_create_agent(name => 'Support Bot', tags => ARRAY['support', 'en'], project_id => 'proj-a',
                              identity_ids => ARRAY[(SELECT id FROM letta_list_identities(identifier_key => 'u1', project_id => 'proj-a'))])
    UNION ALL SELECT letta_create_agent(name => 'support bot', tags => ARRAY['support', 'fr'], project_id => 'proj-b')
    UNION ALL SELECT letta_create_agent(name => 'Writer', tags => ARRAY['drafts'], project_id => 'proj-a', hidden => true,
                              identity_ids => ARRAY[(SELECT id FROM letta_list_identities(identifier_key => 'u2'))])) made;

SELECT name FROM letta_list_agents(name => 'Support Bot');
SELECT name FROM letta_list_agents(query_text => 'BOT') ORDER BY name;
SELECT name FROM letta_list_agents(project_id => 'proj-a');
SELECT name FROM letta_list_agents(project_id => 'proj-a', include_hidden => true) ORDER BY name;
SELECT name FROM letta_list_agents(identifier_keys => ARRAY['u2']);
SELECT name FROM letta_list_agents(identifier_keys => ARRAY['u2'], include_hidden => true);
SELECT name FROM letta_agents_by_key(ARRAY['u2']);
SELECT name FROM letta_agents_by_key(ARRAY['u2'], include_hidden => true);
SELECT name FROM letta_list_agents(tags => ARRAY['support'], query_text => 'support', project_id => 'proj-b');
SELECT letta_count_agents() AS visible, letta_count_agents(include_hidden => true) AS all_of_them,
       letta_count_agents(tags => ARRAY['support']) AS support,
       letta_count_agents(tags => ARRAY['support', 'en'], match_all_tags => true) AS support_en,
       letta_count_agents(identifier_keys => ARRAY['u1', 'u2'], include_hidden => true) AS of_u1_u2,
       letta_count_agents(name => 'nobody') AS nobody;
SELECT test.error_of($$ SELECT letta_count_agents(tags => ARRAY[NULL]) $$);
SELECT test.error_of($$ SELECT letta_count_agents(identity_id => 'identity-1') $$);
-- An agent linked to two of the keys asked for comes once (Letta's list repeats it).
SELECT (letta_attach_agent((SELECT id FROM letta_list_identities(identifier_key => 'u2')), id)) AS linked_to_u2_too
  FROM letta_list_agents(name => 'Support Bot');
SELECT name, count(*) AS times FROM letta_list_agents(identifier_keys => ARRAY['u1', 'u2'], include_hidden => true)
 GROUP BY name ORDER BY name;
SELECT name, count(*) AS times FROM letta_agents_by_key(ARRAY['u1', 'u2'], include_hidden => true) GROUP BY name ORDER BY name;
SELECT (letta_detach_agent((SELECT id FROM letta_list_identities(identifier_key => 'u2')), id)) AS unlinked
  FROM letta_list_agents(name => 'Support Bot');

-- letta_identity_agents pages like letta_list_agents; hidden agents are among an identity's
-- agents, as in Letta (include_hidden => false leaves them out).
SELECT count(*) AS agents FROM letta_identity_agents((SELECT id FROM letta_list_identities(identifier_key => 'u2')), include_hidden => false);
SELECT name FROM letta_identity_agents((SELECT id FROM letta_list_identities(identifier_key => 'u2')));
SELECT count(*) AS agents FROM letta_identity_agents((SELECT id FROM letta_list_identities(identifier_key => 'u3')));

-- Letta's rule: a new agent tagged role:subagent is hidden, even with hidden => false, by either
-- create path; a tag added later, or hidden => false in an update, is the caller's choice.
SELECT (letta_create_agent(name => 'Helper', tags => ARRAY['role:subagent', 'coder'], hidden => false)).hidden AS helper_hidden;
SELECT cardinality(letta_create_agents('[{"name": "Bulk helper", "tags": ["role:subagent"], "hidden": false},
                                          {"name": "Bulk agent", "tags": ["role:coder"]}]')) AS bulk;
SELECT name, hidden FROM letta_list_agents(query_text => 'helper', include_hidden => true, ascending => true);
SELECT name, hidden FROM letta_list_agents(name => 'Bulk agent');
SELECT count(*) AS visible_helpers FROM letta_list_agents(tags => ARRAY['role:subagent']);
SELECT (letta_update_agent((SELECT id FROM letta_list_agents(name => 'Bulk agent')), tags => ARRAY['role:subagent'])).hidden AS tagged_later;
SELECT (letta_update_agent((SELECT id FROM letta_list_agents(name => 'Helper', include_hidden => true)), hidden => false)).hidden AS shown_again;
SELECT name FROM letta_list_agents(tags => ARRAY['role:subagent']) ORDER BY name;

DELETE FROM letta_identities;
DELETE FROM letta_agents;
