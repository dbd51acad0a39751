-- The roles and rows of the pooler suite (tests/pooler/run), written as an administrator.
--   letta_px_switcher   allowed to switch: names its organization in each transaction
--   letta_px_a .. _d    bound to organizations A .. D
--   letta_px_login      the one login role of the shared pools, a member of all of them; it is
--                       bound to nothing itself (NOINHERIT: it has no privileges of its own)
--   letta_px_client     a name for clients of the shared pools (PgBouncer logs in as letta_px_login)
--   letta_px_end_users  bound to organization A, and names an end user in each transaction
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['letta_px_switcher', 'letta_px_a', 'letta_px_b', 'letta_px_c',
                             'letta_px_d', 'letta_px_client', 'letta_px_end_users'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', r);
        END IF;
    END LOOP;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'letta_px_login') THEN
        CREATE ROLE letta_px_login LOGIN NOINHERIT;
    END IF;
END
$$;
GRANT letta_px_switcher, letta_px_a, letta_px_b, letta_px_c, letta_px_d TO letta_px_login;

SELECT letta_allow_switching('letta_px_switcher');
SELECT letta_bind_role('letta_px_a', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
SELECT letta_bind_role('letta_px_b', 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb');
SELECT letta_bind_role('letta_px_c', 'org-cccccccc-cccc-4ccc-8ccc-cccccccccccc');
SELECT letta_bind_role('letta_px_d', 'org-dddddddd-dddd-4ddd-8ddd-dddddddddddd');
SELECT letta_bind_role('letta_px_end_users', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
SELECT letta_require_end_user('letta_px_end_users');

-- Each organization: three identities (user_1 .. user_3, the same keys in every organization)
-- and three agents tagged 'shared', each linked to one identity.
DO $$
DECLARE
    org text;
    n integer;
    identity text;
BEGIN
    FOREACH org IN ARRAY ARRAY['org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
                               'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
                               'org-cccccccc-cccc-4ccc-8ccc-cccccccccccc',
                               'org-dddddddd-dddd-4ddd-8ddd-dddddddddddd'] LOOP
        PERFORM set_config('letta.organization_id', org, true);
        FOR n IN 1..3 LOOP
            SELECT i.id INTO identity FROM letta_create_identity('user_' || n, 'User ' || n) i;
            PERFORM letta_create_agent(name => 'agent ' || n, tags => ARRAY['shared', 'n' || n],
                                       identity_ids => ARRAY[identity]);
        END LOOP;
    END LOOP;
END
$$;
