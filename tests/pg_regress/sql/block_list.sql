-- letta_list_blocks, letta_count_blocks and letta_list_blocks_page: Letta's block list, with
-- its filters, pages and count; blocks' project_id, hidden and tags.

-- (Deleted agents' blocks stay, as in Letta: the blocks earlier files left go first.)
DELETE FROM letta_blocks;
SELECT id AS ann FROM letta_create_identity('block_list_ann', 'Ann') \gset
SELECT id AS bob FROM letta_create_identity('block_list_bob', 'Bob') \gset
-- Twelve blocks, created in order: labels human/persona/notes, two projects, tags, one hidden.
SELECT count(*) AS created FROM (
    SELECT letta_create_block(
               CASE n % 3 WHEN 0 THEN 'human' WHEN 1 THEN 'persona' ELSE 'notes' END,
               'Value ' || n || CASE WHEN n % 4 = 0 THEN ' likes TEA' ELSE '' END,
               description => CASE WHEN n % 2 = 0 THEN 'About the User ' || n END,
               identity_ids => CASE WHEN n <= 4 THEN ARRAY[:'ann'] WHEN n <= 6 THEN ARRAY[:'ann', :'bob'] ELSE '{}' END,
               project_id => CASE WHEN n > 8 THEN 'proj-b' ELSE 'proj-a' END,
               hidden => n = 12,
               tags => CASE WHEN n % 2 = 0 THEN ARRAY['even', 'b' || n] ELSE ARRAY['odd'] END)
      FROM generate_series(1, 12) n) made;
-- (Blocks of earlier files stay, as deleted agents' blocks do: these are the ones named Value n.)
CREATE TEMPORARY TABLE named AS
SELECT id, substring(value FROM '^Value ([0-9]+)')::int AS n FROM letta_list_blocks(page_size => 1000, include_hidden => true)
 WHERE value ~ '^Value [0-9]+';
CREATE FUNCTION test.block_ns(ids text[]) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(n::text, ' ' ORDER BY o), '-') FROM unnest(ids) WITH ORDINALITY u(id, o) JOIN named USING (id)
$$;

-- The new fields, last in letta_block.
SELECT label, project_id, hidden, tags FROM letta_get_block((SELECT id FROM named WHERE n = 12));

-- Oldest first by default, as Letta lists blocks; hidden blocks only with include_hidden; pages by cursors.
SELECT test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(ascending => false))) AS newest_first,
       test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(include_hidden => true))) AS oldest_first,
       test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(page_size => 3, after => (SELECT id FROM named WHERE n = 8)))) AS after_8,
       test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(page_size => 3, before => (SELECT id FROM named WHERE n = 8)))) AS before_8;

-- Each filter.
SELECT 'label human' AS filter, test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(label => 'human', ascending => true))) AS blocks
UNION ALL SELECT 'label_search ERS', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(label_search => 'ERS', ascending => true)))
UNION ALL SELECT 'value_search tea', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(value_search => 'tea', ascending => true)))
UNION ALL SELECT 'description_search user 1', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(description_search => 'user 1', ascending => true)))
UNION ALL SELECT 'identity_id ann', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(identity_id => :'ann', ascending => true)))
UNION ALL SELECT 'identifier_keys bob', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(identifier_keys => ARRAY['block_list_bob'], ascending => true)))
UNION ALL SELECT 'ann and bob''s key', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(identity_id => :'ann', identifier_keys => ARRAY['block_list_bob'], ascending => true)))
UNION ALL SELECT 'project_id proj-b', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(project_id => 'proj-b', ascending => true)))
UNION ALL SELECT 'tags any b2 b4', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(tags => ARRAY['b2', 'b4'], ascending => true)))
UNION ALL SELECT 'tags all even b4', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(tags => ARRAY['even', 'b4'], match_all_tags => true, ascending => true)))
UNION ALL SELECT 'label human, label_search ERS (Letta: not applied)', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(label => 'human', label_search => 'ERS', ascending => true)))
UNION ALL SELECT 'label notes, tag even', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(label => 'notes', tags => ARRAY['even'], ascending => true)))
UNION ALL SELECT 'hidden included', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(project_id => 'proj-b', include_hidden => true, ascending => true)));

-- By how many agents have a block in their memory: 1 in two agents', 2 in one's.
SELECT id AS a1 FROM letta_create_agent('block_list_a1', block_ids => ARRAY[(SELECT id FROM named WHERE n = 1), (SELECT id FROM named WHERE n = 2)]) \gset
SELECT id AS a2 FROM letta_create_agent('block_list_a2', block_ids => ARRAY[(SELECT id FROM named WHERE n = 1)]) \gset
SELECT 'gt 0' AS filter, test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(connected_to_agents_count_gt => 0, ascending => true))) AS blocks
UNION ALL SELECT 'gt 1', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(connected_to_agents_count_gt => 1, ascending => true)))
UNION ALL SELECT 'lt 1, label persona', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(connected_to_agents_count_lt => 1, label => 'persona', ascending => true)))
UNION ALL SELECT 'eq {0, 2}, ann''s', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(connected_to_agents_count_eq => '{0,2}', identity_id => :'ann', ascending => true)))
UNION ALL SELECT 'eq {1}', test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(connected_to_agents_count_eq => '{1}', ascending => true)));

-- The count: the same filters, every page.
SELECT letta_count_blocks() AS visible, letta_count_blocks(include_hidden => true) AS all_blocks,
       letta_count_blocks(label => 'human') AS humans, letta_count_blocks(label => 'human', label_search => 'ERS') AS humans_too, letta_count_blocks(identity_id => :'ann') AS anns,
       letta_count_blocks(tags => ARRAY['even'], value_search => 'tea') AS even_tea,
       letta_count_blocks(connected_to_agents_count_gt => 0) AS in_memory;

-- One page as JSON, with the cursor of the next.
SELECT jsonb_array_length(items) AS items, has_more, next_cursor = (SELECT id FROM named WHERE n = 3) AS next_is_3
  FROM letta_list_blocks_page(page_size => 3, ascending => true);
SELECT has_more FROM letta_list_blocks_page(page_size => 3, ascending => true, after => (SELECT id FROM named WHERE n = 9));

-- Tags are a set; update_block sets project_id, hidden and tags (an empty list clears).
SELECT tags FROM letta_create_block('t', tags => ARRAY['b', 'a', 'b']) \gset
SELECT :'tags' AS tags;
SELECT project_id, hidden, tags FROM letta_update_block((SELECT id FROM named WHERE n = 12), project_id => 'proj-c', hidden => false, tags => '{}');
SELECT test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(project_id => 'proj-c'))) AS proj_c;

-- A tag on many blocks is read in list order, one on few by its index: the same answers.
SELECT count(*) AS more FROM (SELECT letta_create_block('bulk', tags => ARRAY['many']) FROM generate_series(1, 1100)) m;
SELECT count(*) AS page, bool_and(label = 'bulk') AS all_bulk FROM letta_list_blocks(tags => ARRAY['many', 'b2'], page_size => 60, ascending => false);
SELECT test.block_ns(ARRAY(SELECT id FROM letta_list_blocks(tags => ARRAY['b2', 'b6'], page_size => 60))) AS few;
SELECT letta_count_blocks(tags => ARRAY['many']) AS many;

-- Refusals.
SELECT test.error_of($$ SELECT * FROM letta_list_blocks(tags => ARRAY['a', NULL]) $$);
SELECT test.error_of($$ SELECT * FROM letta_list_blocks(identifier_keys => ARRAY[NULL]) $$);
SELECT test.error_of($$ SELECT * FROM letta_list_blocks(connected_to_agents_count_gt => -1) $$);
SELECT test.error_of($$ SELECT * FROM letta_list_blocks(connected_to_agents_count_eq => '{1,NULL}') $$);
SELECT test.error_of($$ SELECT * FROM letta_list_blocks(page_size => 0) $$);
SELECT test.error_of($$ SELECT * FROM letta_list_blocks(ascending => NULL) $$);
SELECT test.error_of($$ SELECT * FROM letta_list_blocks(match_all_tags => NULL) $$);
SELECT test.error_of($$ SELECT * FROM letta_list_blocks(identity_id => 'identity-x') $$);
SELECT test.error_of($$ SELECT * FROM letta_list_blocks(after => 'block-00000000-0000-4000-8000-000000000009') $$);
SELECT test.error_of($$ SELECT letta_count_blocks(connected_to_agents_count_lt => -2) $$);
SELECT letta_count_blocks(connected_to_agents_count_gt => 2147483647) AS none_that_many,
       letta_count_blocks(connected_to_agents_count_eq => '{2147483647, 0}') > 0 AS eq_largest;
SELECT test.error_of($$ SELECT letta_create_block('x', project_id => '') $$);
SELECT test.error_of($$ SELECT letta_create_block('x', tags => ARRAY['']) $$);
SELECT test.error_of(format($$ SELECT letta_update_block(%L, tags => ARRAY[NULL]) $$, (SELECT id FROM named WHERE n = 1)));

-- Another organization sees none of them.
SET letta.organization_id = 'org-33333333-3333-4333-8333-333333333333';
SELECT (SELECT count(*) FROM letta_list_blocks(include_hidden => true)) AS seen,
       letta_count_blocks(include_hidden => true) AS counted;
RESET letta.organization_id;

-- Clean up for the files that follow.
SELECT count(*) AS deleted FROM (SELECT letta_delete_agent(id) FROM unnest(ARRAY[:'a1', :'a2']) id) d;
DELETE FROM letta_blocks;
DELETE FROM letta_identities WHERE identifier_key LIKE 'block\_list\_%';
DROP FUNCTION test.block_ns(text[]);
