-- Hole 10: bindings outlive DROP ROLE. sec_dropped is bound to organization A and works
-- there; the role is dropped (what it owns and was granted goes first, as an administrator
-- must) and a new role of the same name is created, with the broad grants an application's
-- own setup might give it. A binding written for the old role must not be the new one's.
-- Must hold: the new sec_dropped works in no organization (42501, with a hint to bind it
-- again), through the functions and on the tables.
SELECT letta_bind_role('sec_dropped', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');

\c - sec_dropped
SELECT letta_current_organization(), letta_count_agents() AS agents;

\c - postgres
REASSIGN OWNED BY sec_dropped TO postgres;
DROP OWNED BY sec_dropped;
DROP ROLE sec_dropped;
SELECT count(*) AS bindings_left_by_name FROM letta_role_organizations WHERE role_name = 'sec_dropped';
CREATE ROLE sec_dropped LOGIN;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sec_dropped;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO sec_dropped;

\c - sec_dropped
-- (The whole error, its hint included.)
-- expected error: 42501, not the role that was bound under its name
SELECT letta_current_organization();
SELECT test.error_of($$ SELECT letta_count_agents() $$) AS count_agents;
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$) AS agents_table;
SELECT test.error_of($$ SELECT letta_create_identity('sec_dropped_user', 'made by the new role') $$) AS create_identity;
SELECT test.answer($$ SELECT count(*) FROM letta_identities $$) AS identities_read;

-- Bound again by an administrator, it works.
\c - postgres
SELECT letta_bind_role('sec_dropped', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
\c - sec_dropped
SELECT letta_current_organization(), letta_count_agents() AS agents;

-- A role created again under the name and made a member of a bound role (an administrator
-- meaning to give it that role's organization) is not the old binding's either: the mark
-- counts only when granted to the role itself.
\c - postgres
SELECT letta_unbind_role('sec_dropped');
SELECT letta_bind_role('sec_dropped', 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb');
REVOKE SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public FROM sec_dropped;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM sec_dropped;
REASSIGN OWNED BY sec_dropped TO postgres;
DROP OWNED BY sec_dropped;
DROP ROLE sec_dropped;
CREATE ROLE sec_dropped LOGIN;
GRANT sec_a TO sec_dropped;
\c - sec_dropped
SELECT test.error_of($$ SELECT letta_current_organization() $$) AS organization;
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$) AS agents_table;
SET ROLE sec_a;
SELECT letta_current_organization() AS as_sec_a;
RESET ROLE;
\c - postgres
REVOKE sec_a FROM sec_dropped;
SELECT letta_unbind_role('sec_dropped');
