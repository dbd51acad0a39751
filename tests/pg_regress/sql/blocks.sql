-- Blocks: memory blocks that identities own and share.

SELECT id AS caren FROM letta_create_identity('user_1', 'Caren') \gset
SELECT id AS sarah FROM letta_create_identity('user_2', 'Sarah') \gset

SELECT id AS prefs FROM letta_create_block('preferences', 'Likes short answers', char_limit => 100,
                                             description => 'what the user likes', identity_ids => ARRAY[:'caren']) \gset
SELECT label, value, "limit", description, metadata, identity_ids = ARRAY[:'caren'] AS owned_by_caren,
       id ~ '^block-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' AS letta_id_form
  FROM letta_get_block(:'prefs');
SELECT string_agg(attname, ', ' ORDER BY attnum) AS columns
  FROM pg_attribute WHERE attrelid = 'letta_block'::regclass AND attnum > 0;
SELECT block_ids = ARRAY[:'prefs'] AS in_block_ids FROM letta_get_identity(:'caren');

-- Attach and detach are idempotent; one block can be shared.
SELECT letta_attach_block(:'sarah', :'prefs') AS attached, letta_attach_block(:'sarah', :'prefs') AS again;
SELECT cardinality(identity_ids) AS owners FROM letta_get_block(:'prefs');
SELECT letta_detach_block(:'sarah', :'prefs') AS detached, letta_detach_block(:'sarah', :'prefs') AS again;

-- Blocks of an identity, and by identifier keys (each block once).
SELECT id AS notes FROM letta_create_block('notes', identity_ids => ARRAY[:'caren', :'sarah']) \gset
SELECT label FROM letta_identity_blocks(:'caren') ORDER BY label;
SELECT label FROM letta_blocks_by_key(ARRAY['user_1', 'user_2']) ORDER BY label;
SELECT count(*) AS blocks FROM letta_blocks_by_key(ARRAY['nobody']);
-- An identity's blocks in pages, as the other lists: newest first or oldest first, cursors
-- either way.
SELECT id AS pager FROM letta_create_identity('block_pager', 'Pager') \gset
SELECT string_agg(label, ', ') AS created FROM (
    SELECT (letta_create_block('b' || n, 'v', identity_ids => ARRAY[:'pager'])).label FROM generate_series(1, 5) n) c;
SELECT string_agg(label, ', ') AS newest_first FROM letta_identity_blocks(:'pager');
SELECT string_agg(label, ', ') AS first_page FROM letta_identity_blocks(:'pager', page_size => 2);
SELECT id AS b4 FROM letta_identity_blocks(:'pager') WHERE label = 'b4' \gset
SELECT string_agg(label, ', ') AS after_b4 FROM letta_identity_blocks(:'pager', after => :'b4', page_size => 2);
SELECT string_agg(label, ', ') AS before_b4 FROM letta_identity_blocks(:'pager', before => :'b4');
SELECT string_agg(label, ', ') AS oldest_first FROM letta_identity_blocks(:'pager', ascending => true);
SELECT string_agg(label, ', ') AS ascending_after_b4 FROM letta_identity_blocks(:'pager', ascending => true, after => :'b4');
SELECT test.error_of(format($$ SELECT * FROM letta_identity_blocks(%L, page_size => 0) $$, :'pager'));
SELECT test.error_of(format($$ SELECT * FROM letta_identity_blocks(%L, ascending => NULL) $$, :'pager'));
SELECT test.masked(test.error_of(format($$ SELECT * FROM letta_identity_blocks(%L, after => 'block-00000000-0000-4000-8000-000000000009') $$, :'pager')));
DELETE FROM letta_blocks WHERE label ~ '^b[1-5]$';
DELETE FROM letta_identities WHERE identifier_key = 'block_pager';

-- Identities take block_ids at create, update (added) and upsert (replaced).
SELECT cardinality(block_ids) AS blocks FROM letta_create_identity('user_3', 'Ann', block_ids => ARRAY[:'prefs']);
SELECT cardinality(block_ids) AS blocks FROM letta_update_identity(:'sarah', block_ids => ARRAY[:'prefs']);
SELECT block_ids = ARRAY[:'notes'] AS only_notes FROM letta_upsert_identity('user_2', 'Sarah', block_ids => ARRAY[:'notes']);

-- Update: NULL keeps; the limit is advisory (as in Letta): a longer value, or a lower limit, is kept.
SELECT label, value, "limit" FROM letta_update_block(:'prefs', value => 'Likes long answers');
SELECT label, value, "limit" FROM letta_update_block(:'prefs', label => 'likes', char_limit => 200);
SELECT length(value) AS value_length, "limit" FROM letta_update_block(:'prefs', value => repeat('x', 201));
SELECT length(value) AS value_length, "limit" FROM letta_update_block(:'prefs', char_limit => 5);
SELECT value, "limit" FROM letta_update_block(:'prefs', value => 'Likes long answers', char_limit => 200);
SELECT test.error_of(format($$ SELECT letta_update_block(%L, label => '') $$, :'prefs'));
SELECT value, "limit" FROM letta_create_block('x', 'abc', char_limit => 2);
SELECT "limit" AS default_limit FROM letta_create_block('x', 'abc');
SELECT test.error_of($$ SELECT letta_create_block('x', char_limit => 0) $$);
SELECT test.error_of($$ SELECT letta_create_block(NULL) $$);
SELECT test.error_of($$ SELECT letta_create_block('x', metadata => '1') $$);
SELECT test.error_of($$ SELECT letta_create_block('x', identity_ids => ARRAY['identity-00000000-0000-4000-8000-000000000009']) $$);

-- Errors of the other block functions.
SELECT test.error_of($$ SELECT letta_get_block('block-00000000-0000-4000-8000-000000000009') $$);
SELECT test.error_of($$ SELECT letta_get_block('agent-00000000-0000-4000-8000-000000000009') $$);
SELECT test.error_of($$ SELECT letta_attach_block('identity-00000000-0000-4000-8000-000000000009', 'block-00000000-0000-4000-8000-000000000009') $$);
SELECT test.masked(test.error_of(format($$ SELECT letta_attach_block(%L, 'block-00000000-0000-4000-8000-000000000009') $$, :'caren')));
SELECT test.error_of($$ SELECT * FROM letta_identity_blocks('identity-00000000-0000-4000-8000-000000000009') $$);
SELECT test.error_of($$ SELECT * FROM letta_blocks_by_key(NULL) $$);

-- Deleting a block removes its links; deleting an identity keeps its blocks.
SELECT 'deleted' AS result FROM letta_delete_block(:'notes');
SELECT cardinality(block_ids) AS blocks FROM letta_get_identity(:'sarah');
SELECT test.masked(test.error_of(format($$ SELECT letta_delete_block(%L) $$, :'notes')));
SELECT 'deleted' AS result FROM letta_delete_identity(:'caren');
SELECT label, cardinality(identity_ids) AS owners FROM letta_get_block(:'prefs');

-- Another organization sees none of them.
SET letta.organization_id = 'org-33333333-3333-4333-8333-333333333333';
SELECT test.masked(test.error_of(format($$ SELECT letta_get_block(%L) $$, :'prefs')));
SELECT count(*) AS blocks FROM letta_blocks_by_key(ARRAY['user_2', 'user_3']);
RESET letta.organization_id;

DELETE FROM letta_identities;
DELETE FROM letta_blocks;
