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
SELECT test.error_of($$ SELECT letta_create_agent(memory_blocks => '[{"label": "h", "value": "abcdef", "limit": 3}]') $$);
SELECT test.error_of($$ SELECT letta_create_agent(memory_blocks => '[{"label": "h", "value": ""}, {"label": "h", "value": ""}]') $$);
SELECT test.error_of($$ SELECT letta_create_agent(project_id => '') $$);

-- identity_ids must name identities of this organization; a failed create writes nothing.
SELECT test.error_of($$ SELECT letta_create_agent(name => 'orphan', identity_ids => ARRAY['identity-00000000-0000-4000-8000-000000000009']) $$);
SELECT test.error_of($$ SELECT letta_create_agent(name => 'orphan', identity_ids => ARRAY['identity-x']) $$);
SELECT count(*) AS orphans FROM letta_agents WHERE name = 'orphan';

-- letta_get_agent errors.
SELECT test.error_of(format($$ SELECT letta_get_agent(%L) $$, test.agent_id(2)));
SELECT test.error_of($$ SELECT letta_get_agent('agent-') $$);
SELECT test.error_of($$ SELECT letta_get_agent(NULL) $$);

-- A 1 MB value is named, but cut short, in the message.
SELECT test.error_of(format($$ SELECT letta_get_agent(%L) $$, 'agent-' || repeat('x', 1000000)));

DELETE FROM letta_agents;
