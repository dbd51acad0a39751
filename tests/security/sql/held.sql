-- What held when the holes were found, and must keep holding: organization B's ids in every
-- function called by sec_a (organization A); B's rows on the tables; a role picking another
-- organization by every setting it can reach; a switching role's choice across transactions
-- and savepoints; prepared statements and cursors across a change of organization, of role
-- and of end user; SET ROLE between bound roles.

-- 1. Every function, by sec_a, on B's identity, agent and block (with A's own where a call
-- takes two). Each outcome: not found (P0002), or an answer that holds nothing of B's (0, an
-- empty list). In a transaction rolled back, so that a call that wrongly succeeds changes
-- nothing for the files after this one.
\c - sec_a
CREATE FUNCTION pg_temp.id(label text) RETURNS text LANGUAGE sql AS $$ SELECT id FROM test.ids WHERE ids.label = id.label $$;
BEGIN;
SELECT call, test.answer(format(statement, pg_temp.id('b_ident'), pg_temp.id('b_agent'), pg_temp.id('b_block'),
                                pg_temp.id('u1'), pg_temp.id('a_plain'), pg_temp.id('blk_u1'))) AS outcome
  FROM (VALUES
    -- identities
    ('get_identity',                $$ SELECT (letta_get_identity(%1$L)).name $$),
    ('update_identity',             $$ SELECT (letta_update_identity(%1$L, name => 'taken')).name $$),
    ('update own with B agent',     $$ SELECT (letta_update_identity(%4$L, agent_ids => ARRAY[%2$L])).name $$),
    ('update own with B block',     $$ SELECT (letta_update_identity(%4$L, block_ids => ARRAY[%3$L])).name $$),
    ('upsert_properties',           $$ SELECT (letta_upsert_identity_properties(%1$L, '[]')).name $$),
    ('delete_identity',             $$ SELECT letta_delete_identity(%1$L) $$),
    ('forget_identity dry run',     $$ SELECT count(*) FROM letta_forget_identity(%1$L, dry_run => true) $$),
    ('count_by_identity',           $$ SELECT string_agg(c::text, ',') FROM letta_count_by_identity(ARRAY[%1$L]) c $$),
    ('identity_agents',             $$ SELECT count(*) FROM letta_identity_agents(%1$L) $$),
    ('identity_blocks',             $$ SELECT count(*) FROM letta_identity_blocks(%1$L) $$),
    ('create_identity B agent',     $$ SELECT (letta_create_identity('sec_held_1', 'x', agent_ids => ARRAY[%2$L])).name $$),
    ('create_identity B block',     $$ SELECT (letta_create_identity('sec_held_2', 'x', block_ids => ARRAY[%3$L])).name $$),
    ('upsert_identity B agent',     $$ SELECT (letta_upsert_identity('b_user', 'x', agent_ids => ARRAY[%2$L])).name $$),
    ('upsert_identity B block',     $$ SELECT (letta_upsert_identity('b_user', 'x', block_ids => ARRAY[%3$L])).name $$),
    ('list_identities by B key',    $$ SELECT count(*) FROM letta_list_identities(identifier_key => 'b_user') $$),
    ('list_identities B cursor',    $$ SELECT count(*) FROM letta_list_identities(before => %1$L) $$),
    ('list_identities_page B cursor', $$ SELECT (letta_list_identities_page(after => %1$L)).items $$),
    ('count_identities by B key',   $$ SELECT letta_count_identities(identifier_key => 'b_user') $$),
    ('count_identities B property', $$ SELECT letta_count_identities(property_key => 'salary') $$),
    -- agents
    ('get_agent',                   $$ SELECT (letta_get_agent(%2$L)).name $$),
    ('update_agent',                $$ SELECT (letta_update_agent(%2$L, name => 'taken')).name $$),
    ('update own with B identity',  $$ SELECT (letta_update_agent(%5$L, identity_ids => ARRAY[%1$L])).name $$),
    ('delete_agent',                $$ SELECT letta_delete_agent(%2$L) $$),
    ('delete_agent delete_blocks',  $$ SELECT letta_delete_agent(%2$L, delete_blocks => true) $$),
    ('add_agent_tags',              $$ SELECT letta_add_agent_tags(%2$L, ARRAY['taken']) $$),
    ('remove_agent_tags',           $$ SELECT letta_remove_agent_tags(%2$L, ARRAY['b-secret']) $$),
    ('attach own identity B agent', $$ SELECT letta_attach_agent(%4$L, %2$L) $$),
    ('attach B identity own agent', $$ SELECT letta_attach_agent(%1$L, %5$L) $$),
    ('detach B from B',             $$ SELECT letta_detach_agent(%1$L, %2$L) $$),
    ('create_agent B identity',     $$ SELECT (letta_create_agent(name => 'x', identity_ids => ARRAY[%1$L])).name $$),
    ('create_agent B block',        $$ SELECT (letta_create_agent(name => 'x', block_ids => ARRAY[%3$L])).name $$),
    ('create_agents B identity',    $$ SELECT letta_create_agents(jsonb_build_array(jsonb_build_object('name', 'x', 'identity_ids', ARRAY[%1$L]))) $$),
    ('list_agents by B identity',   $$ SELECT count(*) FROM letta_list_agents(identity_id => %1$L) $$),
    ('list_agents by B key',        $$ SELECT count(*) FROM letta_list_agents(identifier_keys => ARRAY['b_user']) $$),
    ('list_agents B tag',           $$ SELECT count(*) FROM letta_list_agents(tags => ARRAY['b-secret'], page_size => 100) $$),
    ('list_agents all B tags',      $$ SELECT count(*) FROM letta_list_agents(all_tags => ARRAY['b-secret', 'b-first']) $$),
    ('list_agents B cursor',        $$ SELECT count(*) FROM letta_list_agents(after => %2$L) $$),
    ('list_agents B name',          $$ SELECT count(*) FROM letta_list_agents(query_text => 'B agent') $$),
    ('list_agents_page B cursor',   $$ SELECT (letta_list_agents_page(after => %2$L)).items $$),
    ('count_agents B tag',          $$ SELECT letta_count_agents(tags => ARRAY['b-secret']) $$),
    ('count_agents B identity',     $$ SELECT letta_count_agents(identity_id => %1$L) $$),
    ('agents_by_key B key',         $$ SELECT count(*) FROM letta_agents_by_key(ARRAY['b_user']) $$),
    ('count_agents_by_tag B tag',   $$ SELECT string_agg(tag || '=' || agents, ',') FROM letta_count_agents_by_tag(ARRAY['b-secret']) $$),
    ('list_tags B prefix',          $$ SELECT count(*) FROM letta_list_tags(query_text => 'b-') $$),
    ('list_tags after B tag',       $$ SELECT string_agg(tag, ',') FROM letta_list_tags(after => 'b-first') $$),
    -- blocks and memory
    ('get_block',                   $$ SELECT (letta_get_block(%3$L)).value $$),
    ('update_block',                $$ SELECT (letta_update_block(%3$L, value => 'taken')).value $$),
    ('delete_block',                $$ SELECT letta_delete_block(%3$L) $$),
    ('attach own identity B block', $$ SELECT letta_attach_block(%4$L, %3$L) $$),
    ('attach B identity own block', $$ SELECT letta_attach_block(%1$L, %6$L) $$),
    ('detach B block',              $$ SELECT letta_detach_block(%1$L, %3$L) $$),
    ('create_block B identity',     $$ SELECT (letta_create_block('x', identity_ids => ARRAY[%1$L])).label $$),
    ('attach B block to own agent', $$ SELECT letta_attach_agent_block(%5$L, %3$L) $$),
    ('attach own block to B agent', $$ SELECT letta_attach_agent_block(%2$L, %6$L) $$),
    ('detach B memory',             $$ SELECT letta_detach_agent_block(%2$L, (SELECT id FROM letta_agent_blocks(%2$L) LIMIT 1)) $$),
    ('agent_blocks',                $$ SELECT count(*) FROM letta_agent_blocks(%2$L) $$),
    ('get_agent_block',             $$ SELECT (letta_get_agent_block(%2$L, 'persona')).value $$),
    ('agent_memory',                $$ SELECT count(*) FROM letta_agent_memory(%2$L) $$),
    ('block_agents',                $$ SELECT count(*) FROM letta_block_agents(%3$L) $$),
    ('list_blocks by B identity',   $$ SELECT count(*) FROM letta_list_blocks(identity_id => %1$L) $$),
    ('list_blocks by B key',        $$ SELECT count(*) FROM letta_list_blocks(identifier_keys => ARRAY['b_user']) $$),
    ('list_blocks B tag',           $$ SELECT count(*) FROM letta_list_blocks(tags => ARRAY['b-secret'], page_size => 100) $$),
    ('list_blocks B cursor',        $$ SELECT count(*) FROM letta_list_blocks(after => %3$L) $$),
    ('list_blocks B value',         $$ SELECT count(*) FROM letta_list_blocks(value_search => 'B secret') $$),
    ('list_blocks_page B cursor',   $$ SELECT (letta_list_blocks_page(after => %3$L)).items $$),
    ('count_blocks B tag',          $$ SELECT letta_count_blocks(tags => ARRAY['b-secret']) $$),
    ('count_blocks B identity',     $$ SELECT letta_count_blocks(identity_id => %1$L) $$),
    ('blocks_by_key B key',         $$ SELECT count(*) FROM letta_blocks_by_key(ARRAY['b_user']) $$)
  ) AS calls(call, statement);
ROLLBACK;

-- 2. B's rows on the tables, by sec_a: none seen, none written.
SELECT (SELECT count(*) FROM letta_identities WHERE organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb') AS identities,
       (SELECT count(*) FROM letta_agents WHERE organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb') AS agents,
       (SELECT count(*) FROM letta_blocks WHERE organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb') AS blocks,
       (SELECT count(*) FROM letta_identities_agents WHERE organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb') AS agent_links,
       (SELECT count(*) FROM letta_blocks_agents WHERE organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb') AS memory_links,
       (SELECT count(*) FROM letta_agents_tags WHERE organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb') AS tag_entries,
       (SELECT count(*) FROM letta_role_organizations) AS bindings_seen;
BEGIN;
SELECT test.rows_changed($$ UPDATE letta_agents SET name = 'taken' WHERE organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' $$) AS update_b;
SELECT test.rows_changed($$ DELETE FROM letta_blocks WHERE organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' $$) AS delete_b;
SELECT test.rows_changed($$ INSERT INTO letta_identities (organization_id, identifier_key, name, identity_type)
                            VALUES ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'planted', 'planted', 'user') $$) AS insert_b;
SELECT test.rows_changed(format($$ INSERT INTO letta_identities_agents VALUES ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', %L, %L) $$,
                                substr(pg_temp.id('u1'), 10), substr(pg_temp.id('b_agent'), 7))) AS link_to_b_agent;
SELECT test.rows_changed($$ UPDATE letta_agents SET organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' $$) AS move_own_to_b;
SELECT test.rows_changed($$ UPDATE letta_role_organizations SET organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' $$) AS rebind_self;
SELECT test.rows_changed($$ INSERT INTO letta_role_organizations (role_name, organization_id) VALUES ('sec_a', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb') $$) AS bind_self;
SELECT test.rows_changed($$ DELETE FROM letta_role_end_users $$) AS lift_end_users;
ROLLBACK;
\set VERBOSITY terse
-- expected error: 0A000, COPY FROM a table with row-level security
COPY letta_agents (organization_id, name) FROM STDIN;
bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb	copied into B
\.
\set VERBOSITY default

-- 3. sec_a asks for organization B every way a setting can be given: refused (42501), or
-- ignored where the value is not its own choice; never B's rows.
SELECT test.error_of($$ SET ROLE sec_b $$) AS set_role_b;
SELECT test.error_of($$ SET SESSION AUTHORIZATION sec_b $$) AS session_authorization_b;
BEGIN;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$) AS set_local_b;
ROLLBACK;
SET letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$) AS session_set_b;
RESET letta.organization_id;
CREATE FUNCTION sec_a_schema.in_b() RETURNS bigint LANGUAGE sql
    SET letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' AS $$ SELECT count(*) FROM public.letta_agents $$;
SELECT test.error_of($$ SELECT sec_a_schema.in_b() $$) AS function_set_clause_b;
-- set_config() inside the statement that reads: refused or nothing of B's, whichever the
-- plan evaluates first (so only whether B's rows were counted is shown).
SELECT test.answer($$ SELECT count(*) FROM letta_agents WHERE tags &&& ARRAY['b-secret']
                        AND set_config('letta.organization_id', 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', true) IS NOT NULL $$)
       !~ '^[1-9]' AS set_config_in_where_counts_none,
       test.answer($$ SELECT count(*) FROM letta_agents, set_config('letta.organization_id', 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', true) s
                       WHERE tags &&& ARRAY['b-secret'] $$)
       !~ '^[1-9]' AS set_config_in_from_counts_none;
-- Its own role setting, then a new session.
ALTER ROLE sec_a SET letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
\c - sec_a
SELECT test.answer($$ SELECT letta_current_organization() $$) AS with_role_setting,
       test.answer($$ SELECT count(*) FROM letta_agents WHERE tags &&& ARRAY['b-secret'] $$) AS b_secret_rows;
ALTER ROLE sec_a RESET letta.organization_id;
-- Given when connecting.
\c "dbname=letta_security user=sec_a options='-c letta.organization_id=org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'"
SELECT test.answer($$ SELECT letta_current_organization() $$) AS from_connection,
       test.answer($$ SELECT count(*) FROM letta_agents WHERE tags &&& ARRAY['b-secret'] $$) AS b_secret_rows;

-- 4. The switching role: only a value set in this transaction counts, whatever happened
-- before it on the connection, and a savepoint rolled back takes its value back. (options='':
-- \c would otherwise keep the last connection's.)
\c "dbname=letta_security user=sec_switcher options=''"
SELECT test.error_of($$ SELECT letta_current_organization() $$) AS nothing_set;
BEGIN;
SET letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';  -- session-level, in this transaction
SELECT letta_current_organization(), letta_count_agents(tags => ARRAY['b-secret']) AS b_secret;
COMMIT;
SELECT test.error_of($$ SELECT letta_current_organization() $$) AS next_transaction;
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$) AS next_transaction_table;
BEGIN;
SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
SAVEPOINT s;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
SELECT letta_current_organization() AS in_savepoint;
ROLLBACK TO SAVEPOINT s;
SELECT letta_current_organization() AS after_rollback_to, letta_count_agents(tags => ARRAY['b-secret']) AS b_secret;
COMMIT;
BEGIN;
SAVEPOINT s;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
ROLLBACK TO SAVEPOINT s;
SELECT test.error_of($$ SELECT letta_current_organization() $$) AS only_set_in_rolled_back_savepoint;
COMMIT;
BEGIN;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
RESET letta.organization_id;
SELECT test.error_of($$ SELECT letta_current_organization() $$) AS reset_in_transaction;
ROLLBACK;
BEGIN;
SET LOCAL letta.organization_id = '';
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$) AS empty;
ROLLBACK;
BEGIN;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb,org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$) AS two_at_once;
ROLLBACK;
ALTER ROLE sec_switcher SET letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
\c - sec_switcher
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$) AS with_role_setting;
ALTER ROLE sec_switcher RESET letta.organization_id;

-- 5. A prepared statement (its plan kept, generic) planned in A, then executed in B and in a
-- transaction that names no organization: each time the organization of that execution.
\c - sec_switcher
SET plan_cache_mode = force_generic_plan;
PREPARE agents_here AS SELECT letta_current_organization() AS org, count(*) AS agents, count(*) FILTER (WHERE tags &&& ARRAY['b-secret']) AS b_secret FROM letta_agents;
PREPARE listed_here AS SELECT count(*) AS listed FROM letta_list_agents(page_size => 100);
BEGIN;
SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
EXECUTE agents_here;
EXECUTE listed_here;
COMMIT;
BEGIN;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
EXECUTE agents_here;
EXECUTE listed_here;
COMMIT;
SELECT test.error_of('EXECUTE agents_here') AS agents_here, test.error_of('EXECUTE listed_here') AS listed_here;

-- 6. Cursors opened in A, fetched after the transaction moved to B: what they return is
-- A's rows, read in A (never B's). A cursor WITH HOLD outlives its transaction: a client
-- of B that finds it on a pooled connection reads A's rows, as PostgreSQL materialized them
-- at A's commit (recorded here; poolers in transaction mode refuse WITH HOLD cursors).
BEGIN;
SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
DECLARE in_a CURSOR FOR SELECT name FROM letta_agents ORDER BY name;
FETCH 1 FROM in_a;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
FETCH ALL FROM in_a;
COMMIT;
BEGIN;
SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
DECLARE held_from_a CURSOR WITH HOLD FOR SELECT name FROM letta_agents ORDER BY name;
COMMIT;
BEGIN;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
FETCH ALL FROM held_from_a;
COMMIT;
CLOSE held_from_a;
-- A cursor declared with no organization cannot read at all.
BEGIN;
DECLARE nowhere CURSOR FOR SELECT name FROM letta_agents;
SELECT test.error_of('FETCH ALL FROM nowhere') AS fetch_without_organization;
ROLLBACK;

-- 7. SET ROLE between bound roles: sec_multi (unbound itself) is a member of sec_a and of
-- sec_b. Each role works in its own organization only; a value one of them set is not the
-- other's choice; a prepared statement follows the current role.
\c - sec_multi
SELECT test.error_of($$ SELECT letta_current_organization() $$) AS as_itself;
PREPARE mine AS SELECT letta_current_organization() AS org, count(*) AS agents,
                       count(*) FILTER (WHERE tags &&& ARRAY['b-secret']) AS b_secret FROM letta_agents;
SET ROLE sec_a;
EXECUTE mine;
SET ROLE sec_b;
EXECUTE mine;
SET letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';  -- sec_b's own choice
SET ROLE sec_a;
EXECUTE mine;
BEGIN;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';  -- sec_a's own choice
SELECT test.error_of('EXECUTE mine') AS sec_a_choosing_b;
ROLLBACK;
RESET letta.organization_id;
-- A cursor opened as sec_a, fetched as sec_b, and one declared as sec_b after sec_a set B.
BEGIN;
SET LOCAL ROLE sec_a;
DECLARE as_a CURSOR FOR SELECT name FROM letta_agents ORDER BY name;
FETCH 1 FROM as_a;
SET LOCAL ROLE sec_b;
FETCH ALL FROM as_a;
COMMIT;
RESET ROLE;

-- 8. The end-user role: its end user named per transaction only; a savepoint's change taken
-- back; a prepared statement follows the end user of each execution; B's key finds nothing.
\c - sec_enduser
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$) AS no_end_user;
SET letta.identifier_key = 'user_2';
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$) AS session_level_end_user;
RESET letta.identifier_key;
PREPARE theirs AS SELECT string_agg(name, ', ' ORDER BY name) AS agents FROM letta_agents;
BEGIN;
SET LOCAL letta.identifier_key = 'user_1';
EXECUTE theirs;
SAVEPOINT s;
SET LOCAL letta.identifier_key = '';
SELECT test.error_of('EXECUTE theirs') AS emptied_in_savepoint;
ROLLBACK TO SAVEPOINT s;
EXECUTE theirs;
COMMIT;
BEGIN;
SET LOCAL letta.identifier_key = 'user_2';
EXECUTE theirs;
COMMIT;
BEGIN;
SET LOCAL letta.identifier_key = 'b_user';
EXECUTE theirs;
SELECT count(*) AS b_user_identities FROM letta_list_identities();
COMMIT;
BEGIN;
SET LOCAL letta.identifier_key = 'user_1';
SELECT test.error_of('RESET ROLE; SET LOCAL letta.organization_id = ''org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb''; SELECT count(*) FROM letta_agents') AS end_user_picking_b;
ROLLBACK;
