-- letta_create_agent, letta_get_agent: fields, tags as a set, supplied ids, errors.

-- Every argument is optional.
SELECT name, tags, identity_ids, project_id, organization_id, model, embedding,
       context_window_limit, memory_blocks, metadata, hidden,
       id ~ '^agent-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' AS letta_id_form
  FROM letta_create_agent();

SELECT string_agg(attname, ', ' ORDER BY attnum) AS columns
  FROM pg_attribute WHERE attrelid = 'letta_agent'::regclass AND attnum > 0;

-- All fields, and an id kept from a Letta server.
SELECT id, name, tags, project_id, model, embedding, context_window_limit, test.masked(memory_blocks::text) AS memory_blocks, metadata
  FROM letta_create_agent(
         name => 'Search Agent One',
         tags => ARRAY['primary', 'benefit_1', 'primary', 'Benefit_1'],
         model => 'openai/gpt-4o-mini',
         embedding => 'openai/text-embedding-3-small',
         context_window_limit => 16000,
         memory_blocks => '[{"label": "human", "value": "Name: Caren", "limit": 5000}]',
         project_id => 'proj-a',
         metadata => '{"team": "support"}',
         id => test.agent_id(1));
SELECT name, tags, created_at = updated_at AS fresh FROM letta_get_agent(test.agent_id(1));

-- NULL for an optional argument means "not given".
SELECT tags, identity_ids, memory_blocks, metadata
  FROM letta_create_agent(tags => NULL, identity_ids => NULL, memory_blocks => NULL, metadata => NULL);

-- An id can be used once.
SELECT test.error_of(format($$ SELECT letta_create_agent(id => %L) $$, test.agent_id(1)));
SELECT test.error_of($$ SELECT letta_create_agent(id => 'agent-1234') $$);
SELECT test.error_of($$ SELECT letta_create_agent(id => 'identity-00000000-0000-4000-8000-000000000001') $$);

-- Tags: no NULL, no empty tag.
SELECT test.error_of($$ SELECT letta_create_agent(tags => ARRAY['a', NULL]) $$);
SELECT test.error_of($$ SELECT letta_create_agent(tags => ARRAY['']) $$);

-- Shapes of the other arguments.
SELECT test.error_of($$ SELECT letta_create_agent(context_window_limit => 0) $$);
SELECT test.error_of($$ SELECT letta_create_agent(metadata => '[1]') $$);
SELECT test.error_of($$ SELECT letta_create_agent(memory_blocks => '{}') $$);
SELECT test.error_of($$ SELECT letta_create_agent(memory_blocks => '[{"label": "human"}]') $$);
-- A block's limit is advisory, as in Letta: a longer value is kept.
SELECT b->>'value' AS value, b->'limit' AS "limit"
  FROM letta_create_agent(memory_blocks => '[{"label": "h", "value": "abcdef", "limit": 3}]') a, jsonb_array_elements(a.memory_blocks) b;
SELECT test.error_of($$ SELECT letta_create_agent(memory_blocks => '[{"label": "h", "value": ""}, {"label": "h", "value": ""}]') $$);
SELECT test.error_of($$ SELECT letta_create_agent(project_id => '') $$);

-- identity_ids must name identities of this organization. (A failed call writes nothing:
-- PostgreSQL rolls the statement back, and no count after it could show otherwise.)
SELECT test.error_of($$ SELECT letta_create_agent(name => 'orphan', identity_ids => ARRAY['identity-00000000-0000-4000-8000-000000000009']) $$);
SELECT test.error_of($$ SELECT letta_create_agent(name => 'orphan', identity_ids => ARRAY['identity-x']) $$);

-- letta_get_agent errors.
SELECT test.error_of(format($$ SELECT letta_get_agent(%L) $$, test.agent_id(2)));
SELECT test.error_of($$ SELECT letta_get_agent('agent-') $$);
SELECT test.error_of($$ SELECT letta_get_agent(NULL) $$);

-- A 1 MB value is named, but cut short, in the message.
SELECT test.error_of(format($$ SELECT letta_get_agent(%L) $$, 'agent-' || repeat('x', 1000000)));

-- Identities embedded as Letta 1.0 returns them (identities, the last field; identity_ids stays
-- for older callers), each with every field of Letta's Identity (agent_ids and block_ids empty,
-- as Letta's are): always from get, create and update; from the lists when asked.
SELECT id AS ann FROM letta_create_identity('agents_ann', 'Ann', properties => '[{"key": "plan", "value": "pro", "type": "string"}]') \gset
SELECT id AS bob FROM letta_create_identity('agents_bob', 'Bob', identity_type => 'org', project_id => 'p') \gset
SELECT id AS shared, jsonb_array_length(identities) AS on_create
  FROM letta_create_agent('shared', identity_ids => ARRAY[:'ann', :'bob']) \gset
SELECT :on_create AS on_create;
SELECT jsonb_pretty(identities) = jsonb_pretty((SELECT jsonb_agg(jsonb_build_object(
           'id', i.id, 'identifier_key', i.identifier_key, 'name', i.name, 'identity_type', i.identity_type,
           'project_id', i.project_id, 'agent_ids', '[]'::jsonb, 'block_ids', '[]'::jsonb,
           'organization_id', i.organization_id, 'properties', i.properties) ORDER BY i.id)
           FROM letta_list_identities() i WHERE i.identifier_key LIKE 'agents\_%')) AS each_identity_whole,
       (SELECT array_agg(e->>'id') FROM jsonb_array_elements(identities) e) = identity_ids AS in_identity_ids_order
  FROM letta_get_agent(:'shared');
SELECT e->>'identifier_key' AS identifier_key, e->>'name' AS name, e->>'identity_type' AS identity_type,
       e->>'project_id' AS project_id, e->'properties' AS properties
  FROM letta_get_agent(:'shared') a, jsonb_array_elements(a.identities) e ORDER BY 1;
SELECT jsonb_array_length(identities) AS after_update
  FROM letta_update_agent(:'shared', identity_ids => ARRAY[:'bob']);
SELECT identities AS no_identities FROM letta_create_agent('alone');
SELECT name, identities IS NULL AS not_asked, memory_blocks IS NULL AS memory_not_asked
  FROM letta_list_agents(query_text => 'shared');
SELECT name, jsonb_array_length(identities) AS identities, memory_blocks
  FROM letta_list_agents(query_text => 'shared', include_identities => true);
SELECT name, jsonb_array_length(identities) AS identities FROM letta_agents_by_key(ARRAY['agents_bob'], include_identities => true);
SELECT name, jsonb_array_length(identities) AS identities FROM letta_identity_agents(:'bob', include_identities => true);
SELECT jsonb_array_length(items->0->'identities') AS in_page
  FROM letta_list_agents_page(query_text => 'shared', include_identities => true);
DELETE FROM letta_identities WHERE identifier_key LIKE 'agents\_%';

DELETE FROM letta_agents;
