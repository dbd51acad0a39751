-- letta_create_identity, letta_get_identity: fields, Letta's JSON, keys, properties, errors.

-- Letta's scenario: create with key "1234", a name, type user and two properties.
SELECT id AS ident FROM letta_create_identity(
    identifier_key => '1234', name => 'caren', identity_type => 'user',
    properties => '[{"key": "plan", "value": "pro", "type": "string"},
                    {"key": "age", "value": 28, "type": "number"}]') \gset
SELECT identifier_key, name, identity_type, project_id, agent_ids, block_ids, organization_id,
       properties, id = :'ident' AS same_id,
       id ~ '^identity-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' AS letta_id_form,
       created_at = updated_at AS fresh
  FROM letta_get_identity(:'ident');

-- The result row has Letta's fields in Letta's order, then the timestamps ...
SELECT string_agg(attname, ', ' ORDER BY attnum) AS columns
  FROM pg_attribute WHERE attrelid = 'letta_identity'::regclass AND attnum > 0;
-- ... and to_jsonb(row) is Letta's response (the multi-user guide's example, plus block_ids).
SELECT to_jsonb(i) - 'created_at' - 'updated_at' = jsonb_build_object(
           'id', i.id, 'identifier_key', 'user_1', 'name', 'Caren', 'identity_type', 'user',
           'project_id', NULL, 'agent_ids', '[]'::jsonb, 'block_ids', '[]'::jsonb,
           'organization_id', 'org-00000000-0000-4000-8000-000000000000',
           'properties', '[]'::jsonb) AS is_lettas_json
  FROM letta_create_identity('user_1', 'Caren') i;

-- identifier_key is unique per (organization, project); a NULL project counts as one value.
SELECT test.error_of($$ SELECT letta_create_identity('1234', 'again') $$);
SELECT identifier_key, project_id FROM letta_create_identity('1234', 'in a project', project_id => 'proj-a');
SELECT test.error_of($$ SELECT letta_create_identity('1234', 'again', project_id => 'proj-a') $$);
SELECT identifier_key, project_id FROM letta_create_identity('1234', 'other project', project_id => 'proj-b');

-- identity_type: user (default), org, other.
SELECT identity_type FROM letta_create_identity('acme', 'Acme', identity_type => 'org');
SELECT identity_type FROM letta_create_identity('bot', 'Bot', 'other');
SELECT test.error_of($$ SELECT letta_create_identity('x1', 'X', identity_type => 'admin') $$);
SELECT test.error_of($$ SELECT letta_create_identity('x1', 'X', identity_type => NULL) $$);

-- Required values.
SELECT test.error_of($$ SELECT letta_create_identity(NULL, 'X') $$);
SELECT test.error_of($$ SELECT letta_create_identity('', 'X') $$);
SELECT test.error_of($$ SELECT letta_create_identity('x2', NULL) $$);
SELECT test.error_of($$ SELECT letta_create_identity('x2', '') $$);
SELECT test.error_of($$ SELECT letta_create_identity('x2', 'X', project_id => '') $$);

-- Properties: checked against their type; a repeated key keeps its place and its last value.
SELECT properties FROM letta_create_identity('p1', 'P', properties => '[
    {"key": "a", "value": true, "type": "boolean"},
    {"key": "b", "value": {"x": 1}, "type": "json"},
    {"key": "a", "value": false, "type": "boolean"}]');
SELECT properties FROM letta_create_identity('p2', 'P', properties => NULL);
SELECT test.error_of($$ SELECT letta_create_identity('x3', 'X', properties => '{"plan": "pro"}') $$);
SELECT test.error_of($$ SELECT letta_create_identity('x3', 'X', properties => '["plan"]') $$);
SELECT test.error_of($$ SELECT letta_create_identity('x3', 'X', properties => '[{"key": "n", "value": "7", "type": "number"}]') $$);
SELECT test.error_of($$ SELECT letta_create_identity('x3', 'X', properties => '[{"key": "n", "value": [1], "type": "json"}]') $$);
SELECT test.error_of($$ SELECT letta_create_identity('x3', 'X', properties => '[{"key": "n", "value": 1, "type": "integer"}]') $$);
SELECT test.error_of($$ SELECT letta_create_identity('x3', 'X', properties => '[{"value": 1, "type": "number"}]') $$);
SELECT test.error_of($$ SELECT letta_create_identity('x3', 'X', properties => '[{"key": "n", "value": 1, "type": "number", "note": "?"}]') $$);

-- agent_ids must name agents of this organization.
SELECT test.error_of(format($$ SELECT letta_create_identity('x4', 'X', agent_ids => ARRAY[%L]) $$, test.agent_id(999)));
SELECT test.error_of($$ SELECT letta_create_identity('x4', 'X', agent_ids => ARRAY['agent-1']) $$);
SELECT test.error_of($$ SELECT letta_create_identity('x4', 'X', agent_ids => ARRAY[NULL]) $$);
-- A failed create leaves nothing behind.
SELECT count(*) AS leftovers FROM letta_identities WHERE identifier_key LIKE 'x%';

-- letta_get_identity errors: malformed (22P02), unknown (P0002), NULL (22023).
SELECT test.error_of($$ SELECT letta_get_identity('identity-00000000-0000-4000-8000-000000000001') $$);
SELECT test.error_of($$ SELECT letta_get_identity('identity-nope') $$);
SELECT test.error_of($$ SELECT letta_get_identity('agent-00000000-0000-4000-8000-000000000001') $$);
SELECT test.error_of($$ SELECT letta_get_identity('identity-00000000-0000-4000-8000-00000000000A') $$);
SELECT test.error_of($$ SELECT letta_get_identity(NULL) $$);

DELETE FROM letta_identities;
