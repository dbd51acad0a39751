-- Hole 12: another database of the cluster changes this one. letta_end_users is one role for
-- the whole cluster; the administrator of letta_security_other (another database with the
-- extension) binds sec_enduser there and lifts its end-user requirement, which revokes the
-- membership that letta_security relies on.
-- Must hold: what sec_enduser is in letta_security does not change (its membership, as
-- letta_security sees it, and it keeps acting for its end user there).
SELECT r AS role, pg_has_role(r, 'letta_end_users', 'MEMBER') AS member_before,
       pg_has_role(r, 'letta_end_users', 'USAGE') AS inherits_before
  FROM unnest(ARRAY['sec_enduser', 'sec_a']) r;

\c letta_security_other postgres
SELECT current_database();
SELECT letta_bind_role('sec_enduser', 'org-dddddddd-dddd-4ddd-8ddd-dddddddddddd');
SELECT letta_require_end_user('sec_enduser', false);
SELECT letta_require_end_user('sec_enduser');
SELECT letta_unbind_role('sec_enduser');
-- And the other way: a role that does not act for end users in letta_security is made to
-- in letta_security_other.
SELECT letta_bind_role('sec_a', 'org-dddddddd-dddd-4ddd-8ddd-dddddddddddd');
SELECT letta_require_end_user('sec_a');

\c letta_security postgres
SELECT current_database();
SELECT r AS role, pg_has_role(r, 'letta_end_users', 'MEMBER') AS member_after,
       pg_has_role(r, 'letta_end_users', 'USAGE') AS inherits_after
  FROM unnest(ARRAY['sec_enduser', 'sec_a']) r;

-- sec_enduser, acting for user_1 here: its agents, as before.
\c - sec_enduser
BEGIN;
SET LOCAL letta.identifier_key = 'user_1';
SELECT test.answer($$ SELECT string_agg(name, ', ' ORDER BY name) FROM letta_list_agents() $$) AS user_1s_agents;
SELECT test.answer($$ SELECT count(*) FROM letta_agents $$) AS agent_rows;
COMMIT;

-- sec_a, here, still works for its whole organization.
\c - sec_a
SELECT test.answer($$ SELECT count(*) FROM letta_list_agents() $$) AS sec_a_agents;

-- (Put back, should an open hole have changed them, for the files after this one.)
\c letta_security_other postgres
SELECT letta_unbind_role('sec_a');
\c letta_security postgres
SELECT letta_require_end_user('sec_enduser');
