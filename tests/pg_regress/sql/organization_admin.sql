-- Administrators: the organizations in use (letta_list_organizations) and removing one with all
-- its rows (letta_delete_organization), with a dry run. Only this file's organizations are shown.
SET letta.organization_id = 'org-0a0a0000-0000-4000-8000-00000000000a';
SELECT id AS ann FROM letta_create_identity('user_1', 'Ann') \gset
SELECT id AS agent FROM letta_create_agent(name => 'anns', tags => ARRAY['admin'], identity_ids => ARRAY[:'ann'],
                                           memory_blocks => '[{"label": "human", "value": "Ann"}]') \gset
SELECT count(*) AS blocks FROM letta_create_block('note', 'shared', identity_ids => ARRAY[:'ann']);
SET letta.organization_id = 'org-0a0a0000-0000-4000-8000-00000000000b';
SELECT count(*) AS identities FROM letta_create_identity('user_1', 'Bea');
RESET letta.organization_id;
CREATE ROLE letta_regress_admin_app;
GRANT USAGE ON SCHEMA test TO letta_regress_admin_app;
SELECT letta_bind_role('letta_regress_admin_app', 'org-0a0a0000-0000-4000-8000-00000000000b');

SELECT * FROM letta_list_organizations() WHERE organization_id LIKE 'org-0a0a%';

-- A bound organization is not deleted; a dry run counts and deletes nothing.
SELECT test.error_of($$ SELECT letta_delete_organization('org-0a0a0000-0000-4000-8000-00000000000b') $$);
SELECT * FROM letta_delete_organization('org-0a0a0000-0000-4000-8000-00000000000a', dry_run => true);
SELECT identities, agents, blocks FROM letta_list_organizations() WHERE organization_id = 'org-0a0a0000-0000-4000-8000-00000000000a';

-- Deleted: every row of the organization, links and tag entries with them; the other stays.
SELECT * FROM letta_delete_organization('org-0a0a0000-0000-4000-8000-00000000000a');
SELECT organization_id FROM letta_list_organizations() WHERE organization_id LIKE 'org-0a0a%';
SELECT (SELECT count(*) FROM letta_agents_tags WHERE organization_id = '0a0a0000-0000-4000-8000-00000000000a') AS tag_entries,
       (SELECT count(*) FROM letta_identities_agents WHERE organization_id = '0a0a0000-0000-4000-8000-00000000000a') AS links,
       (SELECT count(*) FROM letta_blocks_agents WHERE organization_id = '0a0a0000-0000-4000-8000-00000000000a') AS memory;
SELECT * FROM letta_delete_organization('org-0a0a0000-0000-4000-8000-00000000000a');

-- Refusals: a malformed id, NULL, and an application role (no EXECUTE; and row-level security
-- would hold it to its organization).
SELECT test.error_of($$ SELECT letta_delete_organization('0a0a0000-0000-4000-8000-00000000000a') $$);
SELECT test.error_of($$ SELECT letta_delete_organization(NULL) $$);
SELECT test.error_of($$ SELECT letta_delete_organization('org-0a0a0000-0000-4000-8000-00000000000a', dry_run => NULL) $$);
SET ROLE letta_regress_admin_app;
SELECT test.error_of($$ SELECT letta_list_organizations() $$);
SELECT test.error_of($$ SELECT letta_delete_organization('org-0a0a0000-0000-4000-8000-00000000000b') $$);
RESET ROLE;
GRANT EXECUTE ON FUNCTION letta_list_organizations() TO letta_regress_admin_app;
SET ROLE letta_regress_admin_app;
SELECT test.error_of($$ SELECT letta_list_organizations() $$);
RESET ROLE;

SELECT letta_unbind_role('letta_regress_admin_app');
SELECT * FROM letta_delete_organization('org-0a0a0000-0000-4000-8000-00000000000b');
REVOKE EXECUTE ON FUNCTION letta_list_organizations() FROM letta_regress_admin_app;
REVOKE USAGE ON SCHEMA test FROM letta_regress_admin_app;
DROP ROLE letta_regress_admin_app;
