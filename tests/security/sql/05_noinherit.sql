-- Hole 5: a NOINHERIT role made to act for end users. The end users' policies are TO
-- letta_end_users, which applies to roles that inherit it; sec_noinherit (NOINHERIT, bound
-- to A) is a member that does not. Naming user_1, it reads user_2's identity and renames
-- user_2's agent, through the functions and on the tables.
-- Must hold: either the administrator's letta_require_end_user refuses such a role, or the
-- role is refused (42501) when it names an end user; user_2's rows are untouched. Then the
-- other order: required while it inherits, made NOINHERIT afterwards; refused when it acts.
SELECT test.error_of($$ SELECT letta_require_end_user('sec_noinherit') $$) AS require_end_user;
SELECT pg_has_role('sec_noinherit', 'letta_end_users', 'MEMBER') AS member,
       pg_has_role('sec_noinherit', 'letta_end_users', 'USAGE') AS inherits;

\c - sec_noinherit
SELECT current_user, rolinherit FROM pg_roles WHERE rolname = current_user;
BEGIN;
SET LOCAL letta.identifier_key = 'user_1';
SELECT test.answer(format('SELECT (letta_get_identity(%L)).properties', (SELECT id FROM test.ids WHERE label = 'u2'))) AS u2_identity;
SELECT test.answer($$ SELECT string_agg(name, ', ' ORDER BY name) FROM letta_list_identities() $$) AS identities_listed;
SELECT test.answer($$ SELECT string_agg(name, ', ' ORDER BY name) FROM letta_list_agents() $$) AS agents_listed;
SELECT test.answer($$ SELECT string_agg(name || ' ' || properties::text, ', ') FROM public.letta_identities WHERE identifier_key = 'user_2' $$) AS u2_identity_row;
SELECT test.answer(format('SELECT (letta_update_agent(%L, name => %L)).name', (SELECT id FROM test.ids WHERE label = 'a_u2'), 'renamed by user_1')) AS rename_u2_agent;
SELECT test.rows_changed(format($$ UPDATE public.letta_agents SET name = 'renamed on the table by user_1' WHERE id = %L $$,
                                substr((SELECT id FROM test.ids WHERE label = 'a_u2'), 7))) AS rename_on_table;
COMMIT;
-- Taking letta_end_users' identity by SET ROLE: no organization there.
BEGIN;
SELECT test.error_of('SET LOCAL ROLE letta_end_users') AS set_role;
SELECT current_user, test.error_of($$ SELECT count(*) FROM letta_list_agents() $$) AS list_agents;
ROLLBACK;

-- The other order: required while it inherits, then NOINHERIT (an administrator's ALTER ROLE).
\c - postgres
ALTER ROLE sec_noinherit INHERIT;
SELECT test.error_of($$ SELECT letta_require_end_user('sec_noinherit') $$) AS require_while_inheriting;
ALTER ROLE sec_noinherit NOINHERIT;
SELECT pg_has_role('sec_noinherit', 'letta_end_users', 'MEMBER') AS member,
       pg_has_role('sec_noinherit', 'letta_end_users', 'USAGE') AS inherits;
\c - sec_noinherit
SELECT current_user, rolinherit FROM pg_roles WHERE rolname = current_user;
BEGIN;
SET LOCAL letta.identifier_key = 'user_1';
SELECT test.answer(format('SELECT (letta_get_identity(%L)).properties', (SELECT id FROM test.ids WHERE label = 'u2'))) AS u2_identity;
SELECT test.answer($$ SELECT string_agg(name, ', ' ORDER BY name) FROM letta_list_identities() $$) AS identities_listed;
SELECT test.answer($$ SELECT string_agg(name, ', ' ORDER BY name) FROM letta_list_agents() $$) AS agents_listed;
SELECT test.answer($$ SELECT string_agg(name || ' ' || properties::text, ', ') FROM public.letta_identities WHERE identifier_key = 'user_2' $$) AS u2_identity_row;
SELECT test.answer(format('SELECT (letta_update_agent(%L, name => %L)).name', (SELECT id FROM test.ids WHERE label = 'a_u2'), 'renamed by user_1')) AS rename_u2_agent;
SELECT test.rows_changed(format($$ UPDATE public.letta_agents SET name = 'renamed on the table by user_1' WHERE id = %L $$,
                                substr((SELECT id FROM test.ids WHERE label = 'a_u2'), 7))) AS rename_on_table;
COMMIT;
-- Taking letta_end_users' identity by SET ROLE: no organization there.
BEGIN;
SELECT test.error_of('SET LOCAL ROLE letta_end_users') AS set_role;
SELECT current_user, test.error_of($$ SELECT count(*) FROM letta_list_agents() $$) AS list_agents;
ROLLBACK;

-- As the owner: user_2's agent keeps its name. (Put back, should an open hole have changed it.)
\c - postgres
SELECT name AS u2_agent_name FROM letta_agents WHERE id = substr((SELECT id FROM test.ids WHERE label = 'a_u2'), 7)::uuid;
UPDATE letta_agents SET name = 'u2 private' WHERE id = substr((SELECT id FROM test.ids WHERE label = 'a_u2'), 7)::uuid AND name <> 'u2 private';
SELECT test.error_of($$ SELECT letta_require_end_user('sec_noinherit', false) $$) AS lifted;
