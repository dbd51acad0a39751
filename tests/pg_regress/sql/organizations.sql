-- Rows belong to the organization of letta.organization_id; other organizations see none of them.
SELECT id AS caren FROM letta_create_identity('user_1', 'Caren') \gset
SELECT id AS agent FROM letta_create_agent(name => 'default org agent', tags => ARRAY['t'], identity_ids => ARRAY[:'caren']) \gset

SET letta.organization_id = 'org-11111111-1111-4111-8111-111111111111';
SELECT letta_current_organization();
SELECT test.masked(test.error_of(format($$ SELECT letta_get_identity(%L) $$, :'caren')));
SELECT test.masked(test.error_of(format($$ SELECT letta_get_agent(%L) $$, :'agent')));
SELECT count(*) AS agents FROM letta_agents_by_key(ARRAY['user_1']);
SELECT count(*) AS agents FROM letta_list_agents(tags => ARRAY['t']);
SELECT count(*) AS agents FROM letta_list_agents();
-- The same key is free in another organization, and links stay inside one organization.
SELECT identifier_key, organization_id FROM letta_create_identity('user_1', 'Other Caren');
SELECT test.masked(test.error_of(format($$ SELECT letta_attach_agent(%L, %L) $$, :'caren', :'agent')));
SELECT test.masked(test.error_of(format($$ SELECT letta_create_identity('user_9', 'X', agent_ids => ARRAY[%L]) $$, :'agent')));
SELECT test.masked(test.error_of(format($$ SELECT letta_create_agent(identity_ids => ARRAY[%L]) $$, :'caren')));
-- The database refuses a cross-organization link even without the functions: this
-- organization's identity with the default organization's agent.
SELECT id AS other_caren FROM letta_list_identities(identifier_key => 'user_1') \gset
SELECT test.error_of(format($$ INSERT INTO letta_identities_agents
    VALUES ('11111111-1111-4111-8111-111111111111', substr(%L, 10)::uuid, substr(%L, 7)::uuid) $$, :'other_caren', :'agent'));

-- Empty or malformed settings select no organization: every call fails.
SET letta.organization_id = '';
SELECT test.error_of($$ SELECT * FROM letta_list_agents() $$);
SET letta.organization_id = 'acme';
SELECT test.error_of($$ SELECT * FROM letta_agents_by_key(ARRAY['user_1']) $$);
SET letta.organization_id = 'org-11111111-1111-4111-8111-11111111111';
SELECT test.error_of($$ SELECT letta_create_agent() $$);

RESET letta.organization_id;
SELECT letta_current_organization();
SELECT name FROM letta_agents_by_key(ARRAY['user_1']);

DELETE FROM letta_identities;
DELETE FROM letta_agents;
