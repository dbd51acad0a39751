-- letta_create_agents: the bulk path. Same fields, checks and links as letta_create_agent,
-- many agents per call, all or nothing.
SELECT (letta_create_identity('bulk_1', 'Bulk One')).identifier_key, (letta_create_identity('bulk_2', 'Bulk Two')).identifier_key;

-- The ids come back in input order; each object takes letta_create_agent's arguments.
CREATE TEMPORARY TABLE created AS
SELECT * FROM unnest(letta_create_agents(jsonb_build_array(
           jsonb_build_object('id', test.agent_id(1), 'name', 'first', 'tags', jsonb_build_array('b', 'a', 'b'),
                              'identity_ids', (SELECT jsonb_agg(id) FROM letta_list_identities()
                                                WHERE identifier_key IN ('bulk_1', 'bulk_2')),
                              'model', 'openai/gpt-4o-mini', 'embedding', 'openai/text-embedding-3-small',
                              'context_window_limit', 8000, 'memory_blocks', '[{"label": "human", "value": "x"}]'::jsonb,
                              'metadata', '{"k": 1}'::jsonb, 'project_id', 'proj-bulk'),
           jsonb_build_object('id', test.agent_id(2), 'name', 'second', 'hidden', true,
                              'identity_ids', (SELECT jsonb_agg(id) FROM letta_list_identities(identifier_key => 'bulk_2')))))
       ) WITH ORDINALITY AS created(id, n);
SELECT n, created.id = test.agent_id(n::integer) AS kept_id, a.name, a.tags, a.identity_ids = ARRAY(
           SELECT id FROM letta_list_identities() WHERE identifier_key IN ('bulk_1', 'bulk_2') AND n = 1
           UNION ALL SELECT id FROM letta_list_identities(identifier_key => 'bulk_2') WHERE n = 2
           ORDER BY 1) AS linked,
       a.model, a.embedding, a.context_window_limit, test.masked(a.memory_blocks::text) AS memory_blocks, a.metadata, a.project_id, a.hidden
  FROM created
  JOIN LATERAL letta_get_agent(created.id) a ON true
 ORDER BY n;

-- Defaults, as letta_create_agent's; generated ids are Letta's form.
SELECT cardinality(ids) AS created, bool_and(id ~ '^agent-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$') AS letta_id_form
  FROM letta_create_agents('[{}, {"name": null, "tags": null, "identity_ids": null}]') AS ids, unnest(ids) id
 GROUP BY ids;
SELECT letta_create_agents('[]') AS nothing;
SELECT count(*) AS by_key_bulk_2, count(*) FILTER (WHERE hidden) AS hidden
  FROM letta_agents_by_key(ARRAY['bulk_2'], include_hidden => true);

-- Errors name the element and the value (a failed call writes nothing: the statement is rolled back).
SELECT count(*) AS agents_before FROM letta_agents;
SELECT test.error_of($$ SELECT letta_create_agents(NULL) $$);
SELECT test.error_of($$ SELECT letta_create_agents('{"name": "x"}') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"name": "ok"}, 7]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"name": "ok"}, {"nmae": "typo"}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"context_window_limit": -1}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"context_window_limit": "many"}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"tags": "x"}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"tags": ["ok", null]}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"tags": [""]}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"id": "agent-1"}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"identity_ids": ["identity-00000000-0000-4000-8000-000000000009"]}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"memory_blocks": {"label": "x"}}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"metadata": [1]}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"project_id": ""}]') $$);
-- Every key of every element is checked before anything is written, and the error names both.
SELECT test.error_of($$ SELECT letta_create_agents('[{"name": "ok"}, {"name": 7}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"hidden": "yes"}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"context_window_limit": 1e12}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{}, {}, {"identity_ids": [null]}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"identity_ids": ["agent-00000000-0000-4000-8000-000000000009"]}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"tags": [1]}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"memory_blocks": [{"label": "h", "value": "abc", "limit": 0}]}]') $$);
SELECT test.masked(test.error_of(format($$ SELECT letta_create_agents('[{"id": %s}]') $$, to_jsonb(test.agent_id(1)))));
SELECT test.masked(test.error_of(format($$ SELECT letta_create_agents('[{"id": %1$s}, {"id": %1$s}]') $$, to_jsonb(test.agent_id(3)))));

DELETE FROM letta_identities;
DELETE FROM letta_agents;
