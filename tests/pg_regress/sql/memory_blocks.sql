-- An agent's memory_blocks are blocks: letta_create_agent(s) makes a block of each (and takes
-- existing blocks by block_ids), letta_update_agent changes them by label or sets them by
-- block_ids, and deleting an agent keeps them (as Letta does) unless asked.

-- Created with the agent, in the list's order: each a block in its memory, returned as Letta's
-- blocks; keys that are not a block's columns are kept in its metadata.
SELECT id AS team FROM letta_create_block('team', 'we ship on Fridays') \gset
SELECT id AS sam, jsonb_array_length(memory_blocks) AS blocks FROM letta_create_agent('sam',
       memory_blocks => '[{"label": "human", "value": "Sam likes tea", "limit": 100, "description": "the user",
                           "template_name": "human_v1", "metadata": {"source": "onboarding"}},
                          {"label": "persona", "value": "I help Sam", "read_only": true}]',
       block_ids => ARRAY[:'team']) \gset
SELECT :blocks AS blocks;
SELECT b->>'label' AS label, b->>'value' AS value, b->'limit' AS "limit", b->>'description' AS description,
       b->'metadata' AS metadata, b->'read_only' AS read_only, b->>'id' ~ '^block-' AS block_id
  FROM letta_get_agent(:'sam') a, jsonb_array_elements(a.memory_blocks) WITH ORDINALITY e(b, n) ORDER BY n;
SELECT label, value FROM letta_agent_blocks(:'sam');
SELECT value, metadata FROM letta_get_agent_block(:'sam', 'human');
-- Lists read an agent's memory when asked (include_memory): a probe and a sort per agent.
SELECT memory_blocks = (SELECT jsonb_agg(b) FROM letta_get_agent(:'sam') a, jsonb_array_elements(a.memory_blocks) b) AS same_as_get
  FROM letta_list_agents(name => 'sam', include_memory => true);
SELECT memory_blocks IS NULL AS not_asked FROM letta_list_agents(name => 'sam');
SELECT (SELECT memory_blocks FROM letta_agents_by_key(ARRAY['nobody'], include_memory => true)) IS NULL AS no_rows,
       (SELECT jsonb_array_length(memory_blocks) FROM letta_block_agents(:'team', include_memory => true)) AS sams_via_team,
       (SELECT has_more FROM letta_list_agents_page(name => 'sam', include_memory => true)) AS page_has_more,
       (SELECT jsonb_array_length(items->0->'memory_blocks') FROM letta_list_agents_page(name => 'sam', include_memory => true)) AS in_page;

-- The same through the bulk path, and an agent that shares a block with another by block_ids.
SELECT count(*) AS created FROM unnest(letta_create_agents(jsonb_build_array(
    jsonb_build_object('name', 'bulk_a', 'memory_blocks', '[{"label": "human", "value": "A"}, {"label": "notes", "value": "", "x": 1}]'::jsonb),
    jsonb_build_object('name', 'bulk_b', 'block_ids', jsonb_build_array(:'team', :'team'),
                       'memory_blocks', '[{"label": "human", "value": "B"}]'::jsonb)))) id;
SELECT a.name, b->>'label' AS label, b->>'value' AS value, b->'metadata' AS metadata
  FROM letta_list_agents(query_text => 'bulk_', ascending => true, include_memory => true) a,
       jsonb_array_elements(a.memory_blocks) WITH ORDINALITY e(b, n)
 ORDER BY a.name, n;
SELECT string_agg(name, ', ' ORDER BY name) AS agents_of_team FROM letta_block_agents(:'team');

-- One block per label in an agent: memory_blocks and block_ids together are checked first.
SELECT test.error_of(format($$ SELECT letta_create_agent(memory_blocks => '[{"label": "team", "value": "x"}]', block_ids => ARRAY[%L]) $$, :'team'));
SELECT id AS other_team FROM letta_create_block('team', 'another team') \gset
SELECT test.error_of(format($$ SELECT letta_create_agent(block_ids => ARRAY[%L, %L]) $$, :'team', :'other_team'));
SELECT test.error_of(format($$ SELECT letta_create_agents('[{}, {"block_ids": [%s], "memory_blocks": [{"label": "team", "value": "x"}]}]') $$, to_json(:'team'::text)));
SELECT test.error_of($$ SELECT letta_create_agent(block_ids => ARRAY['block-00000000-0000-4000-8000-000000000009']) $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"block_ids": ["block-00000000-0000-4000-8000-000000000009"]}]') $$);
SELECT test.error_of($$ SELECT letta_create_agent(block_ids => ARRAY['agent-00000000-0000-4000-8000-000000000009']) $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"block_ids": [null]}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"block_ids": "block-00000000-0000-4000-8000-000000000009"}]') $$);
-- Every key of a block is checked, in both paths.
SELECT test.error_of($$ SELECT letta_create_agent(memory_blocks => '[{"label": "h", "value": "", "description": 1}]') $$);
SELECT test.error_of($$ SELECT letta_create_agent(memory_blocks => '[{"label": "h", "value": "", "metadata": "x"}]') $$);
SELECT test.error_of($$ SELECT letta_create_agent(memory_blocks => '[{"label": "h", "value": "", "read_only": "yes"}]') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"memory_blocks": [{"label": "h", "value": "", "limit": 1.5}]}]') $$);

-- Updating memory_blocks makes the agent's memory those labels: a label it has changes that
-- block in place (same id, keys not given kept), a new label is a new block, and a block whose
-- label is left out leaves its memory.
SELECT id AS human FROM letta_get_agent_block(:'sam', 'human') \gset
SELECT jsonb_agg(b->>'label' ORDER BY n) AS labels
  FROM letta_update_agent(:'sam', memory_blocks => '[{"label": "human", "value": "Sam likes coffee"},
                                                     {"label": "persona", "value": "I help Sam"},
                                                     {"label": "goals", "value": "ship"}]') a,
       jsonb_array_elements(a.memory_blocks) WITH ORDINALITY e(b, n);
SELECT id = :'human' AS same_block, value, "limit", description, metadata FROM letta_get_agent_block(:'sam', 'human');
-- The team block left Sam's memory; another agent still has it, so it stays.
SELECT count(*) AS sams_team FROM letta_agent_blocks(:'sam') WHERE label = 'team';
SELECT label FROM letta_get_block(:'team');
-- read_only is for the agent's own memory tools: the API changes such a block (as in Letta).
SELECT b->>'value' AS value, b->'read_only' AS read_only
  FROM letta_update_agent(:'sam', memory_blocks => '[{"label": "persona", "value": "changed"}, {"label": "human", "value": "Sam likes coffee"}]') a,
       jsonb_array_elements(a.memory_blocks) b WHERE b->>'label' = 'persona';
-- The limit is advisory (as in Letta): a longer value is kept; a limit must be positive.
SELECT length(b->>'value') AS value_length, b->'limit' AS "limit"
  FROM letta_update_agent(:'sam', memory_blocks => format('[{"label": "human", "value": "%s"}, {"label": "persona", "value": "changed"}]', repeat('x', 101))::jsonb) a,
       jsonb_array_elements(a.memory_blocks) b WHERE b->>'label' = 'human';
SELECT test.error_of(format($$ SELECT letta_update_agent(%L, memory_blocks => '[{"label": "human", "value": "ok", "limit": 0}]') $$, :'sam'));
-- block_ids sets the memory exactly, by blocks: the others leave it and stay.
SELECT jsonb_agg(b->>'label' ORDER BY b->>'label') AS labels
  FROM letta_update_agent(:'sam', block_ids => ARRAY[:'team', :'human']) a, jsonb_array_elements(a.memory_blocks) b;
SELECT test.masked(test.error_of(format($$ SELECT letta_update_agent(%L, block_ids => ARRAY[%L, %L]) $$, :'sam', :'team', :'other_team')));
SELECT test.masked(test.error_of(format($$ SELECT letta_update_agent(%L, block_ids => ARRAY['block-00000000-0000-4000-8000-000000000000']) $$, :'sam')));
SELECT test.error_of(format($$ SELECT letta_update_agent(%L, block_ids => '{}', memory_blocks => '[]') $$, :'sam'));
-- An empty list clears its memory; the blocks stay.
SELECT memory_blocks FROM letta_update_agent(:'sam', memory_blocks => '[]');
SELECT label AS human_kept FROM letta_get_block(:'human');

-- Deleting an agent keeps the blocks of its memory, as Letta does; delete_blocks => true
-- deletes those that no other agent and no identity has.
SELECT id AS ann FROM letta_create_identity('memory_blocks_ann', 'Ann') \gset
SELECT id AS ann_block FROM letta_create_block('ann', 'Ann''s notes', identity_ids => ARRAY[:'ann']) \gset
SELECT id AS kim FROM letta_create_agent('kim', memory_blocks => '[{"label": "human", "value": "Kim"}]',
                                         block_ids => ARRAY[:'team', :'ann_block']) \gset
SELECT id AS kims_human FROM letta_get_agent_block(:'kim', 'human') \gset
SELECT 'deleted' AS result FROM letta_delete_agent(:'kim', delete_blocks => true);
SELECT test.masked(test.error_of(format($$ SELECT letta_get_block(%L) $$, :'kims_human'))) AS own_block;
SELECT label AS shared_kept FROM letta_get_block(:'team') UNION ALL SELECT label FROM letta_get_block(:'ann_block');
SELECT id AS lee FROM letta_create_agent('lee', memory_blocks => '[{"label": "human", "value": "Lee"}]') \gset
SELECT id AS lees_human FROM letta_get_agent_block(:'lee', 'human') \gset
SELECT 'deleted' AS result FROM letta_delete_agent(:'lee');
SELECT value AS kept FROM letta_get_block(:'lees_human');
SELECT test.error_of(format($$ SELECT letta_delete_agent(%L, delete_blocks => NULL) $$, :'sam'));

-- Forgetting a user deletes the memory of the agents that go with them, not a block that an
-- agent that stays or another identity has.
SELECT id AS joe FROM letta_create_identity('memory_blocks_joe', 'Joe') \gset
SELECT id AS joes_agent FROM letta_create_agent('joe''s agent', identity_ids => ARRAY[:'joe'],
                                                memory_blocks => '[{"label": "human", "value": "Joe"}]',
                                                block_ids => ARRAY[:'team']) \gset
SELECT id AS joes_human FROM letta_get_agent_block(:'joes_agent', 'human') \gset
SELECT kind, CASE id WHEN :'joe' THEN 'Joe' WHEN :'joes_agent' THEN 'his agent'
                     WHEN :'joes_human' THEN 'his agent''s memory' ELSE id END AS would_go
  FROM letta_forget_identity(:'joe', dry_run => true) ORDER BY kind;
SELECT count(*) AS forgotten FROM letta_forget_identity(:'joe');
SELECT test.masked(test.error_of(format($$ SELECT letta_get_block(%L) $$, :'joes_human'))) AS his_memory;
SELECT label AS team_kept FROM letta_get_block(:'team');

-- Clean up for the files that follow.
SELECT count(*) AS deleted FROM (SELECT letta_delete_agent(id, delete_blocks => true) FROM letta_list_agents(page_size => 1000)
                                  WHERE name IN ('sam', 'bulk_a', 'bulk_b')) d;
DELETE FROM letta_blocks WHERE id IN (SELECT substr(x, 7)::uuid FROM unnest(ARRAY[:'team', :'other_team', :'ann_block', :'lees_human', :'human']) x);
DELETE FROM letta_identities WHERE identifier_key LIKE 'memory\_blocks\_%';
SELECT count(*) AS blocks_left FROM letta_blocks;
