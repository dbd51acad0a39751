-- The API on the distributed tables: a bound role's calls answer as on one node, and each
-- call of one organization runs on its one shard (Citus's counters: no multi-shard execution).
CREATE FUNCTION test.agent(n integer) RETURNS text LANGUAGE sql IMMUTABLE
RETURN 'agent-00000000-0000-4000-8000-' || lpad(n::text, 12, '0');

SET ROLE letta_citus_a;
SELECT identifier_key FROM letta_create_identity('api_1', 'API user');
SELECT identifier_key FROM letta_create_identity('api_2', 'Other API user');
SELECT name, tags FROM letta_create_agent(id => test.agent(1), name => 'one', tags => ARRAY['red', 'round'],
       identity_ids => ARRAY[(SELECT id FROM letta_list_identities(identifier_key => 'api_1'))]);
SELECT name, tags FROM letta_create_agent(id => test.agent(2), name => 'two', tags => ARRAY['red']);
SELECT name, tags FROM letta_create_agent(id => test.agent(3), name => 'three', tags => ARRAY['round', 'blue'], hidden => true);
SELECT name, tags FROM letta_create_agent(id => test.agent(4), name => 'four', tags => ARRAY['red', 'round']);
SELECT name, tags FROM letta_create_agent(id => test.agent(5), name => 'five', tags => ARRAY['blue']);
SELECT test.error_of(format($$ SELECT letta_create_agent(id => '%s') $$, test.agent(5)));
SELECT name FROM letta_get_agent(test.agent(1));
SELECT name FROM letta_list_agents();
SELECT name FROM letta_list_agents(tags => ARRAY['red']);
SELECT name FROM letta_list_agents(tags => ARRAY['red', 'blue']);
SELECT name FROM letta_list_agents(tags => ARRAY['red', 'round'], match_all_tags => true);
SELECT name FROM letta_list_agents(tags => ARRAY['round'], include_hidden => true, ascending => true);
SELECT name FROM letta_list_agents(identifier_keys => ARRAY['api_1']);
SELECT letta_count_agents(tags => ARRAY['red']) AS red, letta_count_agents() AS visible;
SELECT name FROM letta_agents_by_key(ARRAY['api_1']);
SELECT identifier_key FROM letta_list_identities();
SELECT letta_count_identities() AS identities;
SELECT * FROM letta_list_tags();
SELECT letta_add_agent_tags(test.agent(2), ARRAY['blue']) AS tags;
SELECT letta_remove_agent_tags(test.agent(2), ARRAY['red']) AS tags;
SELECT name, tags FROM letta_update_agent(test.agent(5), name => 'FIVE');
SELECT jsonb_path_query_array(p.items, '$[*].name') AS first_page, p.has_more FROM letta_list_agents_page(page_size => 2) p;
SELECT label FROM letta_create_block('human', 'likes red', identity_ids =>
       ARRAY[(SELECT id FROM letta_list_identities(identifier_key => 'api_1'))]);
SELECT label FROM letta_identity_blocks((SELECT id FROM letta_list_identities(identifier_key => 'api_1')));
SELECT letta_attach_agent((SELECT id FROM letta_list_identities(identifier_key => 'api_2')), test.agent(2)) IS NOT NULL AS attached;
SELECT name FROM letta_identity_agents((SELECT id FROM letta_list_identities(identifier_key => 'api_2')));
SELECT letta_delete_agent(test.agent(4)) AS deleted;
SELECT name FROM letta_list_agents(include_hidden => true);
RESET ROLE;
SELECT * FROM test.tag_index_drift;

-- One shard per call: every call of the API for one organization, counted by Citus (a call
-- may run several statements, each on the organization's shard).
SET citus.enable_stat_counters = on;
SET letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
SELECT id AS api_1 FROM letta_list_identities(identifier_key => 'api_1') \gset
SELECT id AS api_2 FROM letta_list_identities(identifier_key => 'api_2') \gset
SELECT id AS note FROM letta_create_block('note', 'routed') \gset
CREATE TEMP TABLE calls (n serial, call text);
INSERT INTO calls (call) VALUES
    (format($$ SELECT letta_get_agent(%L) $$, test.agent(1))),
    ($$ SELECT letta_list_agents() $$),
    ($$ SELECT letta_list_agents(tags => ARRAY['red', 'blue']) $$),
    ($$ SELECT letta_list_agents(tags => ARRAY['red', 'round'], match_all_tags => true) $$),
    ($$ SELECT letta_count_agents(tags => ARRAY['red']) $$),
    ($$ SELECT letta_agents_by_key(ARRAY['api_1']) $$),
    ($$ SELECT letta_list_identities() $$),
    ($$ SELECT letta_list_tags() $$),
    ($$ SELECT letta_list_agents_page(page_size => 2) $$),
    ($$ SELECT letta_list_identities_page(page_size => 1) $$),
    (format($$ SELECT letta_identity_agents(%L) $$, :'api_2')),
    (format($$ SELECT letta_get_identity(%L) $$, :'api_1')),
    ($$ SELECT letta_count_identities() $$),
    ($$ SELECT letta_blocks_by_key(ARRAY['api_1']) $$),
    (format($$ SELECT letta_identity_blocks(%L) $$, :'api_1')),
    ($$ SELECT letta_create_agent(name => 'routed', tags => ARRAY['red']) $$),
    ($$ SELECT letta_create_agents('[{"name": "routed in bulk", "tags": ["red"]}]') $$),
    (format($$ SELECT letta_update_agent(%L, tags => ARRAY['blue', 'green']) $$, test.agent(5))),
    (format($$ SELECT letta_add_agent_tags(%L, ARRAY['teal']) $$, test.agent(5))),
    (format($$ SELECT letta_remove_agent_tags(%L, ARRAY['teal']) $$, test.agent(5))),
    (format($$ SELECT letta_attach_agent(%L, %L) $$, :'api_1', test.agent(5))),
    (format($$ SELECT letta_detach_agent(%L, %L) $$, :'api_1', test.agent(5))),
    (format($$ SELECT letta_attach_agent_by_key('api_1', %L) $$, test.agent(5))),
    (format($$ SELECT letta_detach_agent_by_key('api_1', %L) $$, test.agent(5))),
    ($$ SELECT letta_create_agent(name => 'routed by key', identifier_keys => ARRAY['api_1']) $$),
    ($$ SELECT letta_create_block('persona', 'calm') $$),
    (format($$ SELECT letta_get_block(%L) $$, :'note')),
    (format($$ SELECT letta_update_block(%L, value => 'changed') $$, :'note')),
    (format($$ SELECT letta_attach_block(%L, %L) $$, :'api_2', :'note')),
    (format($$ SELECT letta_detach_block(%L, %L) $$, :'api_2', :'note')),
    (format($$ SELECT letta_attach_agent_block(%L, %L) $$, test.agent(1), :'note')),
    (format($$ SELECT letta_agent_blocks(%L) $$, test.agent(1))),
    (format($$ SELECT letta_get_agent_block(%L, 'note') $$, test.agent(1))),
    (format($$ SELECT letta_agent_memory(%L) $$, test.agent(1))),
    (format($$ SELECT letta_block_agents(%L) $$, :'note')),
    (format($$ SELECT letta_block_agents(%L, include_memory => true, include_identities => true) $$, :'note')),
    ($$ SELECT letta_list_blocks() $$),
    ($$ SELECT letta_list_blocks(label => 'note') $$),
    ($$ SELECT letta_list_blocks(tags => ARRAY['x'], connected_to_agents_count_gt => 0) $$),
    ($$ SELECT letta_list_blocks(identifier_keys => ARRAY['api_1']) $$),
    ($$ SELECT letta_list_blocks_page(page_size => 1) $$),
    ($$ SELECT letta_count_blocks(value_search => 'n') $$),
    ($$ SELECT letta_list_agents(include_memory => true, include_identities => true) $$),
    ($$ SELECT letta_list_agents(tags => ARRAY['red', 'blue'], all_tags => ARRAY['round'], exclude_tags => ARRAY['green'], metadata => '{}') $$),
    ($$ SELECT letta_count_agents(exclude_tags => ARRAY['green'], metadata => '{"k": 1}') $$),
    ($$ SELECT letta_list_identities(properties => '[{"key": "plan", "value": "pro"}]') $$),
    (format($$ SELECT letta_create_agent(name => 'with memory', memory_blocks => '[{"label": "human", "value": "h"}]', block_ids => ARRAY[%L]) $$, :'note')),
    (format($$ SELECT letta_update_block(%L, label => 'noted') $$, :'note')),
    (format($$ SELECT letta_detach_agent_block(%L, %L) $$, test.agent(1), :'note')),
    ($$ SELECT letta_create_identity('api_4', 'Fourth') $$),
    ($$ SELECT letta_upsert_identity('api_3', 'Third') $$),
    (format($$ SELECT letta_upsert_identity_properties(%L, '[{"key": "plan", "value": "pro", "type": "string"}]') $$, :'api_1')),
    (format($$ SELECT letta_update_identity(%L, name => 'renamed') $$, :'api_2')),
    (format($$ SELECT letta_delete_block(%L) $$, :'note')),
    (format($$ SELECT letta_delete_agent(%L) $$, test.agent(5))),
    ($$ SELECT letta_delete_identity((SELECT id FROM letta_list_identities(identifier_key => 'api_4'))) $$),
    ($$ SELECT letta_count_agents_by_tag() $$),
    ($$ SELECT letta_count_agents_by_tag(ARRAY['red', 'blue']) $$),
    ($$ SELECT letta_count_by_identity() $$),
    (format($$ SELECT letta_count_by_identity(ARRAY[%L]) $$, :'api_1')),
    ($$ SELECT letta_forget_identity_kept((SELECT id FROM letta_list_identities(identifier_key => 'api_3'))) $$),
    ($$ SELECT letta_forget_identity((SELECT id FROM letta_list_identities(identifier_key => 'api_3'))) $$);
SELECT regexp_replace(c.call, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<uuid>', 'g') AS call,
       t.single_shard > 0 AS on_one_shard, t.multi_shard
  FROM calls c, test.shards_touched(c.call) t ORDER BY c.n;
-- Every function of the API is among them, but the administrators' and
-- letta_current_organization (it reads no table).
SELECT p.proname AS not_checked
  FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'letta_identity')
   AND p.proname LIKE 'letta\_%'
   AND p.proname NOT IN ('letta_distribute', 'letta_drop_distributed_tables', 'letta_bind_role',
                         'letta_allow_switching', 'letta_unbind_role', 'letta_require_end_user',
                         'letta_current_organization', 'letta_import_from_letta',
                         'letta_list_organizations', 'letta_delete_organization')
   AND NOT EXISTS (SELECT FROM calls c WHERE c.call ~ ('\m' || p.proname || '\('));
RESET letta.organization_id;
