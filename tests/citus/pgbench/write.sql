-- One client's call under load (tests/citus/run, under load): a role that switches names one of
-- four organizations, creates an agent there and lists a page of them, in one transaction.
\set o random(1, 4)
BEGIN;
SET LOCAL letta.organization_id = 'org-0000000:o-0000-4000-8000-00000000000a';
SELECT count(*) FROM letta_create_agent(name => 'under load', tags => ARRAY['load']);
SELECT count(*) FROM letta_list_agents(tags => ARRAY['load'], page_size => 5);
COMMIT;
