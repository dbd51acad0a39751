-- Hole 9: end users rewrite each other's link rows. user_1 sees link rows of user_2 where the
-- other end is user_1's (user_2's link to the agent they share, to the block they share, and
-- the shared block in user_2's private agent's memory). The policies refuse DELETE of them;
-- sec_enduser, acting for user_1, tries UPDATE instead: moving them to user_1's own rows, or
-- taking the shared block out of user_2's agent's memory.
-- Must hold: 0 rows updated, or refused; as the owner, user_2's links as before.
CREATE VIEW test.links AS
    SELECT 'identity-agent' AS kind, i.identifier_key AS who, a.name AS what
      FROM letta_identities_agents l JOIN letta_identities i ON i.id = l.identity_id JOIN letta_agents a ON a.id = l.agent_id
     WHERE l.organization_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'
    UNION ALL
    SELECT 'identity-block', i.identifier_key, b.label
      FROM letta_identities_blocks l JOIN letta_identities i ON i.id = l.identity_id JOIN letta_blocks b ON b.id = l.block_id
     WHERE l.organization_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'
    UNION ALL
    SELECT 'agent memory', a.name, b.label || ' (as ' || l.block_label || ')'
      FROM letta_blocks_agents l JOIN letta_agents a ON a.id = l.agent_id JOIN letta_blocks b ON b.id = l.block_id
     WHERE l.organization_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
SELECT * FROM test.links ORDER BY 1, 2, 3;
-- (Kept, to be put back should an open hole change them.)
CREATE TABLE test.saved_identities_agents AS SELECT * FROM letta_identities_agents;
CREATE TABLE test.saved_identities_blocks AS SELECT * FROM letta_identities_blocks;
CREATE TABLE test.saved_blocks_agents AS SELECT * FROM letta_blocks_agents;

\c - sec_enduser
CREATE FUNCTION pg_temp.u(label text) RETURNS uuid LANGUAGE sql AS $$
    SELECT regexp_replace(id, '^[a-z]+-', '')::uuid FROM test.ids WHERE ids.label = u.label
$$;
BEGIN;
SET LOCAL letta.identifier_key = 'user_1';
-- The link rows of user_2 that user_1 can see.
SELECT count(*) AS u2_agent_links_seen FROM letta_identities_agents WHERE identity_id = pg_temp.u('u2');
SELECT count(*) AS u2_block_links_seen FROM letta_identities_blocks WHERE identity_id = pg_temp.u('u2');
SELECT count(*) AS u2_memory_links_seen FROM letta_blocks_agents WHERE agent_id = pg_temp.u('a_u2');
-- Deleting them is refused (the policies since 0.5.0): 0 rows.
SELECT test.rows_changed(format($$ DELETE FROM letta_identities_agents WHERE identity_id = %L $$, pg_temp.u('u2'))) AS delete_u2_agent_links;
-- Updating them. user_2's link to the shared agent, and to the shared block, moved to
-- user_1's other identity (a row that does not exist yet): user_2 loses them.
SELECT test.rows_changed(format($$ UPDATE letta_identities_agents SET identity_id = %L WHERE identity_id = %L AND agent_id = %L $$,
                                pg_temp.u('u1_work'), pg_temp.u('u2'), pg_temp.u('a_shared'))) AS move_u2_agent_link;
SELECT test.rows_changed(format($$ UPDATE letta_identities_blocks SET identity_id = %L WHERE identity_id = %L AND block_id = %L $$,
                                pg_temp.u('u1_work'), pg_temp.u('u2'), pg_temp.u('blk_shared'))) AS move_u2_block_link;
-- The shared block in user_2's private agent's memory: relabelled (the memory reads blocks by
-- label), then moved to user_1's own agent.
SELECT test.rows_changed(format($$ UPDATE letta_blocks_agents SET block_label = 'relabelled by user_1'
                                     WHERE agent_id = %L AND block_id = %L $$,
                                pg_temp.u('a_u2'), pg_temp.u('blk_shared'))) AS relabel_in_u2_memory;
SELECT test.rows_changed(format($$ UPDATE letta_blocks_agents SET agent_id = %L WHERE agent_id = %L AND block_id = %L $$,
                                pg_temp.u('a_u1'), pg_temp.u('a_u2'), pg_temp.u('blk_shared'))) AS move_out_of_u2_memory;
-- Updated in place, without changing anything: still a write of user_2's rows (0 rows).
SELECT test.rows_changed(format($$ UPDATE letta_identities_agents SET agent_id = agent_id WHERE identity_id = %L $$,
                                pg_temp.u('u2'))) AS touch_u2_links;
-- Through the functions: detaching user_2 from what they share.
SELECT test.answer(format('SELECT letta_detach_agent(%L, %L)', (SELECT id FROM test.ids WHERE label = 'u2'),
                          (SELECT id FROM test.ids WHERE label = 'a_shared'))) AS detach_u2_from_shared_agent;
SELECT test.answer(format('SELECT letta_detach_block(%L, %L)', (SELECT id FROM test.ids WHERE label = 'u2'),
                          (SELECT id FROM test.ids WHERE label = 'blk_shared'))) AS detach_u2_from_shared_block;
SELECT test.answer(format('SELECT letta_detach_agent_block(%L, %L)', (SELECT id FROM test.ids WHERE label = 'a_u2'),
                          (SELECT id FROM test.ids WHERE label = 'blk_shared'))) AS out_of_u2_memory;
COMMIT;

-- As the owner: user_2's links as before.
\c - postgres
SELECT * FROM test.links ORDER BY 1, 2, 3;
-- (Put back.)
BEGIN;
DELETE FROM letta_identities_agents;
INSERT INTO letta_identities_agents SELECT * FROM test.saved_identities_agents;
DELETE FROM letta_identities_blocks;
INSERT INTO letta_identities_blocks SELECT * FROM test.saved_identities_blocks;
DELETE FROM letta_blocks_agents;
INSERT INTO letta_blocks_agents SELECT * FROM test.saved_blocks_agents;
COMMIT;
