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
SELECT 'deleted' AS result FROM letta_delete_agent(test.agent_id(1)), letta_delete_agent(test.agent_id(2));

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
