-- Letta's own test scenarios (its server's tests, letta-ai/letta), with the same inputs and results,
-- and each of Letta's known weaknesses, with a test that fails on Letta's behaviour.

-- Create identity "1234" with two properties: fields echo back.
SELECT identifier_key, name, identity_type, project_id, agent_ids, properties
  FROM letta_create_identity('1234', 'caren', 'user',
         properties => '[{"key": "name", "value": "caren", "type": "string"},
                         {"key": "age", "value": 28, "type": "number"}]');
-- The same key again, no project: unique violation.
SELECT test.error_of($$ SELECT letta_create_identity('1234', 'caren') $$);
-- Upsert the same key with properties [age 29]: exactly one property afterwards.
SELECT identifier_key, properties
  FROM letta_upsert_identity('1234', 'caren', properties => '[{"key": "age", "value": 29, "type": "number"}]');
SELECT count(*) AS identities FROM letta_list_identities(identifier_key => '1234');

-- List by identity_type: one each out of two.
SELECT name FROM letta_create_identity('acme', 'Acme Inc', 'org');
SELECT name FROM letta_list_identities(identity_type => 'user');
SELECT name FROM letta_list_identities(identity_type => 'org');
SELECT letta_count_identities() AS identities, letta_count_identities(identity_type => 'org') AS orgs;

-- Update with agent_ids [a, b]: both agents list the identity.
SELECT id AS ident FROM letta_list_identities(identifier_key => '1234') \gset
SELECT name FROM letta_create_agent(name => 'a', id => test.agent_id(1));
SELECT name FROM letta_create_agent(name => 'b', id => test.agent_id(2));
SELECT cardinality(agent_ids) AS agents FROM letta_update_identity(:'ident', agent_ids => ARRAY[test.agent_id(1), test.agent_id(2)]);
SELECT name, identity_ids = ARRAY[:'ident'] AS lists_identity FROM letta_list_agents(ascending => true);

-- Agent c created with identity_ids [id]: by identity_id and by identifier_keys, {a, b, c};
-- after deleting c, {a, b}.
SELECT name FROM letta_create_agent(name => 'c', identity_ids => ARRAY[:'ident'], id => test.agent_id(3));
SELECT name FROM letta_list_agents(identity_id => :'ident', ascending => true);
SELECT name FROM letta_list_agents(identifier_keys => ARRAY['1234'], ascending => true);
SELECT name FROM letta_identity_agents(:'ident', ascending => true);
SELECT 'deleted' AS result FROM letta_delete_agent(test.agent_id(3));
SELECT name FROM letta_list_agents(identity_id => :'ident', ascending => true);

-- Delete the identity: the agents survive, their identity_ids no longer contain it.
SELECT 'deleted' AS result FROM letta_delete_identity(:'ident');
SELECT name, identity_ids FROM letta_list_agents(ascending => true);
SELECT test.masked(test.error_of(format($$ SELECT letta_get_identity(%L) $$, :'ident')));
SELECT 'deleted' AS result FROM letta_delete_agent(test.agent_id(1)) a, letta_delete_agent(test.agent_id(2)) b;
SELECT count(*) AS agents_left FROM letta_list_agents();

-- Tags: [primary, benefit_1], [primary, benefit_2], [primary, benefit_1, benefit_2].
SELECT count(*) AS agents FROM (
    SELECT letta_create_agent(name => 'agent1', tags => ARRAY['primary', 'benefit_1'], id => test.agent_id(11))
    UNION ALL SELECT letta_create_agent(name => 'agent2', tags => ARRAY['primary', 'benefit_2'], id => test.agent_id(12))
    UNION ALL SELECT letta_create_agent(name => 'agent3', tags => ARRAY['primary', 'benefit_1', 'benefit_2'], id => test.agent_id(13))
) made;
SELECT name FROM letta_list_agents(tags => ARRAY['primary', 'benefit_1'], match_all_tags => true) ORDER BY name;
SELECT name FROM letta_list_agents(tags => ARRAY['primary', 'nonexistent'], match_all_tags => true);
-- Tags with a name filter, with page_size 1 and cursors covering both of two agents.
SELECT name FROM letta_list_agents(tags => ARRAY['benefit_1'], name => 'agent3');
SELECT id AS first_page FROM letta_list_agents(tags => ARRAY['benefit_1'], page_size => 1) \gset
SELECT name FROM letta_list_agents(tags => ARRAY['benefit_1'], page_size => 1, after => :'first_page');
SELECT id AS second_page FROM letta_list_agents(tags => ARRAY['benefit_1'], page_size => 1, after => :'first_page') \gset
SELECT name FROM letta_list_agents(tags => ARRAY['benefit_1'], page_size => 1, before => :'second_page');
SELECT count(*) AS agents FROM letta_list_agents(tags => ARRAY['benefit_1'], page_size => 1, after => :'second_page');
DELETE FROM letta_agents;

-- query_text "search agent" matches "Search Agent One" and "Search Agent Two", case-insensitively.
SELECT count(*) AS made FROM (
    SELECT letta_create_agent(name => 'Search Agent One')
    UNION ALL SELECT letta_create_agent(name => 'Search Agent Two')
    UNION ALL SELECT letta_create_agent(name => 'Other')) m;
SELECT name FROM letta_list_agents(query_text => 'search agent') ORDER BY name;
SELECT letta_count_agents(query_text => 'SEARCH AGENT') AS agents;
DELETE FROM letta_agents;

-- Tags list: alpha,beta,gamma / beta,gamma,delta / gamma,delta,epsilon.
SELECT count(*) AS made FROM (
    SELECT letta_create_agent(tags => ARRAY['alpha', 'beta', 'gamma'])
    UNION ALL SELECT letta_create_agent(tags => ARRAY['beta', 'gamma', 'delta'])
    UNION ALL SELECT letta_create_agent(tags => ARRAY['gamma', 'delta', 'epsilon'])) m;
SELECT array_agg(tag) AS tags FROM letta_list_tags();
SELECT array_agg(tag) AS tags FROM letta_list_tags(page_size => 2);
SELECT array_agg(tag) AS tags FROM letta_list_tags(after => 'beta');
SELECT array_agg(tag) AS tags FROM letta_list_tags(query_text => 'ta');
-- Letta's name for the substring filter (given both, name wins, as in Letta); descending
-- pages, with their cursors.
SELECT array_agg(tag) AS tags FROM letta_list_tags(name => 'ta');
SELECT array_agg(tag) AS tags FROM letta_list_tags(name => 'ta', query_text => 'del');
SELECT array_agg(tag) AS tags FROM letta_list_tags(ascending => false);
SELECT array_agg(tag) AS tags FROM letta_list_tags(ascending => false, page_size => 2);
SELECT array_agg(tag) AS tags FROM letta_list_tags(ascending => false, after => 'delta');
SELECT array_agg(tag) AS tags FROM letta_list_tags(ascending => false, before => 'beta', page_size => 2);
SELECT array_agg(tag) AS tags FROM letta_list_tags(ascending => false, after => 'gamma', before => 'alpha');
SELECT array_agg(tag) AS tags FROM letta_list_tags(before => 'delta', page_size => 2);
SELECT test.error_of($$ SELECT letta_list_tags(ascending => NULL) $$);
-- Blocks' tags alongside, as Letta lists them: each tag once, in the same order and pages.
SELECT count(*) AS blocks FROM (
    SELECT letta_create_block('tagged', 'x', tags => ARRAY['beta', 'block-only', 'zeta'])
    UNION ALL SELECT letta_create_block('tagged too', 'y', tags => ARRAY['aardvark'])) b;
SELECT array_agg(tag) AS tags FROM letta_list_tags();
SELECT array_agg(tag) AS tags FROM letta_list_tags(page_size => 3);
SELECT array_agg(tag) AS tags FROM letta_list_tags(after => 'beta', page_size => 2);
SELECT array_agg(tag) AS tags FROM letta_list_tags(ascending => false, page_size => 3);
SELECT array_agg(tag) AS tags FROM letta_list_tags(ascending => false, after => 'delta');
SELECT array_agg(tag) AS tags FROM letta_list_tags(ascending => false, before => 'beta', page_size => 3);
SELECT array_agg(tag) AS tags FROM letta_list_tags(after => 'alpha', before => 'epsilon');
SELECT array_agg(tag) AS tags FROM letta_list_tags(name => 'ONLY');
DELETE FROM letta_blocks;
SET letta.organization_id = 'org-22222222-2222-4222-8222-222222222222';
SELECT count(*) AS tags_seen_by_another_org FROM letta_list_tags();
RESET letta.organization_id;
DELETE FROM letta_agents;

-- Pagination of agents alpha, beta, gamma created in that order.
SELECT name FROM letta_create_agent(name => 'alpha', id => test.agent_id(21));
SELECT name FROM letta_create_agent(name => 'beta', id => test.agent_id(22));
SELECT name FROM letta_create_agent(name => 'gamma', id => test.agent_id(23));
SELECT string_agg(name, ',') AS ascending FROM letta_list_agents(ascending => true);
SELECT string_agg(name, ',') AS descending FROM letta_list_agents();
SELECT string_agg(name, ',') AS after_alpha FROM letta_list_agents(after => test.agent_id(21), ascending => true);
SELECT string_agg(name, ',') AS before_gamma FROM letta_list_agents(before => test.agent_id(23), ascending => true);
SELECT string_agg(name, ',') AS after_gamma_desc FROM letta_list_agents(after => test.agent_id(23));
SELECT string_agg(name, ',') AS before_alpha_desc FROM letta_list_agents(before => test.agent_id(21));
DELETE FROM letta_agents;
DELETE FROM letta_identities;

-- Letta's block manager (tests/managers/test_block_manager.py): its fixtures, a default and an
-- other block, sarah (no memory) and charles (human and persona).
SELECT id AS default_block FROM letta_create_block('default_label', 'Default Block Content', char_limit => 1000,
                                                   description => 'A default test block', metadata => '{"type": "test"}') \gset
SELECT id AS other_block FROM letta_create_block('other_label', 'Other Block Content', char_limit => 500) \gset
SELECT id AS sarah FROM letta_create_agent('sarah_agent') \gset
SELECT id AS charles FROM letta_create_agent('charles_agent', memory_blocks => '[{"label": "human", "value": "Charles"},
                                                                              {"label": "persona", "value": "I am a helpful assistant"}]') \gset
-- BM-create: the fields echo (Letta's template fields are not part of this model).
SELECT label, value, "limit", description, metadata FROM letta_get_block(:'default_block');
-- BM-attach: sarah's memory is the one block; BM-get-by-label finds it by its label.
SELECT letta_attach_agent_block(:'sarah', :'default_block') AS attached;
SELECT id = :'default_block' AS default_block, label FROM letta_agent_blocks(:'sarah');
SELECT id = :'default_block' AS by_label FROM letta_get_agent_block(:'sarah', 'default_label');
-- BM-agents-for-block, and its pages of one (ascending, then after the first): both agents.
SELECT letta_attach_agent_block(:'charles', :'default_block') AS attached;
SELECT string_agg(name, ', ' ORDER BY name) AS agents FROM letta_block_agents(:'default_block');
SELECT id AS first_agent FROM letta_block_agents(:'default_block', page_size => 1, ascending => true) \gset
SELECT (SELECT name FROM letta_block_agents(:'default_block', page_size => 1, ascending => true)) AS first_page,
       (SELECT name FROM letta_block_agents(:'default_block', page_size => 1, ascending => true, after => :'first_agent')) AS second_page;
-- BM-relabel, BM-relabel-multi: a new label, the same block, in both agents' memory.
SELECT label FROM letta_update_block(:'default_block', label => 'new_label');
SELECT a.name, b.id = :'default_block' AS same_block, b.label
  FROM letta_list_agents(ascending => true) a, letta_get_agent_block(a.id, 'new_label') b;
-- BM-attach-dup-label: another block with a label sarah's memory has: 23505.
SELECT label FROM letta_update_block(:'other_block', label => 'new_label');
SELECT test.masked(test.error_of(format($$ SELECT letta_attach_agent_block(%L, %L) $$, :'sarah', :'other_block')));
-- BM-detach: sarah's memory is empty, the block stays; BM-detach-missing: a block not in her
-- memory is P0002 (Letta: NoResultFound); a malformed id is 22P02 (Letta's API: 422).
SELECT letta_detach_agent_block(:'sarah', :'default_block') AS detached;
SELECT count(*) AS sarahs_blocks FROM letta_agent_blocks(:'sarah');
SELECT label AS block_stays FROM letta_get_block(:'default_block');
SELECT test.masked(test.error_of(format($$ SELECT letta_detach_agent_block(%L, %L) $$, :'sarah', :'other_block')));
SELECT test.masked(test.error_of(format($$ SELECT letta_detach_agent_block(%L, 'nonexistent-block-id') $$, :'sarah')));
-- BM-update: value and description; BM-update-limit-kept: a value alone keeps the limit;
-- BM-update-limit (Letta's last release): a value past the limit is kept.
SELECT value, description, "limit" FROM letta_update_block(:'other_block', value => 'Updated Content', description => 'Updated description');
SELECT "limit" FROM letta_update_block(:'other_block', char_limit => 30000);
SELECT length(value) AS value_length, "limit" FROM letta_update_block(:'other_block', value => repeat('Updated Content', 2000));
-- BM-update-missing: P0002.
SELECT test.error_of($$ SELECT letta_update_block('block-7d73d0a7-6e86-4db7-b53a-411c11ed958a', value => 'x') $$);
-- BM-delete-detaches: a deleted block leaves every agent's memory.
SELECT 'deleted' AS result FROM letta_delete_block(:'default_block');
SELECT count(*) AS charles_has_it FROM letta_agent_blocks(:'charles') WHERE id = :'default_block';
-- BM-list-basic: two blocks; by label, one each.
DELETE FROM letta_blocks;
SELECT count(*) AS made FROM (SELECT letta_create_block('human', 'Block 1') UNION ALL SELECT letta_create_block('persona', 'Block 2')) m;
SELECT (SELECT count(*) FROM letta_list_blocks()) AS blocks,
       (SELECT count(*) FROM letta_list_blocks(label => 'human')) AS humans,
       (SELECT count(*) FROM letta_list_blocks(label => 'persona')) AS personas;
-- BM-list-org-scope: ten blocks here, three in another organization; each sees its own.
DELETE FROM letta_blocks;
SELECT count(*) AS made FROM (SELECT letta_create_block('label_' || n, 'here') FROM generate_series(1, 10) n) m;
SET letta.organization_id = 'org-22222222-2222-4222-8222-222222222222';
SELECT count(*) AS made FROM (SELECT letta_create_block('other_' || n, 'there') FROM generate_series(1, 3) n) m;
SELECT count(*) AS theirs, (SELECT count(*) FROM letta_list_blocks(label => 'label_1')) AS our_label_seen FROM letta_list_blocks();
RESET letta.organization_id;
DELETE FROM letta_blocks WHERE organization_id = '22222222-2222-4222-8222-222222222222';
SELECT count(*) AS ours, (SELECT count(*) FROM letta_list_blocks(label => 'label_1')) AS label_1 FROM letta_list_blocks();
-- BM-batch-create: three blocks with one label are three blocks.
SELECT count(DISTINCT id) AS distinct_blocks FROM (SELECT letta_create_block('duplicate_label', 'x') FROM generate_series(1, 3)) b(blk), LATERAL (SELECT (b.blk).id) i(id);
-- BM-page-after, BM-page-before, BM-page-desc: five blocks with one label, pages of two.
DELETE FROM letta_blocks;
SELECT count(*) AS made FROM (SELECT letta_create_block('paged', 'b' || n) FROM generate_series(0, 4) n) m;
CREATE TEMPORARY TABLE paged AS SELECT id, value FROM letta_list_blocks(label => 'paged');
CREATE FUNCTION test.paged_values(ids text[]) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(p.value, ',' ORDER BY o) FROM unnest(ids) WITH ORDINALITY u(id, o) JOIN paged p USING (id)
$$;
SELECT test.paged_values(ARRAY(SELECT id FROM letta_list_blocks(label => 'paged', page_size => 2))) AS first,
       test.paged_values(ARRAY(SELECT id FROM letta_list_blocks(label => 'paged', page_size => 2, after => (SELECT id FROM paged WHERE value = 'b1')))) AS after_b1,
       test.paged_values(ARRAY(SELECT id FROM letta_list_blocks(label => 'paged', page_size => 2, after => (SELECT id FROM paged WHERE value = 'b3')))) AS after_b3;
-- before: the page next to the cursor, b2,b3 (Letta: the first rows before it, b0,b1 — a
-- deliberate difference, README); with after => b1 too, the same b2,b3 in both.
SELECT test.paged_values(ARRAY(SELECT id FROM letta_list_blocks(label => 'paged', page_size => 2, before => (SELECT id FROM paged WHERE value = 'b4')))) AS before_b4,
       test.paged_values(ARRAY(SELECT id FROM letta_list_blocks(label => 'paged', page_size => 2, before => (SELECT id FROM paged WHERE value = 'b4'),
                                                                after => (SELECT id FROM paged WHERE value = 'b1')))) AS between_b1_b4;
SELECT test.paged_values(ARRAY(SELECT id FROM letta_list_blocks(label => 'paged', page_size => 2, ascending => false))) AS newest,
       test.paged_values(ARRAY(SELECT id FROM letta_list_blocks(label => 'paged', page_size => 2, ascending => false, after => (SELECT id FROM paged WHERE value = 'b3')))) AS after_b3_desc;
DROP FUNCTION test.paged_values(text[]);
-- BM-tags-crud, BM-tags-any, BM-tags-all, BM-tags-count.
SELECT id AS tagged, tags FROM letta_create_block('tagged', 'x', tags => ARRAY['tag1', 'tag2', 'important']) \gset
SELECT :'tags' AS tags;
SELECT tags FROM letta_update_block(:'tagged', tags => ARRAY['tag1', 'new_tag']);
SELECT count(*) AS made FROM (SELECT letta_create_block('tagged', 'y', tags => ARRAY['tag1', 'other'])) m;
SELECT (SELECT count(*) FROM letta_list_blocks(tags => ARRAY['tag1', 'new_tag'])) AS any_of,
       (SELECT count(*) FROM letta_list_blocks(tags => ARRAY['tag1', 'new_tag'], match_all_tags => true)) AS all_of,
       letta_count_blocks(tags => ARRAY['tag1']) AS counted_tag1, letta_count_blocks(tags => ARRAY['tag1', 'other'], match_all_tags => true) AS counted_all;
SELECT tags FROM letta_update_block(:'tagged', tags => '{}');
DELETE FROM letta_blocks;
DELETE FROM letta_agents;

-- Letta's SDK test of a read-only block (tests/test_sdk_client.py): the API updates it.
SELECT id AS sdk_agent FROM letta_create_agent('sdk', memory_blocks => '[{"label": "human", "value": "username: sarah", "read_only": true}]') \gset
SELECT value, read_only FROM letta_update_block((SELECT id FROM letta_get_agent_block(:'sdk_agent', 'human')), value => 'hello');
-- AM-subagent-hidden: created with role:subagent and hidden => false, block_ids: hidden.
SELECT id AS shared_block FROM letta_create_block('shared', 'x') \gset
SELECT hidden FROM letta_create_agent('subagent', tags => ARRAY['role:subagent', 'test'], hidden => false, block_ids => ARRAY[:'shared_block']);
-- Hidden agents are among a block's and an identity's agents (Letta includes them).
SELECT string_agg(name, ', ') AS agents_of_shared FROM letta_block_agents(:'shared_block');
DELETE FROM letta_blocks;
DELETE FROM letta_agents;

-- Weakness 1: upsert of a new identity creates it (Letta answers 404).
SELECT identifier_key, name FROM letta_upsert_identity('new-user', 'Newcomer');
-- Weakness 3: descending pages break ties on created_at in the right direction (by id, descending).
BEGIN;
SELECT count(*) AS made FROM (
    SELECT letta_create_agent(name => 'x' || n, id => test.agent_id(30 + n)) FROM generate_series(1, 4) n) m;
COMMIT;
SELECT string_agg(name, ',') AS descending FROM letta_list_agents();
SELECT string_agg(name, ',') AS page_after_x3 FROM letta_list_agents(after => test.agent_id(33), page_size => 2);
-- Weakness 4: an unknown cursor is an error; page_size 0 is an error; has_more is known.
SELECT test.error_of($$ SELECT * FROM letta_list_agents(after => 'agent-00000000-0000-4000-8000-000000000999') $$);
SELECT has_more, next_cursor = test.agent_id(33) AS next_is_x3 FROM letta_list_agents_page(page_size => 2);
-- Weakness 5: no link across organizations; another organization's agents never listed.
SELECT id AS newcomer FROM letta_list_identities(identifier_key => 'new-user') \gset
SET letta.organization_id = 'org-22222222-2222-4222-8222-222222222222';
SELECT id AS stranger FROM letta_create_identity('stranger', 'Stranger') \gset
SELECT test.masked(test.error_of(format($$ SELECT letta_attach_agent(%L, %L) $$, :'stranger', test.agent_id(31))));
SELECT test.masked(test.error_of(format($$ SELECT * FROM letta_identity_agents(%L) $$, :'newcomer')));
SELECT count(*) AS identities_of_other_org FROM letta_list_identities();
RESET letta.organization_id;
SELECT count(*) AS agents_of_newcomer FROM letta_identity_agents(:'newcomer');
-- Weakness 8: identities found by property (plans.sql shows the GIN index serving it).
SELECT identifier_key FROM letta_upsert_identity('pro-user', 'Pro', properties => '[{"key": "plan", "value": "pro", "type": "string"}]');
SELECT identifier_key FROM letta_upsert_identity('free-user', 'Free', properties => '[{"key": "plan", "value": "free", "type": "string"}]');
SELECT identifier_key FROM letta_list_identities(property_key => 'plan', property_value => '"pro"');
SELECT identifier_key FROM letta_list_identities(property_key => 'plan') ORDER BY 1;

SET letta.organization_id = 'org-22222222-2222-4222-8222-222222222222';
DELETE FROM letta_identities;
RESET letta.organization_id;
DELETE FROM letta_identities;
DELETE FROM letta_agents;
