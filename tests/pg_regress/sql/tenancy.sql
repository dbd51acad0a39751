-- Tenants enforced by the database: roles bound to organizations A, B and C, a pooled role
-- that switches per transaction, and a role with no grant. Every function and the tables
-- themselves, tried by B against A's ids, keys, tags and cursors: nothing of A leaks.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['letta_role_a', 'letta_role_b', 'letta_role_c', 'letta_pool', 'letta_nobody'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', r);
        END IF;
    END LOOP;
END
$$;
GRANT USAGE ON SCHEMA test TO PUBLIC;
SELECT letta_bind_role('letta_role_a', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
SELECT letta_bind_role('letta_role_b', 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb');
SELECT letta_bind_role('letta_role_c', 'org-cccccccc-cccc-4ccc-8ccc-cccccccccccc');
SELECT letta_allow_switching('letta_pool');
SELECT test.error_of($$ SELECT letta_bind_role('no_such_role', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa') $$);
SELECT test.error_of($$ SELECT letta_bind_role('letta_role_a', 'org-x') $$);

-- A and B each write the same key, tags and block label, in their own organization.
SET ROLE letta_role_a;
SELECT letta_current_organization();
SELECT id AS a_ident FROM letta_create_identity('shared_key', 'A user',
    properties => '[{"key": "plan", "value": "pro", "type": "string"}]') \gset
SELECT id AS a_agent FROM letta_create_agent(name => 'A agent', tags => ARRAY['tenant:a', 'common'],
    identity_ids => ARRAY[:'a_ident']) \gset
SELECT id AS a_block FROM letta_create_block('notes', 'A notes', identity_ids => ARRAY[:'a_ident']) \gset
RESET ROLE;
SET ROLE letta_role_b;
SELECT letta_current_organization();
SELECT id AS b_ident FROM letta_create_identity('shared_key', 'B user',
    properties => '[{"key": "plan", "value": "pro", "type": "string"}]') \gset
SELECT id AS b_agent FROM letta_create_agent(name => 'B agent', tags => ARRAY['tenant:b', 'common'],
    identity_ids => ARRAY[:'b_ident']) \gset
SELECT id AS b_block FROM letta_create_block('notes', 'B notes', identity_ids => ARRAY[:'b_ident']) \gset

RESET ROLE;
SET ROLE letta_role_c;
SELECT id AS c_ident FROM letta_create_identity('shared_key', 'C user') \gset
SELECT id AS c_agent FROM letta_create_agent(name => 'C agent', tags => ARRAY['tenant:c', 'common'],
    identity_ids => ARRAY[:'c_ident']) \gset
SELECT id AS c_block FROM letta_create_block('notes', 'C notes', identity_ids => ARRAY[:'c_ident']) \gset
RESET ROLE;

-- Every function, called by one role on another's identity, agent and block (with its own
-- identity and agent where a call takes two). "no error" only where the call finds nothing.
CREATE FUNCTION test.probe(their_ident text, their_agent text, their_block text, own_ident text, own_agent text)
RETURNS TABLE (f text, outcome text) LANGUAGE sql AS $probe$
SELECT f, test.masked(test.error_of(format(call, their_ident, their_agent, their_block, own_ident, own_agent)))
  FROM (VALUES
    ('get_identity',          $$ SELECT letta_get_identity(%1$L) $$),
    ('update_identity',       $$ SELECT letta_update_identity(%1$L, name => 'x') $$),
    ('upsert_properties',     $$ SELECT letta_upsert_identity_properties(%1$L, '[]') $$),
    ('delete_identity',       $$ SELECT letta_delete_identity(%1$L) $$),
    ('forget_identity',       $$ SELECT letta_forget_identity(%1$L) $$),
    ('count_by_identity',     $$ SELECT letta_count_by_identity(ARRAY[%1$L]) $$),
    ('identity_agents',       $$ SELECT count(*) FROM letta_identity_agents(%1$L) $$),
    ('identity_blocks',       $$ SELECT count(*) FROM letta_identity_blocks(%1$L) $$),
    ('get_agent',             $$ SELECT letta_get_agent(%2$L) $$),
    ('update_agent',          $$ SELECT letta_update_agent(%2$L, name => 'x') $$),
    ('delete_agent',          $$ SELECT letta_delete_agent(%2$L) $$),
    ('add_agent_tags',        $$ SELECT letta_add_agent_tags(%2$L, ARRAY['x']) $$),
    ('remove_agent_tags',     $$ SELECT letta_remove_agent_tags(%2$L, ARRAY['common']) $$),
    ('attach own to theirs',  $$ SELECT letta_attach_agent(%4$L, %2$L) $$),
    ('attach theirs to own',  $$ SELECT letta_attach_agent(%1$L, %5$L) $$),
    ('detach theirs',         $$ SELECT letta_detach_agent(%1$L, %2$L) $$),
    ('create with their agent', $$ SELECT letta_create_identity('k2', 'x', agent_ids => ARRAY[%2$L]) $$),
    ('create with their identity', $$ SELECT letta_create_agent(identity_ids => ARRAY[%1$L]) $$),
    ('upsert with their agent', $$ SELECT letta_upsert_identity('shared_key', 'x', agent_ids => ARRAY[%2$L]) $$),
    ('get_block',             $$ SELECT letta_get_block(%3$L) $$),
    ('update_block',          $$ SELECT letta_update_block(%3$L, value => 'x') $$),
    ('delete_block',          $$ SELECT letta_delete_block(%3$L) $$),
    ('attach_block',          $$ SELECT letta_attach_block(%4$L, %3$L) $$),
    ('detach_block',          $$ SELECT letta_detach_block(%1$L, %3$L) $$),
    ('agents after their cursor', $$ SELECT count(*) FROM letta_list_agents(after => %2$L) $$),
    ('identities before their cursor', $$ SELECT count(*) FROM letta_list_identities(before => %1$L) $$),
    ('agents page after their cursor', $$ SELECT letta_list_agents_page(after => %2$L) $$),
    ('agents of their identity', $$ SELECT 1 / (count(*) = 0)::int FROM letta_list_agents(identity_id => %1$L) $$)
  ) AS calls(f, call)
$probe$;
GRANT EXECUTE ON FUNCTION test.probe(text, text, text, text, text) TO PUBLIC;

-- Each role on each other's rows: every call is "not found" (P0002), but the one that finds
-- nothing by design (agents of their identity), named with its outcome: a leak would show by name.
SET ROLE letta_role_a;
SELECT 'a on b' AS probe, count(*) AS calls, count(*) FILTER (WHERE outcome LIKE 'P0002:%') AS not_found,
       string_agg(f || ' ' || outcome, '; ' ORDER BY f) FILTER (WHERE outcome NOT LIKE 'P0002:%') AS other_outcomes
  FROM test.probe(:'b_ident', :'b_agent', :'b_block', :'a_ident', :'a_agent');
SELECT 'a on c' AS probe, count(*) AS calls, count(*) FILTER (WHERE outcome LIKE 'P0002:%') AS not_found,
       string_agg(f || ' ' || outcome, '; ' ORDER BY f) FILTER (WHERE outcome NOT LIKE 'P0002:%') AS other_outcomes
  FROM test.probe(:'c_ident', :'c_agent', :'c_block', :'a_ident', :'a_agent');
RESET ROLE;
SET ROLE letta_role_b;
SELECT 'b on a' AS probe, count(*) AS calls, count(*) FILTER (WHERE outcome LIKE 'P0002:%') AS not_found,
       string_agg(f || ' ' || outcome, '; ' ORDER BY f) FILTER (WHERE outcome NOT LIKE 'P0002:%') AS other_outcomes
  FROM test.probe(:'a_ident', :'a_agent', :'a_block', :'b_ident', :'b_agent');
SELECT 'b on c' AS probe, count(*) AS calls, count(*) FILTER (WHERE outcome LIKE 'P0002:%') AS not_found,
       string_agg(f || ' ' || outcome, '; ' ORDER BY f) FILTER (WHERE outcome NOT LIKE 'P0002:%') AS other_outcomes
  FROM test.probe(:'c_ident', :'c_agent', :'c_block', :'b_ident', :'b_agent');
RESET ROLE;
SET ROLE letta_role_c;
SELECT 'c on a' AS probe, count(*) AS calls, count(*) FILTER (WHERE outcome LIKE 'P0002:%') AS not_found,
       string_agg(f || ' ' || outcome, '; ' ORDER BY f) FILTER (WHERE outcome NOT LIKE 'P0002:%') AS other_outcomes
  FROM test.probe(:'a_ident', :'a_agent', :'a_block', :'c_ident', :'c_agent');
SELECT 'c on b' AS probe, count(*) AS calls, count(*) FILTER (WHERE outcome LIKE 'P0002:%') AS not_found,
       string_agg(f || ' ' || outcome, '; ' ORDER BY f) FILTER (WHERE outcome NOT LIKE 'P0002:%') AS other_outcomes
  FROM test.probe(:'b_ident', :'b_agent', :'b_block', :'c_ident', :'c_agent');
RESET ROLE;

-- In detail, B on A's rows.
SET ROLE letta_role_b;
SELECT * FROM test.probe(:'a_ident', :'a_agent', :'a_block', :'b_ident', :'b_agent');

-- B's lists, counts, keys and tags hold B's rows only.
SELECT name, tags FROM letta_agents_by_key(ARRAY['shared_key']);
SELECT name FROM letta_list_identities(property_key => 'plan', property_value => '"pro"');
SELECT count(*) AS tenant_a_tagged FROM letta_list_agents(tags => ARRAY['tenant:a']);
SELECT letta_count_agents() AS agents, letta_count_identities() AS identities;
SELECT array_agg(tag) AS tags FROM letta_list_tags();
SELECT value FROM letta_blocks_by_key(ARRAY['shared_key']);
SELECT name FROM letta_upsert_identity('shared_key', 'B user, renamed');

-- The tables themselves: B reads and changes its rows only, and cannot write A's.
SELECT (SELECT count(*) FROM letta_identities) AS identities, (SELECT count(*) FROM letta_agents) AS agents,
       (SELECT count(*) FROM letta_identities_agents) AS links, (SELECT count(*) FROM letta_blocks) AS blocks,
       (SELECT count(*) FROM letta_identities_blocks) AS block_links;
UPDATE letta_agents SET name = 'taken over' WHERE id = substr(:'a_agent', 7)::uuid;
DELETE FROM letta_identities WHERE id = substr(:'a_ident', 10)::uuid;
SELECT test.error_of($$ INSERT INTO letta_agents (organization_id, name) VALUES ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'planted') $$);
SELECT test.error_of(format($$ UPDATE letta_agents SET organization_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' WHERE id = %L $$, substr(:'b_agent', 7)));
SELECT test.error_of(format($$ INSERT INTO letta_identities_agents VALUES ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', %L, %L) $$,
                            substr(:'b_ident', 10), substr(:'a_agent', 7)));

-- B cannot pick another organization (in this transaction or, by its own SET, in an earlier
-- one), nor change bindings.
BEGIN;
SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
ROLLBACK;
SET letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$);
RESET letta.organization_id;
SELECT test.error_of($$ SELECT letta_bind_role('letta_role_b', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa') $$);
SELECT test.error_of($$ SELECT letta_allow_switching('letta_role_b') $$);
SELECT test.error_of($$ UPDATE letta_role_organizations SET organization_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' $$);
SELECT test.error_of($$ INSERT INTO letta_role_organizations VALUES ('letta_role_b', NULL, true) $$);
SELECT role_name, organization_id FROM letta_role_organizations;
RESET ROLE;

-- A still has all of its rows, untouched.
SET ROLE letta_role_a;
SELECT name, tags, cardinality(identity_ids) AS users FROM letta_get_agent(:'a_agent');
SELECT name FROM letta_get_identity(:'a_ident');
SELECT value FROM letta_get_block(:'a_block');
RESET ROLE;

-- Each role's counts, tags, keys and table rows are its own.
SET ROLE letta_role_a;
SELECT letta_count_agents() AS agents, letta_count_identities() AS identities,
       (SELECT string_agg(tag, ',') FROM letta_list_tags()) AS tags, (SELECT count(*) FROM letta_agents) AS agent_rows,
       (SELECT string_agg(name, ',') FROM letta_agents_by_key(ARRAY['shared_key'])) AS by_key,
       (SELECT string_agg(value, ',') FROM letta_blocks_by_key(ARRAY['shared_key'])) AS blocks_by_key;
RESET ROLE;
SET ROLE letta_role_b;
SELECT letta_count_agents() AS agents, letta_count_identities() AS identities,
       (SELECT string_agg(tag, ',') FROM letta_list_tags()) AS tags, (SELECT count(*) FROM letta_agents) AS agent_rows,
       (SELECT string_agg(name, ',') FROM letta_agents_by_key(ARRAY['shared_key'])) AS by_key,
       (SELECT string_agg(value, ',') FROM letta_blocks_by_key(ARRAY['shared_key'])) AS blocks_by_key;
RESET ROLE;
SET ROLE letta_role_c;
SELECT letta_count_agents() AS agents, letta_count_identities() AS identities,
       (SELECT string_agg(tag, ',') FROM letta_list_tags()) AS tags, (SELECT count(*) FROM letta_agents) AS agent_rows,
       (SELECT string_agg(name, ',') FROM letta_agents_by_key(ARRAY['shared_key'])) AS by_key,
       (SELECT string_agg(value, ',') FROM letta_blocks_by_key(ARRAY['shared_key'])) AS blocks_by_key;
RESET ROLE;

-- The pooled role picks an organization per transaction, and never falls back to one.
SET ROLE letta_pool;
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
BEGIN;
SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
SELECT name FROM letta_list_agents();
COMMIT;
BEGIN;
SET LOCAL letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
SELECT name FROM letta_list_agents();
COMMIT;
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$);

-- Only a value set in this transaction counts: one left by an earlier transaction (behind a
-- pooler, perhaps another client's) is refused, however it was set.
SET letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$);
SELECT test.error_of($$ SELECT letta_current_organization() $$);
BEGIN;
SET letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
SELECT letta_current_organization(), count(*) FROM letta_list_agents();
COMMIT;
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
SELECT set_config('letta.organization_id', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', false) IS NOT NULL AS set_for_the_session;
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
BEGIN;
SELECT set_config('letta.organization_id', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', true) IS NOT NULL AS set_for_the_transaction;
SELECT letta_current_organization(), count(*) FROM letta_list_agents();
COMMIT;
-- RESET is not a choice; a savepoint rolled back takes its SET LOCAL with it.
BEGIN;
SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
RESET letta.organization_id;
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
ROLLBACK;
BEGIN;
SAVEPOINT before_setting;
SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
ROLLBACK TO SAVEPOINT before_setting;
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
ROLLBACK;
-- The error as a client sees it: what was wrong, why, and what to do.
SET letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
-- expected error: 22023, set in an earlier transaction
SELECT count(*) FROM letta_list_agents();
RESET letta.organization_id;
-- expected error: 22023, not set
SELECT count(*) FROM letta_list_agents();
RESET ROLE;

-- A function's SET clause is set in the transaction of each call.
CREATE FUNCTION test.agents_of_a() RETURNS bigint LANGUAGE sql
SET letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' AS $$ SELECT count(*) FROM letta_list_agents() $$;
GRANT EXECUTE ON FUNCTION test.agents_of_a() TO letta_pool;
SET ROLE letta_pool;
SELECT test.agents_of_a();
RESET ROLE;
DROP FUNCTION test.agents_of_a();

-- What the pooled role left on the connection is not a bound role's choice: B keeps its own.
SET ROLE letta_pool;
SET letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
RESET ROLE;
SET ROLE letta_role_b;
SELECT letta_current_organization(), (SELECT count(*) FROM letta_list_agents()) AS agents;
RESET ROLE;
RESET letta.organization_id;

-- Parallel plans: the policies' _letta_org() is an initplan, evaluated by the leader and handed
-- to the workers; a direct call (PARALLEL RESTRICTED) stays in the leader. (ANALYZE first: the
-- plan must not depend on what statistics earlier tests, or a database's past, left.)
ANALYZE letta_agents;
SET ROLE letta_pool;
BEGIN;
SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL cpu_tuple_cost = 10;  -- the table is small: make a parallel scan worth it whatever its statistics
SET LOCAL enable_indexscan = off;
SET LOCAL enable_indexonlyscan = off;
SET LOCAL enable_bitmapscan = off;
-- (The organization's parameter in the workers' filter is one the leader evaluated; the end
-- users' policy adds its own, evaluated there too.)
WITH p AS (SELECT line FROM test.plan('SELECT count(*) FROM letta_agents') line),
     org AS (SELECT substring(line FROM 'Filter: \(+organization_id = (\$[0-9]+)\)') AS param FROM p
              WHERE line ~ 'Filter: \(+organization_id = \$[0-9]+\)')
SELECT (SELECT bool_or(line LIKE '%Parallel Seq Scan on letta_agents%') FROM p) AS parallel_scan,
       (SELECT param FROM org) IN (SELECT regexp_split_to_table(substring(line FROM 'Params Evaluated: (.*)$'), ', ')
                                     FROM p WHERE line LIKE '%Params Evaluated:%') AS organization_from_the_leader,
       EXISTS (SELECT FROM org) AS workers_filter_by_it;
SELECT count(*) FROM letta_agents;
SELECT bool_or(line LIKE '%Parallel%') AS parallel_scan
  FROM test.plan('SELECT count(*) FROM letta_agents WHERE organization_id = _letta_org()') line;
SELECT count(*) FROM letta_agents WHERE organization_id = _letta_org();
COMMIT;
RESET ROLE;

-- The organization errors as a client sees them: what is wrong, and what to do.
SET ROLE letta_role_b;
BEGIN;
SET LOCAL letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
-- expected error: 42501, a bound role naming another organization
SELECT letta_current_organization();
ROLLBACK;
RESET ROLE;
SET letta.organization_id = '';
-- expected error: 22023, empty
SELECT letta_current_organization();
SET letta.organization_id = 'acme';
-- expected error: 22023, not an organization id
SELECT letta_current_organization();
RESET letta.organization_id;

-- A role with no grant gets 42501, not data.
SET ROLE letta_nobody;
SELECT test.error_of($$ SELECT letta_current_organization() $$);
SELECT test.error_of($$ SELECT count(*) FROM letta_list_agents() $$);
SELECT test.error_of($$ SELECT count(*) FROM letta_agents $$);
SELECT test.error_of($$ SELECT _letta_org() $$);
RESET ROLE;

-- What an update adds reaches every bound role: the update script adds its functions, then
-- touches the bindings, and at commit each bound role is granted the API as it now is, by
-- ordinary grants, not initial privileges (pg_dump keeps them: tests/safety/run).
BEGIN;
CREATE FUNCTION public.letta_probe_after_update() RETURNS int LANGUAGE sql AS 'SELECT 1';
REVOKE EXECUTE ON FUNCTION public.letta_probe_after_update() FROM PUBLIC;
SET LOCAL client_min_messages = warning;  -- (Citus notes that it adds the member on this node only)
ALTER EXTENSION letta_identity ADD FUNCTION public.letta_probe_after_update();
UPDATE letta_role_organizations SET may_switch = may_switch;
SELECT has_function_privilege('letta_role_a', 'public.letta_probe_after_update()', 'EXECUTE') AS before_commit;
COMMIT;
SELECT r AS role, has_function_privilege(r, 'public.letta_probe_after_update()', 'EXECUTE') AS may_execute
  FROM unnest(ARRAY['letta_role_a', 'letta_pool', 'letta_nobody']) r;
SELECT count(*) AS initial_privileges_for_bound_roles
  FROM pg_init_privs i, aclexplode(i.initprivs) a
 WHERE i.objoid = 'public.letta_probe_after_update()'::regprocedure
   AND a.grantee IN ('letta_role_a'::regrole, 'letta_pool'::regrole);
SET client_min_messages = warning;
ALTER EXTENSION letta_identity DROP FUNCTION public.letta_probe_after_update();
RESET client_min_messages;
DROP FUNCTION public.letta_probe_after_update();

-- Unbinding takes the access away.
SELECT letta_unbind_role('letta_role_c') AS unbound;
SET ROLE letta_role_c;
SELECT test.error_of($$ SELECT letta_count_agents() $$);
RESET ROLE;
-- So does a binding deleted by hand, when the transaction commits (on Citus, on every node).
CREATE ROLE letta_role_d LOGIN;
SELECT letta_bind_role('letta_role_d', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa') AS bound;
BEGIN;
DELETE FROM letta_role_organizations WHERE role_name = 'letta_role_d';
SELECT has_function_privilege('letta_role_d', 'letta_get_agent(text)', 'EXECUTE') AS until_commit;
COMMIT;
SELECT has_function_privilege('letta_role_d', 'letta_get_agent(text)', 'EXECUTE') AS after_commit,
       has_table_privilege('letta_role_d', 'letta_agents', 'SELECT') AS on_the_tables;
DROP ROLE letta_role_d;

DELETE FROM letta_identities;
DELETE FROM letta_agents;
DELETE FROM letta_blocks;
SELECT letta_unbind_role(r) FROM unnest(ARRAY['letta_role_a', 'letta_role_b', 'letta_pool']) r;
-- (test.probe stays: end_users.sql probes one end user's rows with it.)
REVOKE USAGE ON SCHEMA test FROM PUBLIC;
DROP ROLE letta_role_a, letta_role_b, letta_role_c, letta_pool, letta_nobody;
