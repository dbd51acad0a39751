-- End users: an application that serves its end users acts for one of them per transaction
-- (SET LOCAL letta.identifier_key), and then sees and writes that user's rows only: their
-- identities, the agents linked to them, the blocks linked to them or in those agents' memory,
-- through every function and on the tables directly. Two end users of one organization, Ann
-- and Bob, who share one agent; an agent of no one; blocks of each kind.
SET letta.organization_id = 'org-eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
SELECT id AS ann FROM letta_create_identity('user_ann', 'Ann') \gset
SELECT id AS ann_work FROM letta_create_identity('user_ann', 'Ann at work', project_id => 'work') \gset
SELECT id AS bob FROM letta_create_identity('user_bob', 'Bob') \gset
SELECT id AS ann_agent FROM letta_create_agent(name => 'ann agent', tags => ARRAY['mine', 'ann'], identity_ids => ARRAY[:'ann'],
    memory_blocks => '[{"label": "human", "value": "Ann"}]') \gset
SELECT id AS bob_agent FROM letta_create_agent(name => 'bob agent', tags => ARRAY['mine', 'bob'], identity_ids => ARRAY[:'bob'],
    memory_blocks => '[{"label": "human", "value": "Bob"}]') \gset
SELECT id AS shared_agent FROM letta_create_agent(name => 'shared agent', tags => ARRAY['shared'], identity_ids => ARRAY[:'ann', :'bob'],
    memory_blocks => '[{"label": "team", "value": "both"}]') \gset
SELECT id AS nobodys_agent FROM letta_create_agent(name => 'nobody''s agent', tags => ARRAY['nobody']) \gset
SELECT id AS ann_block FROM letta_create_block('prefs', 'Ann likes tea', identity_ids => ARRAY[:'ann'], tags => ARRAY['ann-block']) \gset
SELECT id AS bob_block FROM letta_create_block('prefs', 'Bob likes coffee', identity_ids => ARRAY[:'bob'], tags => ARRAY['bob-block']) \gset
RESET letta.organization_id;

-- The application's role: bound to the organization, and required to name an end user.
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'letta_end_user_app') THEN
        CREATE ROLE letta_end_user_app LOGIN;
    END IF;
END $$;
SELECT letta_bind_role('letta_end_user_app', 'org-eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee');
SELECT letta_require_end_user('letta_end_user_app');
SELECT role_name FROM letta_role_end_users;
SELECT test.error_of($$ SELECT letta_require_end_user('no_such_role') $$);
SELECT test.error_of($$ SELECT letta_require_end_user('letta_end_user_app', NULL) $$);
GRANT USAGE ON SCHEMA test TO letta_end_user_app;
SET ROLE letta_end_user_app;

-- No end user named, or one left from an earlier transaction: refused, before anything is read.
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$);
SET letta.identifier_key = 'user_ann';  -- a session SET, in its own transaction
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
RESET letta.identifier_key;
BEGIN;
SET LOCAL letta.identifier_key = '';
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
ROLLBACK;

-- Ann's view: her two identities, her agent and the shared one, their memory and her block.
BEGIN;
SET LOCAL letta.identifier_key = 'user_ann';
SELECT name, project_id FROM letta_list_identities(ascending => true);
SELECT letta_count_identities() AS identities, letta_count_identities(identifier_key => 'user_bob') AS bobs;
SELECT name FROM letta_list_agents(ascending => true);
SELECT letta_count_agents() AS agents, letta_count_agents(tags => ARRAY['mine']) AS tagged_mine;
SELECT name FROM letta_list_agents(tags => ARRAY['mine', 'nobody', 'bob']);
SELECT name FROM letta_agents_by_key(ARRAY['user_ann', 'user_bob']);
SELECT name FROM letta_list_agents(order_by => 'updated_at', ascending => true);
SELECT jsonb_array_length(items) AS items, has_more FROM letta_list_agents_page(page_size => 1);
SELECT array_agg(tag) AS tags FROM letta_list_tags();
SELECT tag, agents FROM letta_count_agents_by_tag();
SELECT tag, agents FROM letta_count_agents_by_tag(ARRAY['mine', 'bob']);
SELECT label, value FROM letta_list_blocks(ascending => true);
SELECT letta_count_blocks() AS blocks;
SELECT label, value FROM letta_agent_memory(:'shared_agent') ORDER BY label;
SELECT name FROM letta_block_agents((SELECT id FROM letta_list_blocks(label => 'team')));
-- The shared agent's links show Bob's identity id (a link shows when one of its ends is
-- hers), never his row.
SELECT cardinality(identity_ids) AS links, jsonb_array_length(identities) AS identities_shown
  FROM letta_get_agent(:'shared_agent');
-- Bob's rows are not there: not found, as rows of another organization are.
SELECT test.masked(test.error_of(format($$ SELECT letta_get_agent(%L) $$, :'bob_agent')));
SELECT test.masked(test.error_of(format($$ SELECT letta_get_identity(%L) $$, :'bob')));
SELECT test.masked(test.error_of(format($$ SELECT letta_get_block(%L) $$, :'bob_block')));
SELECT test.masked(test.error_of(format($$ SELECT * FROM letta_identity_agents(%L) $$, :'bob')));
SELECT test.masked(test.error_of(format($$ SELECT * FROM letta_list_agents(after => %L) $$, :'nobodys_agent')));
-- The tables directly: the same rows.
SELECT (SELECT count(*) FROM letta_identities) AS identities, (SELECT count(*) FROM letta_agents) AS agents,
       (SELECT count(*) FROM letta_blocks) AS blocks, (SELECT count(*) FROM letta_identities_agents) AS agent_links,
       (SELECT count(*) FROM letta_identities_blocks) AS block_links, (SELECT count(*) FROM letta_blocks_agents) AS memory_links,
       (SELECT count(*) FROM letta_agents_tags) AS tag_entries;
WITH u AS (UPDATE letta_agents SET name = 'taken' WHERE id = substr(:'bob_agent', 7)::uuid RETURNING 1),
     d AS (DELETE FROM letta_blocks WHERE id = substr(:'bob_block', 7)::uuid RETURNING 1)
SELECT (SELECT count(*) FROM u) + (SELECT count(*) FROM d) AS bobs_rows_changed;
COMMIT;

-- Every function, called by Ann on Bob's identity, agent and block (with her own identity and
-- agent where a call takes two), as tenancy.sql calls them across organizations: not found
-- (P0002), refused (42501: an identity that is not hers to create), or nothing found.
BEGIN;
SET LOCAL letta.identifier_key = 'user_ann';
SELECT * FROM test.probe(:'bob', :'bob_agent', :'bob_block', :'ann', :'ann_agent');
ROLLBACK;

-- Ann writes: a new agent is hers (linked to her identities); what she links must be hers.
BEGIN;
SET LOCAL letta.identifier_key = 'user_ann';
SELECT name, cardinality(identity_ids) AS her_identities FROM letta_create_agent(name => 'new agent', tags => ARRAY['fresh']);
SELECT cardinality(letta_create_agents('[{"name": "bulk one"}, {"name": "bulk two", "memory_blocks": [{"label": "human", "value": "Ann"}]}]')) AS bulk;
SELECT name, (SELECT count(*) FROM jsonb_array_elements(memory_blocks)) AS memory
  FROM letta_list_agents(query_text => 'bulk', include_memory => true, ascending => true);
-- A new block is hers in the transaction: she attaches it to her agent.
SELECT letta_attach_agent_block(:'ann_agent', (letta_create_block('scratch', 'notes')).id) AS attached;
SELECT label FROM letta_agent_blocks(:'ann_agent') ORDER BY label;
SELECT test.masked(test.error_of(format($$ SELECT letta_create_agent(name => 'for bob', identity_ids => ARRAY[%L]) $$, :'bob')));
SELECT test.masked(test.error_of(format($$ SELECT letta_attach_agent(%L, %L) $$, :'bob', :'ann_agent')));
SELECT test.masked(test.error_of(format($$ SELECT letta_attach_agent(%L, %L) $$, :'ann', :'bob_agent')));
SELECT test.masked(test.error_of(format($$ SELECT letta_attach_agent(%L, %L) $$, :'ann', :'nobodys_agent')));
SELECT test.masked(test.error_of(format($$ SELECT letta_attach_agent_block(%L, %L) $$, :'ann_agent', :'bob_block')));
SELECT test.masked(test.error_of(format($$ SELECT letta_attach_block(%L, %L) $$, :'ann', :'bob_block')));
SELECT test.error_of($$ SELECT letta_create_identity('user_bob', 'Not Bob') $$);
SELECT test.error_of(format($$ INSERT INTO letta_identities_agents VALUES ('eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee', %L, %L) $$,
                            substr(:'ann', 10), substr(:'nobodys_agent', 7)));
SELECT test.error_of(format($$ INSERT INTO letta_blocks_agents VALUES ('eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee', %L, %L, 'prefs') $$,
                            substr(:'ann_agent', 7), substr(:'bob_block', 7)));
-- Bob's link to the shared agent is not hers to take away: updating the agent's identities
-- changes her own links only.
SELECT cardinality(identity_ids) AS links FROM letta_update_agent(:'shared_agent', identity_ids => ARRAY[:'ann']);
WITH d AS (DELETE FROM letta_identities_agents WHERE identity_id = substr(:'bob', 10)::uuid RETURNING 1)
SELECT count(*) AS bobs_links_deleted FROM d;
-- Forgetting herself (a dry run) takes her agents and blocks, not what she shares with Bob.
SELECT kind, count(*) FROM letta_forget_identity(:'ann', dry_run => true) GROUP BY kind ORDER BY kind;
ROLLBACK;

-- Bob's view, in the next transaction on the same connection.
BEGIN;
SET LOCAL letta.identifier_key = 'user_bob';
SELECT name FROM letta_list_agents(ascending => true);
SELECT label, value FROM letta_list_blocks(ascending => true);
SELECT array_agg(tag) AS tags FROM letta_list_tags();
COMMIT;

-- An end user with no identity sees nothing, and has no identity to own an agent.
BEGIN;
SET LOCAL letta.identifier_key = 'user_nobody';
SELECT count(*) AS agents FROM letta_list_agents();
SELECT test.error_of($$ SELECT letta_create_agent(name => 'orphan') $$);
SELECT test.error_of($$ SELECT letta_create_agents('[{"name": "orphan"}]') $$);
-- It may create its identity (its own key only), and then agents.
SELECT name FROM letta_create_identity('user_nobody', 'Now someone');
SELECT name FROM letta_create_agent(name => 'now owned');
SELECT name FROM letta_list_agents();
ROLLBACK;
RESET ROLE;

-- A role that bypasses row-level security cannot act for an end user: nothing would hold it
-- to the scope.
BEGIN;
SET LOCAL letta.organization_id = 'org-eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
SET LOCAL letta.identifier_key = 'user_ann';
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
ROLLBACK;

-- The end users' policies apply to the members of letta_end_users: the roles made to act for
-- end users. Lifted, the role works in the whole organization again; it stays a member (the
-- role is the cluster's: another database may require end users of it), so naming an end user
-- itself still scopes it. Once a DBA takes the membership away, naming one is refused (no
-- policy would hold its own queries to one).
SELECT pg_has_role('letta_end_user_app', 'letta_end_users', 'MEMBER') AS member;
SELECT count(*) AS policies_for_members FROM pg_policies
 WHERE policyname LIKE 'letta_end_user%' AND roles = '{letta_end_users}';
SELECT letta_require_end_user('letta_end_user_app', false);
SELECT pg_has_role('letta_end_user_app', 'letta_end_users', 'MEMBER') AS member;
SET ROLE letta_end_user_app;
SELECT count(*) AS all_agents FROM letta_list_agents();
BEGIN;
SET LOCAL letta.identifier_key = 'user_bob';
SELECT count(*) AS bobs_agents FROM letta_list_agents();
ROLLBACK;
RESET ROLE;
REVOKE letta_end_users FROM letta_end_user_app;
SET ROLE letta_end_user_app;
BEGIN;
SET LOCAL letta.identifier_key = 'user_bob';
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$);
ROLLBACK;
RESET ROLE;

SELECT letta_require_end_user('letta_end_user_app');
SELECT letta_unbind_role('letta_end_user_app');
DROP FUNCTION test.probe(text, text, text, text, text);
SELECT (SELECT count(*) FROM letta_role_end_users) AS requirements_left,  -- (unbinding takes it too)
       pg_has_role('letta_end_user_app', 'letta_end_users', 'MEMBER') AS member;  -- (not the membership)
REVOKE letta_end_users FROM letta_end_user_app;
REVOKE USAGE ON SCHEMA test FROM letta_end_user_app;
SET letta.organization_id = 'org-eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
DELETE FROM letta_identities;
DELETE FROM letta_agents;
DELETE FROM letta_blocks;
RESET letta.organization_id;
