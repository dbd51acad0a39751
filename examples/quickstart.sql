-- Letta's multi-user guide, step by step, in SQL.
-- Run it with: psql -h localhost -p 54815 -U postgres -d letta_demo -f examples/quickstart.sql
\set ON_ERROR_STOP on
\set QUIET on
\pset footer off

\echo '== 1. Create an identity for the app user Caren (identifier_key user_1)'
SELECT id AS caren
  FROM letta_create_identity(identifier_key => 'user_1', name => 'Caren', identity_type => 'user') \gset
-- to_jsonb of the row is the JSON Letta's API returns (printed bare: \a \t).
\a \t
SELECT jsonb_pretty(to_jsonb(i) - 'created_at' - 'updated_at') AS identity
  FROM letta_get_identity(:'caren') i;
\a \t

\echo '== 2. Create an agent for Caren: memory blocks, model, context window, embedding'
SELECT id AS agent
  FROM letta_create_agent(
         name                 => 'caren-assistant',
         memory_blocks        => '[{"label": "human", "value": "The human''s name is Caren."},
                                   {"label": "persona", "value": "I am a helpful assistant."}]',
         model                => 'openai/gpt-4o-mini',
         context_window_limit => 16000,
         embedding            => 'openai/text-embedding-3-small',
         identity_ids         => ARRAY[:'caren']) \gset
\a \t
SELECT jsonb_pretty(to_jsonb(a) - 'created_at' - 'updated_at') AS agent
  FROM letta_get_agent(:'agent') a;
\a \t

\echo '== 3. List the agents of user_1'
SELECT name, model, identity_ids
  FROM letta_agents_by_key(ARRAY['user_1']);

\echo '== 4. Create Sarah (user_2) with the same agent: two users share one agent'
SELECT identifier_key, name, agent_ids
  FROM letta_create_identity(identifier_key => 'user_2', name => 'Sarah', agent_ids => ARRAY[:'agent']);
SELECT name, cardinality(identity_ids) AS users
  FROM letta_get_agent(:'agent');
SELECT name FROM letta_agents_by_key(ARRAY['user_2']);

\echo '== 5. Tag an agent with the user id, and list agents by that tag'
SELECT name, tags
  FROM letta_create_agent(name => 'tagged-assistant', tags => ARRAY['user_1'],
                          model => 'openai/gpt-4o-mini', embedding => 'openai/text-embedding-3-small');
SELECT name, tags
  FROM letta_list_agents(tags => ARRAY['user_1']);
