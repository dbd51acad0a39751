-- Data written with the 0.6.0 API before the upgrade: the 0.5.0 data (through 0.6.0's API,
-- which takes it: blocks in agents' memory, a role required to act for end users), and an
-- agent made for a user by key (0.6.0's writes by key).
\ir data_0.5.0.sql
SET letta.organization_id = 'org-55555555-5555-4555-8555-555555555555';
SELECT letta_create_agent(name => 'made by key', identifier_keys => ARRAY['user_1']) \g /dev/null
RESET letta.organization_id;
