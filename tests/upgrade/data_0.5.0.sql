-- Data written with the 0.5.0 API before the upgrade: the 0.4.0 data (through 0.5.0's API,
-- which takes it), blocks with 0.5.0's fields attached to agents' memory, and a bound role
-- required to act for end users, which it must still be after the update.
\ir data_0.4.0.sql
SET letta.organization_id = 'org-55555555-5555-4555-8555-555555555555';
WITH blocks AS (
    SELECT (letta_create_block(label => 'shared ' || n, value => 'v' || n, char_limit => 500,
                               read_only => n = 1, project_id => 'p' || n, hidden => n = 2,
                               tags => ARRAY['bt' || n, 'common'])).id
      FROM generate_series(1, 3) n)
SELECT count(letta_attach_agent_block((SELECT id FROM letta_list_agents(page_size => 1)), b.id))
  FROM blocks b \g /dev/null
RESET letta.organization_id;
DROP ROLE IF EXISTS letta_upgrade_end_user;
CREATE ROLE letta_upgrade_end_user;
SELECT letta_bind_role('letta_upgrade_end_user', 'org-55555555-5555-4555-8555-555555555555') \g /dev/null
SELECT letta_require_end_user('letta_upgrade_end_user') \g /dev/null
