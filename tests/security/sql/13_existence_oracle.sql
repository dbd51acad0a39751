-- Hole 13: an id existence oracle between end users. sec_enduser, acting for user_1, creates
-- an agent with the id of user_2's private agent (which user_1 cannot see), then with a free
-- id: if the answers differ, user_1 learns that the id exists. (Ids are random uuids: the
-- README is to say what is decided; this records the answers.)
\c - sec_enduser
BEGIN;
SET LOCAL letta.identifier_key = 'user_1';
SELECT test.error_of(format('SELECT letta_get_agent(%L)', (SELECT id FROM test.ids WHERE label = 'a_u2'))) AS get_u2s_agent;
SELECT test.error_of(format('SELECT letta_create_agent(name => %L, id => %L)', 'probe',
                            (SELECT id FROM test.ids WHERE label = 'a_u2'))) AS create_with_u2s_agent_id;
SELECT test.error_of(format('SELECT letta_create_agent(name => %L, id => %L)', 'probe',
                            'agent-00000000-0000-4000-8000-0000000000f1')) AS create_with_a_free_id;
-- Another organization's agent id: whether organizations share one id space.
SELECT test.error_of(format('SELECT letta_create_agent(name => %L, id => %L)', 'probe',
                            (SELECT id FROM test.ids WHERE label = 'b_agent'))) AS create_with_other_orgs_agent_id;
ROLLBACK;
