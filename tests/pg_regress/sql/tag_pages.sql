-- letta_list_agents and letta_count_agents against a plain reference query: every way in
-- (tags any or all, common or rare, identities, none), both directions, cursors in both
-- directions, over created_at ties; and the ordered tag index kept equal to the agents' tags
-- through every kind of write.
SET letta.organization_id = 'org-33333333-3333-4333-8333-333333333333';

-- 3,000 agents. Tags: 'even' and 'odd' are common and meet only in the 50 oldest agents
-- ('odd' is also on the even agents below 100), so all of them has matches only far down the
-- list: the walk of the rarer tag's entries ends, and the GIN index finds the rest. 'third'
-- and 'seventh' are middling, 'rare' rare (and on hidden agents only); one agent in ten is hidden. created_at comes in
-- groups of 7 equal values, so cursors must break ties by id.
SELECT cardinality(letta_create_agents(jsonb_agg(jsonb_build_object(
           'id', test.agent_id(n), 'name', 'agent ' || n, 'hidden', n % 10 = 0,
           'tags', to_jsonb(ARRAY['all'] || CASE WHEN n % 2 = 0 THEN ARRAY['even'] ELSE '{}' END
                            || CASE WHEN n % 2 = 1 OR n < 100 THEN ARRAY['odd'] ELSE '{}' END
                            || CASE WHEN n % 3 = 0 THEN ARRAY['third'] ELSE '{}' END
                            || CASE WHEN n % 7 = 0 THEN ARRAY['seventh'] ELSE '{}' END
                            || CASE WHEN n % 400 = 0 THEN ARRAY['rare'] ELSE '{}' END))
       ORDER BY n))) AS created
  FROM generate_series(1, 3000) n;
-- (Timestamp arithmetic in UTC, immutable, as Citus needs in an UPDATE: see finding.sql.)
UPDATE letta_agents
   SET created_at = ('2026-01-01'::timestamp + (substr(id::text, 25)::integer / 7) * interval '1 second') AT TIME ZONE 'UTC'
 WHERE organization_id = '33333333-3333-4333-8333-333333333333';
-- Links: identity "owner" has every fifth agent.
SELECT (letta_create_identity('owner', 'Owner')).identifier_key AS owner;
INSERT INTO letta_identities_agents
SELECT i.organization_id, i.id, a.id
  FROM letta_identities i JOIN letta_agents a USING (organization_id)
 WHERE i.organization_id = '33333333-3333-4333-8333-333333333333' AND i.identifier_key = 'owner'
   AND substr(a.id::text, 25)::integer % 5 = 0;
ANALYZE letta_agents, letta_agents_tags;

-- The page as a plain query over letta_agents would give it (the definition of the lists).
CREATE FUNCTION test.reference_page(tags text[], match_all_tags boolean, identifier_keys text[],
                                    include_hidden boolean, after text, before text,
                                    page_size integer, ascending boolean)
RETURNS text[] LANGUAGE plpgsql AS $$  -- (PL/pgSQL: Citus plans no SQL function's query)
BEGIN
    RETURN (WITH b AS (
        SELECT ascending <> (before IS NOT NULL AND after IS NULL) AS oldest,
               (SELECT (c.created_at, c.id) FROM letta_agents c
                 WHERE c.organization_id = '33333333-3333-4333-8333-333333333333' AND c.id = substr(after, 7)::uuid) AS a_key,
               (SELECT (c.created_at, c.id) FROM letta_agents c
                 WHERE c.organization_id = '33333333-3333-4333-8333-333333333333' AND c.id = substr(before, 7)::uuid) AS b_key,
               ARRAY(SELECT l.agent_id FROM letta_identities_agents l
                        JOIN letta_identities i ON i.organization_id = l.organization_id AND i.id = l.identity_id
                      WHERE i.organization_id = '33333333-3333-4333-8333-333333333333'
                        AND i.identifier_key = ANY (identifier_keys)) AS linked
    ), matching AS MATERIALIZED (
        SELECT a.created_at, a.id FROM letta_agents a, b
         WHERE a.organization_id = '33333333-3333-4333-8333-333333333333'
           AND (coalesce(cardinality(reference_page.tags), 0) = 0
                OR CASE WHEN match_all_tags THEN a.tags @> reference_page.tags ELSE a.tags && reference_page.tags END)
           AND (identifier_keys IS NULL OR a.id = ANY (b.linked))
           AND (include_hidden OR NOT a.hidden)
           AND (after IS NULL OR CASE WHEN ascending THEN (a.created_at, a.id) > b.a_key ELSE (a.created_at, a.id) < b.a_key END)
           AND (before IS NULL OR CASE WHEN ascending THEN (a.created_at, a.id) < b.b_key ELSE (a.created_at, a.id) > b.b_key END)
         ORDER BY CASE WHEN b.oldest THEN a.created_at END, CASE WHEN b.oldest THEN a.id END,
                  a.created_at DESC, a.id DESC
         LIMIT page_size)
    SELECT coalesce(array_agg('agent-' || m.id ORDER BY CASE WHEN ascending THEN m.created_at END,
                                                    CASE WHEN ascending THEN m.id END,
                                                    m.created_at DESC, m.id DESC), '{}')
      FROM matching m);
END
$$;

-- Every combination; a cursor is an agent in the middle of a tie group, or none.
CREATE TABLE test.page_cases AS
SELECT t.tags, m.match_all_tags, k.identifier_keys, h.include_hidden, c.after, c.before, s.page_size, d.ascending
  FROM (VALUES (NULL::text[]), ('{}'), ('{even}'), ('{rare}'), ('{seventh,rare}'), ('{third,seventh}'),
               ('{even,odd}'), ('{odd,even,odd}'), ('{all,even,odd}'), ('{all,rare}'), ('{nonexistent}'), ('{even,nonexistent}')) t(tags),
       (VALUES (false), (true)) m(match_all_tags),
       (VALUES (NULL::text[]), ('{owner}')) k(identifier_keys),
       (VALUES (false), (true)) h(include_hidden),
       (VALUES (NULL, NULL), (test.agent_id(1502), NULL), (NULL, test.agent_id(1502)),
               (test.agent_id(2800), test.agent_id(40)), (test.agent_id(40), test.agent_id(2800))) c(after, before),
       (VALUES (1), (7)) s(page_size),
       (VALUES (false), (true)) d(ascending);
SELECT count(*) AS cases FROM test.page_cases;

SELECT count(*) AS pages_differing_from_the_reference
  FROM test.page_cases p
 WHERE ARRAY(SELECT l.id FROM letta_list_agents(tags => p.tags, match_all_tags => p.match_all_tags,
                 identifier_keys => p.identifier_keys, include_hidden => p.include_hidden,
                 after => p.after, before => p.before, page_size => p.page_size, ascending => p.ascending) l)
       IS DISTINCT FROM test.reference_page(p.tags, p.match_all_tags, p.identifier_keys, p.include_hidden,
                                            p.after, p.before, p.page_size, p.ascending);
SELECT count(*) AS counts_differing_from_the_reference
  FROM (SELECT DISTINCT tags, match_all_tags, identifier_keys, include_hidden FROM test.page_cases) p
 WHERE letta_count_agents(tags => p.tags, match_all_tags => p.match_all_tags,
                          identifier_keys => p.identifier_keys, include_hidden => p.include_hidden)
       <> cardinality(test.reference_page(p.tags, p.match_all_tags, p.identifier_keys, p.include_hidden,
                                          NULL, NULL, 100000, false));
-- Walking every page of all of {even, odd} (matches only among the 50 oldest) meets each
-- match once, in order.
WITH RECURSIVE walk AS (
    SELECT 1 AS page, ARRAY(SELECT id FROM letta_list_agents(tags => '{even,odd}', match_all_tags => true,
                                                             include_hidden => true, page_size => 7)) AS ids
    UNION ALL
    SELECT w.page + 1, ARRAY(SELECT id FROM letta_list_agents(tags => '{even,odd}', match_all_tags => true,
                                                              include_hidden => true, page_size => 7,
                                                              after => w.ids[cardinality(w.ids)]))
      FROM walk w WHERE cardinality(w.ids) = 7
)
SELECT count(DISTINCT w.page) AS pages, count(*) AS agents,
       array_agg(i ORDER BY w.page, o) = test.reference_page('{even,odd}', true, NULL, true, NULL, NULL, 1000, false) AS in_order
  FROM walk w, unnest(w.ids) WITH ORDINALITY u(i, o);

-- The ordered tag index is the agents' tags, row for row, after every kind of write: the
-- functions, UPDATE and DELETE by hand (of tags, of created_at), a write that changes
-- nothing, TRUNCATE (in a transaction rolled back).
CREATE FUNCTION test.tag_index_drift() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM (
        (SELECT organization_id, t COLLATE "C", created_at, id FROM letta_agents, unnest(tags) t
         EXCEPT ALL SELECT organization_id, tag, created_at, agent_id FROM letta_agents_tags)
        UNION ALL
        (SELECT organization_id, tag, created_at, agent_id FROM letta_agents_tags
         EXCEPT ALL SELECT organization_id, t COLLATE "C", created_at, id FROM letta_agents, unnest(tags) t)) d
$$;
SELECT test.tag_index_drift() AS drift, (SELECT count(*) FROM letta_agents_tags) > 3000 AS filled;
SELECT letta_add_agent_tags(test.agent_id(7), ARRAY['rare', 'new']) AS added;
SELECT letta_remove_agent_tags(test.agent_id(7), ARRAY['seventh', 'all']) AS removed;
SELECT (letta_update_agent(test.agent_id(14), tags => ARRAY['replaced'])).tags AS replaced;
SELECT (letta_update_agent(test.agent_id(21), name => 'renamed')).name AS renamed;
SELECT letta_delete_agent(test.agent_id(28)) AS deleted;
UPDATE letta_agents SET tags = '{}' WHERE id = substr(test.agent_id(35), 7)::uuid;
UPDATE letta_agents SET created_at = (created_at AT TIME ZONE 'UTC' - interval '1 day') AT TIME ZONE 'UTC'
 WHERE organization_id = '33333333-3333-4333-8333-333333333333' AND substr(id::text, 25)::integer % 11 = 0;
UPDATE letta_agents SET name = name WHERE organization_id = '33333333-3333-4333-8333-333333333333';
DELETE FROM letta_agents WHERE id = substr(test.agent_id(42), 7)::uuid;
SELECT test.tag_index_drift() AS drift;
SELECT name FROM letta_list_agents(tags => ARRAY['new']);
SELECT count(*) AS seventh FROM letta_list_agents(tags => ARRAY['seventh'], page_size => 1000, include_hidden => true);
BEGIN;
TRUNCATE letta_identities_agents, letta_blocks_agents, letta_agents;
SELECT count(*) AS entries_after_truncate FROM letta_agents_tags;
ROLLBACK;
SELECT test.tag_index_drift() AS drift;
-- And the pages still match the reference after those writes.
SELECT count(*) AS pages_differing_from_the_reference
  FROM test.page_cases p
 WHERE ARRAY(SELECT l.id FROM letta_list_agents(tags => p.tags, match_all_tags => p.match_all_tags,
                 identifier_keys => p.identifier_keys, include_hidden => p.include_hidden,
                 after => p.after, before => p.before, page_size => p.page_size, ascending => p.ascending) l)
       IS DISTINCT FROM test.reference_page(p.tags, p.match_all_tags, p.identifier_keys, p.include_hidden,
                                            p.after, p.before, p.page_size, p.ascending)
   AND p.page_size = 7 AND p.after IS DISTINCT FROM test.agent_id(42) AND p.before IS DISTINCT FROM test.agent_id(42);

-- Roles read the ordered tag index of their organization only, and never write it.
CREATE ROLE letta_tag_pages_app LOGIN;
SELECT letta_bind_role('letta_tag_pages_app', 'org-33333333-3333-4333-8333-333333333333') AS bound;
GRANT USAGE ON SCHEMA test TO letta_tag_pages_app;
SET ROLE letta_tag_pages_app;
SELECT count(DISTINCT organization_id) AS organizations_seen FROM letta_agents_tags;
SELECT test.error_of($$ INSERT INTO letta_agents_tags VALUES ('33333333-3333-4333-8333-333333333333', 'x', now(), gen_random_uuid()) $$);
SELECT test.error_of($$ DELETE FROM letta_agents_tags $$);
SELECT name FROM letta_list_agents(tags => ARRAY['new']);
SELECT (letta_create_agent(name => 'by the app', tags => ARRAY['app'])).tags AS app_tags;
SELECT name FROM letta_list_agents(tags => ARRAY['app', 'nonexistent']);
RESET ROLE;
REVOKE USAGE ON SCHEMA test FROM letta_tag_pages_app;
SELECT test.tag_index_drift() AS drift;
SELECT letta_unbind_role('letta_tag_pages_app') AS unbound;
DROP ROLE letta_tag_pages_app;
RESET letta.organization_id;

-- The index-only reads need a fresh visibility map: autovacuum visits the table after 1% new.
SELECT reloptions FROM pg_class WHERE oid = 'letta_agents_tags'::regclass;
