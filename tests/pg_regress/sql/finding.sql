-- letta_agents_by_key and letta_list_agents: Letta's scenarios, and its bugs fixed.

-- Letta's tag scenario, plus an agent tagged production. created_at is set by hand below so
-- that "newest first" is deterministic: agent n was created at minute n.
SELECT count(*) AS agents FROM (
    SELECT letta_create_agent(name => 'first',  tags => ARRAY['primary', 'benefit_1'], id => test.agent_id(1))
    UNION ALL SELECT letta_create_agent(name => 'second', tags => ARRAY['primary', 'benefit_2'], id => test.agent_id(2))
    UNION ALL SELECT letta_create_agent(name => 'third',  tags => ARRAY['primary', 'benefit_1', 'benefit_2'], id => test.agent_id(3))
    UNION ALL SELECT letta_create_agent(name => 'prod',   tags => ARRAY['production'], id => test.agent_id(4))
) made;
-- (Timestamp arithmetic in UTC, which is immutable: Citus computes an UPDATE's new values on
-- the shards, and refuses a function that depends on the time zone setting there.)
UPDATE letta_agents SET created_at = ('2026-01-01 00:00'::timestamp + right(id::text, 12)::int * interval '1 minute') AT TIME ZONE 'UTC';

-- all of [primary, benefit_1]: first and third, newest first.
SELECT name FROM letta_list_agents(tags => ARRAY['primary', 'benefit_1'], match_all_tags => true);
-- any of [production, nonexistent]: only prod.
SELECT name FROM letta_list_agents(tags => ARRAY['production', 'nonexistent']);
-- all of [primary, nonexistent]: none.
SELECT name FROM letta_list_agents(tags => ARRAY['primary', 'nonexistent'], match_all_tags => true);
-- any of [benefit_1, benefit_2]: three agents.
SELECT name FROM letta_list_agents(tags => ARRAY['benefit_1', 'benefit_2']);
-- Letta bug: match_all with a repeated tag counted the repeat; here it is the same as once.
SELECT name FROM letta_list_agents(tags => ARRAY['benefit_2', 'benefit_2'], match_all_tags => true);
-- Tags are case-sensitive.
SELECT name FROM letta_list_agents(tags => ARRAY['Primary']);
-- No filter (NULL or empty): every agent, newest first; page_size caps the page.
SELECT name FROM letta_list_agents();
SELECT name FROM letta_list_agents(tags => '{}', match_all_tags => true);
SELECT name FROM letta_list_agents(page_size => 2);
-- A NULL inside a filter is an error, not a silent non-match.
SELECT test.error_of($$ SELECT * FROM letta_list_agents(tags => ARRAY['primary', NULL]) $$);
SELECT test.error_of($$ SELECT * FROM letta_list_agents(identifier_keys => ARRAY[NULL]) $$);

-- Ties on created_at (rows an older version wrote in one transaction, or times set by hand)
-- are ordered by id, newest id first.
UPDATE letta_agents SET created_at = '2026-02-01 00:00+00' WHERE name IN ('first', 'second');
SELECT name FROM letta_list_agents(tags => ARRAY['primary']);

-- Letta's identity scenario: identity "1234" with agents a and b, then agent c created
-- linked to it: by key, all three; after deleting c, a and b.
SELECT id AS ident FROM letta_create_identity('1234', 'caren', agent_ids => ARRAY[test.agent_id(1), test.agent_id(2)]) \gset
SELECT name FROM letta_create_agent(name => 'c', identity_ids => ARRAY[:'ident'], id => test.agent_id(5));
UPDATE letta_agents SET created_at = '2026-03-01 00:00+00' WHERE name = 'c';
SELECT name FROM letta_agents_by_key(ARRAY['1234']);
SELECT name FROM letta_list_agents(identifier_keys => ARRAY['1234']);
DELETE FROM letta_agents WHERE name = 'c';
SELECT name FROM letta_agents_by_key(ARRAY['1234']);

-- Letta bug: an agent shared by two matching identities came back twice; here once.
SELECT cardinality(agent_ids) AS agents
  FROM letta_create_identity('5678', 'sarah', agent_ids => ARRAY[test.agent_id(2), test.agent_id(3)]);
SELECT name FROM letta_agents_by_key(ARRAY['1234', '5678']);
SELECT count(*) AS rows, count(DISTINCT id) AS agents FROM letta_list_agents(identifier_keys => ARRAY['1234', '5678']);

-- Keys match across projects.
SELECT cardinality(agent_ids) AS agents
  FROM letta_create_identity('1234', 'caren at work', project_id => 'work', agent_ids => ARRAY[test.agent_id(4)]);
SELECT name FROM letta_agents_by_key(ARRAY['1234']);

-- Filters are ANDed: key 1234 and tag benefit_1.
SELECT name FROM letta_list_agents(identifier_keys => ARRAY['1234'], tags => ARRAY['benefit_1']);
-- identity_id and identifier_keys narrow each on its own: caren's agents linked to an identity
-- with key 5678 (sarah's): the one they share; with caren's own key, all of caren's.
SELECT name FROM letta_list_agents(identity_id => :'ident', identifier_keys => ARRAY['5678']);
SELECT name FROM letta_list_agents(identity_id => :'ident', identifier_keys => ARRAY['1234']);

-- Unknown keys, no keys: no agents. A NULL list or a NULL key: 22023.
SELECT count(*) AS agents FROM letta_agents_by_key(ARRAY['nobody']);
SELECT count(*) AS agents FROM letta_agents_by_key('{}');
SELECT test.error_of($$ SELECT * FROM letta_agents_by_key(NULL) $$);
SELECT test.error_of($$ SELECT * FROM letta_agents_by_key(ARRAY['1234', NULL]) $$);

DELETE FROM letta_identities;
DELETE FROM letta_agents;
