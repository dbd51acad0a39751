-- A sample of everything the extension stores, in two organizations: identities with
-- properties, agents with tags (some hidden), links both ways, blocks and their links.
\set ON_ERROR_STOP on
\set QUIET on
SET letta.organization_id = 'org-00000000-0000-4000-8000-000000000000';
\ir data_one_org.sql
SET letta.organization_id = 'org-44444444-4444-4444-8444-444444444444';
\ir data_one_org.sql
RESET letta.organization_id;
