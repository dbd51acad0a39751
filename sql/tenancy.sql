-- letta_identity: tenancy, in one place. Which organization each role works in (the bindings
-- and their administrators' functions), the current organization, row-level security on
-- every table, and privileges: nothing granted to PUBLIC. (Conventions: rows.sql.)

-- Which organization each database role works in (src/organization.rs has the rules). Only
-- administrators write it (letta_bind_role, letta_allow_switching, letta_unbind_role); a role
-- reads its own row, which is how _letta_org() finds it.
CREATE TABLE letta_role_organizations (
    role_name       name    NOT NULL,
    organization_id uuid,
    may_switch      boolean NOT NULL DEFAULT false,
    CONSTRAINT letta_role_organizations_pkey PRIMARY KEY (role_name),
    CONSTRAINT letta_role_organizations_one_way CHECK ((organization_id IS NULL) = may_switch)
);
COMMENT ON TABLE letta_role_organizations IS
'Which organization each database role works in (or may_switch: it names one in each transaction). Written by letta_bind_role, letta_allow_switching and letta_unbind_role; each role reads its own row.';
SELECT pg_catalog.pg_extension_config_dump('letta_role_organizations', '');
ALTER TABLE letta_role_organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY letta_own_binding ON letta_role_organizations FOR SELECT USING (role_name = current_user);
GRANT SELECT ON letta_role_organizations TO PUBLIC;

-- A binding is the role's, not its name's. The row names the role; the role that was bound holds
-- USAGE on this domain, granted with the rest of what the API needs (_letta_grant) and kept by
-- PostgreSQL by the role's OID: a role dropped loses it, and one created again under the name
-- does not have it, so src/organization.rs does not take the binding for it (42501) until an
-- administrator binds it again. Nothing else grants it: no GRANT ... ON ALL ... covers types.
-- (A restore grants it to the roles of those names, as it does their other privileges.)
CREATE DOMAIN letta_bound_role AS boolean;
COMMENT ON DOMAIN letta_bound_role IS
'The mark of a bound role: USAGE on it is granted to each role an administrator binds (letta_bind_role, letta_allow_switching), and the binding is taken only for a role that holds it.';
REVOKE USAGE ON DOMAIN letta_bound_role FROM PUBLIC;

-- The bound roles that act for one end user in each transaction (letta_require_end_user; a
-- table of its own: an update from 0.2.0 or 0.3.0 leaves letta_role_organizations with
-- pending trigger events, and PostgreSQL will not alter a table then). Each role reads its
-- own row, which is how src/end_user.rs finds it.
CREATE TABLE letta_role_end_users (
    role_name name NOT NULL,
    CONSTRAINT letta_role_end_users_pkey PRIMARY KEY (role_name)
);
COMMENT ON TABLE letta_role_end_users IS
'The bound roles that must act for one end user (letta.identifier_key) in each transaction. Written by letta_require_end_user and letta_unbind_role; each role reads its own row.';
SELECT pg_catalog.pg_extension_config_dump('letta_role_end_users', '');
ALTER TABLE letta_role_end_users ENABLE ROW LEVEL SECURITY;
CREATE POLICY letta_own_requirement ON letta_role_end_users FOR SELECT USING (role_name = current_user);
GRANT SELECT ON letta_role_end_users TO PUBLIC;


CREATE FUNCTION letta_current_organization()
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$ BEGIN RETURN 'org-' || @extschema@._letta_org(); END $$;

COMMENT ON FUNCTION letta_current_organization() IS
'The organization every letta_* function works in: the role''s binding; for a role allowed to switch, letta.organization_id as set in this transaction; for a superuser, letta.organization_id (default Letta''s default org).';

-- Every row a role reads or writes, through the functions or directly, is of its
-- organization. (Superusers and the tables' owner bypass row-level security; the functions
-- filter by organization themselves.)
ALTER TABLE letta_identities ENABLE ROW LEVEL SECURITY;
ALTER TABLE letta_agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE letta_identities_agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE letta_blocks ENABLE ROW LEVEL SECURITY;
ALTER TABLE letta_identities_blocks ENABLE ROW LEVEL SECURITY;
ALTER TABLE letta_blocks_agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE letta_agents_tags ENABLE ROW LEVEL SECURITY;
CREATE POLICY letta_organization ON letta_identities
    USING (organization_id = (SELECT @extschema@._letta_org()));
CREATE POLICY letta_organization ON letta_agents
    USING (organization_id = (SELECT @extschema@._letta_org()));
CREATE POLICY letta_organization ON letta_identities_agents
    USING (organization_id = (SELECT @extschema@._letta_org()));
CREATE POLICY letta_organization ON letta_blocks
    USING (organization_id = (SELECT @extschema@._letta_org()));
CREATE POLICY letta_organization ON letta_identities_blocks
    USING (organization_id = (SELECT @extschema@._letta_org()));
CREATE POLICY letta_organization ON letta_blocks_agents
    USING (organization_id = (SELECT @extschema@._letta_org()));
CREATE POLICY letta_organization ON letta_agents_tags
    USING (organization_id = (SELECT @extschema@._letta_org()));

-- No planner statistics on what the tenant tables hold (every column but the ids and times):
-- ANALYZE samples every organization's rows, and PostgreSQL uses what it keeps under row-level
-- security for leakproof operators (text and integer comparisons, the tag operators), so that
-- a bound role's EXPLAIN estimates followed other organizations' values: which tags and names
-- are common, and, through the histograms and range conditions, the values themselves, a
-- character at a time. The functions' plans are generic (they never used the values), and the
-- tag pages choose their way from the organization's own entries in the ordered tag index. The
-- ids and times keep theirs (organization_id first): the generic plans' row counts come from
-- them (without them, a page of the newest agents sorted all of an organization's). A column
-- added later gets the same (catalog.sql checks every one). (The bindings hold role names,
-- which pg_roles shows anyone, and organizations; an update from 0.2.0 or 0.3.0 leaves
-- letta_role_organizations unalterable anyway, with pending trigger events.)
DO $$
DECLARE
    t regclass;
    c name;
BEGIN
    FOREACH t IN ARRAY @extschema@._letta_tenant_tables() LOOP
        FOR c IN SELECT a.attname FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = t AND a.attnum > 0 AND NOT a.attisdropped
                    AND a.atttypid NOT IN ('pg_catalog.uuid'::pg_catalog.regtype,
                                           'pg_catalog.timestamptz'::pg_catalog.regtype) ORDER BY a.attnum LOOP
            EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET STATISTICS 0', t, c);
        END LOOP;
    END LOOP;
END
$$;

-- The roles that act for end users are members of letta_end_users, a role of the cluster made
-- here when missing (other databases share it; DROP EXTENSION leaves it): the end users'
-- policies apply to its members only, so that a role serving a whole organization pays nothing
-- for them (at 1M agents they cost such a role 7-12% a call, BENCHMARKS.md).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'letta_end_users') THEN
        CREATE ROLE letta_end_users NOLOGIN;
    END IF;
END
$$;

-- End users (src/end_user.rs): a transaction that sets letta.identifier_key sees that end
-- user's identities, the agents linked to them, and the blocks linked to them or in those
-- agents' memory; a link row when one of its ends is theirs (a shared agent's or block's
-- other links show the other end's id, not its row, so that nothing shared is taken for
-- theirs alone and deleted), and it writes only links whose ends are both theirs, changing
-- and deleting only links of theirs (an UPDATE of a link is held to DELETE's rule: it takes
-- the link away from where it was). The agents and blocks the functions write for them are
-- theirs at once, before they are linked: on one node the functions say so
-- (_letta_end_user_wrote); on Citus the policies' WITH CHECK does, on the worker that writes
-- the row (_letta_end_user_claim). Restrictive: on top of the organization.
-- Declared once for both kinds of deployment. On one node, restrictive policies for the members
-- of letta_end_users (roles serving whole organizations pay nothing for them), each function
-- call an initplan (computed once per statement; with no end user the first test is true and
-- the rest is never computed). On Citus, which refuses subqueries in policies and gives a
-- shard its table's policies as permissive ones (Citus 13.2's CREATE POLICY for a shard drops
-- AS RESTRICTIVE: a restrictive rule would widen the organization's instead of narrowing it),
-- the end user's rule joins the organization's, per command, in permissive policies of plain
-- calls that the workers run beside the shards (_letta_prepare_for_citus makes that form
-- before the tables are distributed).
CREATE FUNCTION _letta_end_user_policies(citus boolean)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t       text;
    seen    text;  -- the rows the end user reads
    written text;  -- the rows they may write
    removed text;  -- the rows they may delete or change (a link: theirs by their identity's end)
    token   text;  -- {E}: the end user; {I}, {A}, {B}: their identities', agents', blocks' ids
    called  text;
    policy  text;
BEGIN
    FOR t, seen, written, removed IN VALUES
        ('letta_identities', 'identifier_key = {E}', NULL, NULL),
        ('letta_agents', 'id = ANY ({A})', CASE WHEN citus THEN '@extschema@._letta_end_user_claim(''agent'', id)' ELSE 'true' END, NULL),
        ('letta_blocks', 'id = ANY ({B})', CASE WHEN citus THEN '@extschema@._letta_end_user_claim(''block'', id)' ELSE 'true' END, NULL),
        ('letta_agents_tags', 'agent_id = ANY ({A})', NULL, NULL),
        ('letta_identities_agents', 'identity_id = ANY ({I}) OR agent_id = ANY ({A})',
         'identity_id = ANY ({I}) AND agent_id = ANY ({A})', 'identity_id = ANY ({I})'),
        ('letta_identities_blocks', 'identity_id = ANY ({I}) OR block_id = ANY ({B})',
         'identity_id = ANY ({I}) AND block_id = ANY ({B})', 'identity_id = ANY ({I})'),
        ('letta_blocks_agents', 'agent_id = ANY ({A}) OR block_id = ANY ({B})',
         'agent_id = ANY ({A}) AND block_id = ANY ({B})', 'agent_id = ANY ({A})')
    LOOP
        FOR token, called IN VALUES ('{E}', '_letta_end_user()'), ('{I}', '_letta_end_user_identities()'),
                                    ('{A}', '_letta_end_user_agents()'), ('{B}', '_letta_end_user_blocks()') LOOP
            called := CASE WHEN citus THEN '@extschema@.' || called ELSE '(SELECT @extschema@.' || called || ')' END
                      || CASE WHEN token = '{E}' THEN '' ELSE '::uuid[]' END;
            seen := replace(seen, token, called);
            written := replace(written, token, called);
            removed := replace(removed, token, called);
        END LOOP;
        called := CASE WHEN citus THEN '@extschema@._letta_end_user()' ELSE '(SELECT @extschema@._letta_end_user())' END;
        FOR policy IN SELECT p.polname FROM pg_catalog.pg_policy p
                       WHERE p.polrelid = ('@extschema@.' || t)::regclass AND p.polname LIKE 'letta\_end\_user%' LOOP
            EXECUTE format('DROP POLICY IF EXISTS %I ON @extschema@.%I', policy, t);
        END LOOP;
        IF NOT citus THEN
            EXECUTE format('CREATE POLICY letta_end_user ON @extschema@.%I AS RESTRICTIVE TO letta_end_users USING (%s IS NULL OR %s)%s',
                           t, called, seen, CASE WHEN written = 'true' THEN ' WITH CHECK (true)'
                                                 WHEN written IS NOT NULL THEN format(' WITH CHECK (%s IS NULL OR %s)', called, written)
                                                 ELSE '' END);
            IF removed IS NOT NULL THEN
                EXECUTE format('CREATE POLICY letta_end_user_delete ON @extschema@.%I AS RESTRICTIVE FOR DELETE TO letta_end_users USING (%s IS NULL OR %s)',
                               t, called, removed);
                EXECUTE format('CREATE POLICY letta_end_user_update ON @extschema@.%I AS RESTRICTIVE FOR UPDATE TO letta_end_users USING (%s IS NULL OR %s)',
                               t, called, removed);
            END IF;
        ELSE
            -- The organization's rule, and the end user's for each command.
            FOR policy IN SELECT p.polname FROM pg_catalog.pg_policy p
                           WHERE p.polrelid = ('@extschema@.' || t)::regclass AND p.polname LIKE 'letta\_organization%' LOOP
                EXECUTE format('DROP POLICY IF EXISTS %I ON @extschema@.%I', policy, t);
            END LOOP;
            -- No end user: the setting empty (a built-in's test, cheap on every row: a role
            -- that must name one is refused by _letta_org() beside it), or one that is not
            -- this role's to use. (coalesce(...) = '', as Citus 13.2 cannot carry "f() IS NULL"
            -- to the shards of a table it already distributes; the end user is never ''. IF
            -- EXISTS above as its workers' copies of the tables do not have the shards' policies.)
            policy := 'organization_id = @extschema@._letta_org() AND (coalesce(pg_catalog.current_setting(''letta.identifier_key'', true), '''') = '''''
                      || ' OR coalesce(' || called || ', '''') = '''' OR %s)';
            EXECUTE format('CREATE POLICY letta_organization ON @extschema@.%I FOR SELECT USING (%s)',
                           t, format(policy, seen));
            EXECUTE format('CREATE POLICY letta_organization_insert ON @extschema@.%I FOR INSERT WITH CHECK (%s)',
                           t, format(policy, coalesce(written, seen)));
            EXECUTE format('CREATE POLICY letta_organization_update ON @extschema@.%I FOR UPDATE USING (%s) WITH CHECK (%s)',
                           t, format(policy, coalesce(removed, seen)),
                           format(policy, coalesce(written, seen) || coalesce(' AND ' || removed, '')));
            EXECUTE format('CREATE POLICY letta_organization_delete ON @extschema@.%I FOR DELETE USING (%s)',
                           t, format(policy, coalesce(removed, seen)));
        END IF;
    END LOOP;
END
$$;
SELECT _letta_end_user_policies(false);

-- Administrators: the organizations in use and removing one. They read and delete across
-- organizations, so they refuse a role that row-level security holds to one (42501): run them
-- as a superuser or the tables' owner. (On Citus each statement groups or deletes by the
-- distribution column: per shard.)
CREATE FUNCTION letta_list_organizations()
RETURNS TABLE (organization_id text, identities bigint, agents bigint, blocks bigint, roles text[])
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    identity_orgs uuid[]; identity_counts bigint[];
    agent_orgs    uuid[]; agent_counts    bigint[];
    block_orgs    uuid[]; block_counts    bigint[];
BEGIN
    IF pg_catalog.row_security_active('@extschema@.letta_agents'::regclass) THEN
        RAISE EXCEPTION 'letta_list_organizations is for administrators: row-level security holds role "%" to one organization', current_user
              USING ERRCODE = 'insufficient_privilege',
                    HINT = 'Run it as a superuser or as the owner of the extension''s tables.';
    END IF;
    -- One grouped count per table, then put together here (not one statement over the three).
    SELECT coalesce(array_agg(t.o), '{}'), coalesce(array_agg(t.n), '{}') INTO identity_orgs, identity_counts
      FROM (SELECT i.organization_id AS o, count(*) AS n FROM @extschema@.letta_identities i GROUP BY 1) t;
    SELECT coalesce(array_agg(t.o), '{}'), coalesce(array_agg(t.n), '{}') INTO agent_orgs, agent_counts
      FROM (SELECT a.organization_id AS o, count(*) AS n FROM @extschema@.letta_agents a GROUP BY 1) t;
    SELECT coalesce(array_agg(t.o), '{}'), coalesce(array_agg(t.n), '{}') INTO block_orgs, block_counts
      FROM (SELECT b.organization_id AS o, count(*) AS n FROM @extschema@.letta_blocks b GROUP BY 1) t;
    RETURN QUERY
    SELECT 'org-' || o.id, coalesce(i.n, 0), coalesce(a.n, 0), coalesce(b.n, 0), coalesce(r.names, '{}')
      FROM (SELECT unnest(identity_orgs || agent_orgs || block_orgs) AS id
            UNION
            SELECT x.organization_id FROM @extschema@.letta_role_organizations x WHERE x.organization_id IS NOT NULL) o
      LEFT JOIN unnest(identity_orgs, identity_counts) i(id, n) ON i.id = o.id
      LEFT JOIN unnest(agent_orgs, agent_counts) a(id, n) ON a.id = o.id
      LEFT JOIN unnest(block_orgs, block_counts) b(id, n) ON b.id = o.id
      LEFT JOIN (SELECT x.organization_id AS id, array_agg(x.role_name::text ORDER BY x.role_name) AS names
                   FROM @extschema@.letta_role_organizations x GROUP BY 1) r ON r.id = o.id
     ORDER BY o.id;
END
$$;

COMMENT ON FUNCTION letta_list_organizations() IS
'Administrators: every organization that has identities, agents or blocks or a role bound to it, with how many of each and the roles bound to it (roles allowed to switch are bound to none). 42501 for a role that row-level security holds to one organization.';

CREATE FUNCTION letta_delete_organization(organization_id text, dry_run boolean DEFAULT false)
RETURNS TABLE (kind text, count bigint)
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    org    uuid := @extschema@._letta_uuid(organization_id, 'org', 'organization_id');
    roles  text[];
    counts bigint[] := '{0,0,0}';
    n      bigint;
BEGIN
    IF pg_catalog.row_security_active('@extschema@.letta_agents'::regclass) THEN
        RAISE EXCEPTION 'letta_delete_organization is for administrators: row-level security holds role "%" to one organization', current_user
              USING ERRCODE = 'insufficient_privilege',
                    HINT = 'Run it as a superuser or as the owner of the extension''s tables.';
    END IF;
    IF dry_run IS NULL THEN
        RAISE EXCEPTION 'dry_run must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    roles := ARRAY(SELECT r.role_name::text FROM @extschema@.letta_role_organizations r
                    WHERE r.organization_id = org ORDER BY r.role_name);
    IF cardinality(roles) > 0 THEN
        RAISE EXCEPTION 'organization "%" has roles bound to it: %', organization_id, array_to_string(roles, ', ')
              USING ERRCODE = 'object_in_use',
                    HINT = 'Unbind them first (letta_unbind_role), or bind them to another organization.';
    END IF;
    IF dry_run THEN
        counts := ARRAY[(SELECT count(*) FROM @extschema@.letta_identities t WHERE t.organization_id = org),
                        (SELECT count(*) FROM @extschema@.letta_agents t WHERE t.organization_id = org),
                        (SELECT count(*) FROM @extschema@.letta_blocks t WHERE t.organization_id = org)];
    ELSE
        -- Agents first (their links and tag entries go with them), then blocks, then identities.
        DELETE FROM @extschema@.letta_agents t WHERE t.organization_id = org;
        GET DIAGNOSTICS n = ROW_COUNT;
        counts[2] := n;
        DELETE FROM @extschema@.letta_blocks t WHERE t.organization_id = org;
        GET DIAGNOSTICS n = ROW_COUNT;
        counts[3] := n;
        DELETE FROM @extschema@.letta_identities t WHERE t.organization_id = org;
        GET DIAGNOSTICS n = ROW_COUNT;
        counts[1] := n;
    END IF;
    RETURN QUERY SELECT k, c FROM unnest(ARRAY['identities', 'agents', 'blocks'], counts) u(k, c);
END
$$;

COMMENT ON FUNCTION letta_delete_organization(text, boolean) IS
'Administrators: delete every identity, agent and block of an organization, with their links and tag entries; returns how many of each went (with dry_run => true how many would, deleting nothing). 55006 while a role is bound to it; 42501 for a role that row-level security holds to one organization.';

-- Administrators: the role must act for one end user in each transaction (SET LOCAL
-- letta.identifier_key), or (required => false) no longer must.
CREATE FUNCTION letta_require_end_user(role_name text, required boolean DEFAULT true)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF required IS NULL THEN
        RAISE EXCEPTION 'required must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT FROM @extschema@.letta_role_organizations b WHERE b.role_name = letta_require_end_user.role_name) THEN
        RAISE EXCEPTION 'role "%" is not bound to an organization', role_name
              USING ERRCODE = 'no_data_found',
                    HINT = 'Bind it first: letta_bind_role or letta_allow_switching.';
    END IF;
    IF required AND cardinality(@extschema@._letta_distributed_tables()) > 0 THEN
        IF NOT '@extschema@.letta_role_end_users'::regclass = ANY (@extschema@._letta_distributed_tables()) THEN
            -- Distributed before 0.7.0: every node reads the requirements.
            EXECUTE 'SELECT pg_catalog.create_reference_table($1)' USING '@extschema@.letta_role_end_users'::regclass;
        END IF;
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_policy p WHERE p.polrelid = '@extschema@.letta_agents'::regclass
                                                            AND p.polname = 'letta_organization_insert') THEN
            -- The first end users on Citus: the shards get the end users' policies (Citus
            -- carries them there; citus.sql says why they wait until now).
            PERFORM @extschema@._letta_end_user_policies(citus => true);
        END IF;
    END IF;
    IF required THEN
        INSERT INTO @extschema@.letta_role_end_users VALUES (role_name) ON CONFLICT DO NOTHING;
        IF NOT pg_catalog.pg_has_role(role_name, 'letta_end_users', 'MEMBER') THEN
            EXECUTE pg_catalog.format('GRANT letta_end_users TO %I', role_name);
        END IF;
        -- The policies apply to the roles that have letta_end_users' privileges: a NOINHERIT
        -- member would be required to name an end user and then not be held to them.
        IF NOT pg_catalog.pg_has_role(role_name, 'letta_end_users', 'USAGE') THEN
            RAISE EXCEPTION 'role "%" does not inherit its roles'' privileges (NOINHERIT): end users cannot be required of it', role_name
                  USING ERRCODE = 'invalid_parameter_value',
                        DETAIL = 'The end users'' policies apply to roles that inherit letta_end_users.',
                        HINT = pg_catalog.format('ALTER ROLE %I INHERIT, then require end users again.', role_name);
        END IF;
    ELSE
        -- The membership stays: letta_end_users is the cluster's, and another database may
        -- require end users of the role. A member that is not required acts for the whole
        -- organization unless it names an end user itself.
        DELETE FROM @extschema@.letta_role_end_users e WHERE e.role_name = letta_require_end_user.role_name;
    END IF;
END
$$;

COMMENT ON FUNCTION letta_require_end_user(text, boolean) IS
'Administrators: the role (an application serving its end users) must set letta.identifier_key in each transaction, and then sees and writes that end user''s rows only (it becomes a member of letta_end_users, whose members the end users'' policies apply to; a NOINHERIT role is refused); required => false lifts it (the membership stays: other databases of the cluster may need it).';

-- Which of the extension's functions application roles may call: all but the administrators'
-- (which also run as the owner's rules say: search_path pinned) and the triggers' (PostgreSQL
-- asks for EXECUTE to attach a trigger function to a table, not to fire it: without it, no
-- role can attach one to a table of its own).
CREATE FUNCTION _letta_for_apps(f regprocedure)
RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT p.prorettype NOT IN ('pg_catalog.trigger'::pg_catalog.regtype, 'pg_catalog.event_trigger'::pg_catalog.regtype)
           AND p.proname NOT IN ('letta_bind_role', 'letta_allow_switching', 'letta_unbind_role',
                                 'letta_require_end_user', '_letta_end_user_policies', '_letta_grant', '_letta_for_apps',
                                 'letta_distribute', 'letta_drop_distributed_tables', '_letta_prepare_for_citus',
                                 'letta_list_organizations', 'letta_delete_organization')
           AND p.proname !~ '^_?letta_import_'  -- the import from Letta (sql/import.sql)
      FROM pg_catalog.pg_proc p
     WHERE p.oid = f
$$;

-- Give a role (or take from it) what the API needs: EXECUTE on the functions for applications
-- (_letta_for_apps), SELECT, INSERT, UPDATE, DELETE on the data tables, SELECT on the derived
-- table and on the views that shape rows.
CREATE FUNCTION _letta_grant(role_name text, give boolean)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f    regprocedure;
    apps boolean;
    t    regclass;
BEGIN
    role_name := @extschema@._letta_required(role_name, 'role_name');
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = role_name) THEN
        RAISE EXCEPTION 'role "%" does not exist', role_name USING ERRCODE = 'undefined_object';
    END IF;
    FOR f, apps IN SELECT p.oid::regprocedure, @extschema@._letta_for_apps(p.oid)
                     FROM pg_catalog.pg_proc p
                     JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                    WHERE d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'letta_identity')
    LOOP
        -- (An administrator's function or a trigger's, granted by an earlier version, is taken back.)
        EXECUTE pg_catalog.format(CASE WHEN give AND apps THEN 'GRANT EXECUTE ON FUNCTION %s TO %I'
                                       ELSE 'REVOKE EXECUTE ON FUNCTION %s FROM %I' END, f, role_name);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['@extschema@.letta_identities', '@extschema@.letta_agents',
                             '@extschema@.letta_identities_agents', '@extschema@.letta_blocks',
                             '@extschema@.letta_identities_blocks', '@extschema@.letta_blocks_agents']::regclass[]
    LOOP
        EXECUTE pg_catalog.format(CASE WHEN give THEN 'GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I'
                            ELSE 'REVOKE SELECT, INSERT, UPDATE, DELETE ON %s FROM %I' END, t, role_name);
    END LOOP;
    -- The binding's mark: the role, not its name, is bound.
    EXECUTE pg_catalog.format(CASE WHEN give THEN 'GRANT USAGE ON DOMAIN %s TO %I' ELSE 'REVOKE USAGE ON DOMAIN %s FROM %I' END,
                              '@extschema@.letta_bound_role'::pg_catalog.regtype, role_name);
    -- Derived from letta_agents by its triggers: read, never written, by roles.
    EXECUTE pg_catalog.format(CASE WHEN give THEN 'GRANT SELECT ON %s TO %I' ELSE 'REVOKE SELECT ON %s FROM %I' END,
                              '@extschema@.letta_agents_tags'::regclass, role_name);
    -- The rows as the functions shape them: views, read with the caller's rights.
    FOREACH t IN ARRAY ARRAY['@extschema@._letta_identities_shown', '@extschema@._letta_agents_shown',
                             '@extschema@._letta_blocks_shown']::regclass[]
    LOOP
        EXECUTE pg_catalog.format(CASE WHEN give THEN 'GRANT SELECT ON %s TO %I' ELSE 'REVOKE SELECT ON %s FROM %I' END,
                                  t, role_name);
    END LOOP;
END
$$;

CREATE FUNCTION letta_bind_role(role_name text, organization_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    org uuid := @extschema@._letta_uuid(organization_id, 'org', 'organization_id');
BEGIN
    PERFORM @extschema@._letta_grant(role_name, true);
    INSERT INTO @extschema@.letta_role_organizations AS b (role_name, organization_id, may_switch)
    VALUES (role_name, org, false)
    ON CONFLICT ON CONSTRAINT letta_role_organizations_pkey
    DO UPDATE SET organization_id = excluded.organization_id, may_switch = false;
END
$$;

COMMENT ON FUNCTION letta_bind_role(text, text) IS
'Administrators: the role works in this organization only, through every function and on the tables directly; it gets the privileges to.';

CREATE FUNCTION letta_allow_switching(role_name text)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@._letta_grant(role_name, true);
    INSERT INTO @extschema@.letta_role_organizations AS b (role_name, organization_id, may_switch)
    VALUES (role_name, NULL, true)
    ON CONFLICT ON CONSTRAINT letta_role_organizations_pkey
    DO UPDATE SET organization_id = NULL, may_switch = true;
END
$$;

COMMENT ON FUNCTION letta_allow_switching(text) IS
'Administrators: the role (a pooled application role) picks its organization per transaction with SET LOCAL letta.organization_id; it gets the privileges to.';

CREATE FUNCTION letta_unbind_role(role_name text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@._letta_grant(role_name, false);
    -- (Its membership of letta_end_users stays, as letta_require_end_user(role, false) leaves it.)
    DELETE FROM @extschema@.letta_role_end_users e WHERE e.role_name = letta_unbind_role.role_name;
    DELETE FROM @extschema@.letta_role_organizations b WHERE b.role_name = letta_unbind_role.role_name;
    RETURN FOUND;
END
$$;

COMMENT ON FUNCTION letta_unbind_role(text) IS
'Administrators: the role loses its organization and its privileges on the extension.';

-- A binding gives its role what the API needs, by ordinary grants made when the writing
-- transaction commits, whoever wrote the row: letta_bind_role (which also grants at once), an
-- upgrade script that touches every row so that bound roles get what it added, pg_restore
-- loading the table. At commit any extension script has ended, so the grants are not recorded
-- as the objects' initial privileges, which pg_dump leaves out: dumps keep them, and no
-- upgrade script writes system catalogs. A binding deleted takes them back. On Citus the
-- bindings are a reference table whose copies on the workers fire this trigger too: each node
-- grants and revokes for itself (Citus reaches the workers as the role).
CREATE FUNCTION _letta_grant_binding()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    grantee text;
BEGIN
    FOREACH grantee IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.role_name]
                                        WHEN 'DELETE' THEN ARRAY[OLD.role_name]
                                        ELSE ARRAY[OLD.role_name, NEW.role_name] END
    LOOP
        -- The role exists (a restore may precede its CREATE ROLE; a DROP ROLE may follow).
        IF EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = grantee) THEN
            -- Bound or not as the transaction commits.
            PERFORM @extschema@._letta_grant(grantee, EXISTS (
                SELECT FROM @extschema@.letta_role_organizations b WHERE b.role_name = grantee));
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER letta_role_organizations_grant
    AFTER INSERT OR UPDATE OR DELETE ON letta_role_organizations
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION _letta_grant_binding();

-- Nothing is granted to PUBLIC: a role uses the extension once an administrator binds it.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure
               FROM pg_catalog.pg_proc p
               JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
              WHERE d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'letta_identity')
    LOOP
        EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END
$$;
