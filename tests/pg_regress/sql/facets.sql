-- Facets: agents per tag (a filter sidebar, billing), agents and blocks per identity.
SET letta.organization_id = 'org-88888888-8888-4888-8888-888888888888';
SELECT id AS ann FROM letta_create_identity('facet_ann', 'Ann') \gset
SELECT id AS bob FROM letta_create_identity('facet_bob', 'Bob') \gset
SELECT count(*) AS agents FROM (
    SELECT letta_create_agent(name => 'one', tags => ARRAY['red', 'round'], identity_ids => ARRAY[:'ann'])
    UNION ALL SELECT letta_create_agent(name => 'two', tags => ARRAY['red'], identity_ids => ARRAY[:'ann', :'bob'])
    UNION ALL SELECT letta_create_agent(name => 'three', tags => ARRAY['blue', 'red'], hidden => true, identity_ids => ARRAY[:'ann'])
    UNION ALL SELECT letta_create_agent(name => 'four', tags => ARRAY['blue'])) made;
SELECT count(*) AS blocks FROM (
    SELECT letta_create_block('human', 'x', identity_ids => ARRAY[:'ann'])
    UNION ALL SELECT letta_create_block('persona', 'y', identity_ids => ARRAY[:'ann', :'bob'])) made;

-- Every tag of the organization, ascending; hidden agents only when asked.
SELECT * FROM letta_count_agents_by_tag();
SELECT * FROM letta_count_agents_by_tag(include_hidden => true);
-- The tags asked for, each once, in order, 0 for a tag no agent has.
SELECT * FROM letta_count_agents_by_tag(ARRAY['round', 'red', 'green', 'red']);
SELECT * FROM letta_count_agents_by_tag('{}');
SELECT test.error_of($$ SELECT letta_count_agents_by_tag(ARRAY['red', NULL]) $$);
SELECT test.error_of($$ SELECT letta_count_agents_by_tag(include_hidden => NULL) $$);

-- Per identity, newest first: agents (hidden ones too) and blocks linked to it.
SELECT replace(replace(identity_id, :'ann', 'ann'), :'bob', 'bob') AS identity, agents, blocks
  FROM letta_count_by_identity();
SELECT replace(identity_id, :'bob', 'bob') AS identity, agents, blocks FROM letta_count_by_identity(ARRAY[:'bob']);
SELECT count(*) AS rows FROM letta_count_by_identity('{}');
SELECT test.masked(test.error_of($$ SELECT letta_count_by_identity(ARRAY['identity-00000000-0000-4000-8000-000000000000']) $$));
SELECT test.error_of($$ SELECT letta_count_by_identity(ARRAY['ann']) $$);

-- Another organization sees none of it.
SET letta.organization_id = 'org-99999999-9999-4999-8999-999999999999';
SELECT count(*) AS tags FROM letta_count_agents_by_tag();
SELECT count(*) AS identities FROM letta_count_by_identity();
SELECT test.masked(test.error_of(format($$ SELECT letta_count_by_identity(ARRAY[%L]) $$, :'ann')));

SET letta.organization_id = 'org-88888888-8888-4888-8888-888888888888';
DELETE FROM letta_identities WHERE organization_id = '88888888-8888-4888-8888-888888888888';
DELETE FROM letta_agents WHERE organization_id = '88888888-8888-4888-8888-888888888888';
DELETE FROM letta_blocks WHERE organization_id = '88888888-8888-4888-8888-888888888888';
RESET letta.organization_id;
