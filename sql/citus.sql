-- letta_identity: scaling out on Citus. letta_distribute() spreads the tables over the
-- workers by organization, colocated, so that each organization's rows sit on one shard.
-- letta_drop_distributed_tables() is the way out before DROP EXTENSION, which leaves the shards
-- on the workers: it drops them and their rows (Citus's undistribute_table refuses tables that
-- belong to an extension, and a table it re-created would lose its place in pg_dump's extension
-- data). Administrators only (their search_path pinned, as every function that application roles
-- cannot call). Citus's functions are called through EXECUTE: without Citus they do not exist.

-- The tenant tables, in the order they are distributed: referenced tables first, and the tag
-- index before the agents (letta_distribute).
-- (A quoted body: a SQL-standard one would make the function depend on the tables, and
-- letta_drop_distributed_tables could not drop them.)
CREATE FUNCTION _letta_tenant_tables()
RETURNS regclass[]
LANGUAGE sql STABLE
AS $$
    SELECT ARRAY['@extschema@.letta_identities', '@extschema@.letta_agents_tags', '@extschema@.letta_agents',
                 '@extschema@.letta_identities_agents', '@extschema@.letta_blocks',
                 '@extschema@.letta_identities_blocks', '@extschema@.letta_blocks_agents']::regclass[]
$$;

-- Which of the extension's tables Citus manages (none without Citus).
CREATE FUNCTION _letta_distributed_tables()
RETURNS regclass[]
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    found regclass[];
BEGIN
    IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NULL THEN
        RETURN '{}';
    END IF;
    EXECUTE 'SELECT coalesce(array_agg(logicalrelid ORDER BY logicalrelid), ''{}'') FROM pg_catalog.pg_dist_partition
              WHERE logicalrelid = ANY ($1)'
       INTO found
      USING @extschema@._letta_tenant_tables() || '{@extschema@.letta_role_organizations, @extschema@.letta_role_end_users}'::regclass[];
    RETURN found;
END
$$;

-- Rows (of the table's row type) into a distributed table without INSERT ... SELECT, which
-- Citus carries out with COPY, refused under row-level security (0A000): multi-row INSERT ...
-- VALUES, 1,000 rows a statement, each row a literal (Citus copies a parameter into every
-- expression that uses it: one array parameter for all rows would be copied thousands of
-- times). Rows of one organization all go to its shard, in the caller's transaction.
CREATE FUNCTION _letta_insert_rows(target regclass, rows anyarray)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    FOR batch IN 0 .. (coalesce(cardinality(rows), 0) + 999) / 1000 - 1 LOOP
        EXECUTE format('INSERT INTO %s VALUES %s', target, (
            SELECT string_agg(format('((%L::%s).*)', r::text, target), ', ')
              FROM unnest(rows[batch * 1000 + 1 : batch * 1000 + 1000]) r));
    END LOOP;
END
$$;

-- What changes with distribution, besides the tables:
-- - the policies call _letta_org() and the end users' functions directly, the end user's rule
--   joined to the organization's (tenancy.sql, _letta_end_user_policies): Citus refuses
--   subqueries in policies (on one node the subquery is an initplan, which lets a parallel scan
--   take the organization from the leader) and makes a shard's policies permissive; on the
--   workers the end users' functions read the shards beside them (src/end_user.rs), and an end
--   user's new agent or block is theirs by its policy's WITH CHECK there;
-- - Citus runs a statement with parameters from a generic plan only when it reads one table by
--   its distribution column; anything else needs a custom plan, made for each call. The
--   functions that force generic plans on one node let PostgreSQL choose (auto: custom plans,
--   as Citus asks).
CREATE FUNCTION _letta_prepare_for_citus()
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t      regclass;
    f      regprocedure;
    policy name;
BEGIN
    -- Before distribution, as Citus then gives each shard its table's policies: with end users
    -- required of a role, the Citus form of theirs (tenancy.sql); else the organization's
    -- alone (the end users' rule costs every call on Citus, 6-17% in bench/citus: its functions
    -- are evaluated as each statement is planned), until letta_require_end_user adds it. (An
    -- update of a database distributed before leaves its policies: the workers do not have
    -- this version's functions yet while the coordinator's script runs.)
    IF cardinality(@extschema@._letta_distributed_tables()) = 0 THEN
        IF EXISTS (SELECT FROM @extschema@.letta_role_end_users) THEN
            PERFORM @extschema@._letta_end_user_policies(citus => true);
        ELSE
            FOREACH t IN ARRAY @extschema@._letta_tenant_tables() LOOP
                EXECUTE format('ALTER POLICY letta_organization ON %s USING (organization_id = @extschema@._letta_org())', t);
                FOR policy IN SELECT p.polname FROM pg_catalog.pg_policy p
                               WHERE p.polrelid = t AND p.polname LIKE 'letta\_end\_user%' LOOP
                    EXECUTE format('DROP POLICY %I ON %s', policy, t);
                END LOOP;
            END LOOP;
        END IF;
    END IF;
    FOR f IN SELECT p.oid::regprocedure
               FROM pg_catalog.pg_proc p
               JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
              WHERE d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'letta_identity')
                AND 'plan_cache_mode=force_generic_plan' = ANY (p.proconfig)
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET plan_cache_mode = auto', f);
    END LOOP;
END
$$;

-- Citus variants: a function _letta_citus_X is what _letta_X does, in a form Citus routes to one
-- shard; _letta_use_citus_variants() gives each the name of its original (which becomes
-- _letta_one_node_X), so that every caller reaches it. Declared at install; catalog.sql checks
-- that each variant has its original, with the same arguments and result.

-- Agents' rows (rows.sql's _letta_agent_rows), on Citus: the organization a value in every table
-- of the statement, so that Citus routes it to the organization's shard, and each agent's
-- memory and identities read for it alone (the view's grouped form aggregated the whole
-- organization's links before the id filter: 126 ms a call at 20,000 agents). Its memory and
-- identities are in its row always (Citus does not type a NULL inside a row it sends to a worker).
CREATE FUNCTION _letta_citus_agent_rows(org uuid, ids uuid[])
RETURNS SETOF @extschema@._letta_agents_shown
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
BEGIN
    RETURN QUERY
    SELECT a.organization_id, a.id, a.created_at, a.hidden,
           ROW('agent-' || a.id::text,
               a.name,
               a.tags,
               coalesce(n.identity_ids, '{}'),
               a.project_id,
               'org-' || a.organization_id::text,
               a.model,
               a.embedding,
               a.context_window_limit,
               coalesce(m.blocks, '[]'),
               a.metadata,
               a.hidden,
               a.created_at,
               a.updated_at,
               coalesce(n.identities, '[]'))::@extschema@.letta_agent,
           coalesce(m.blocks, '[]'),
           coalesce(n.identities, '[]')
      FROM @extschema@.letta_agents a
      LEFT JOIN LATERAL (
            SELECT jsonb_agg(@extschema@._letta_memory_block(b.id, b.label, b.value, b."limit", b.description,
                                                             b.metadata, b.read_only)
                             ORDER BY b.created_at, b.id) AS blocks
              FROM @extschema@.letta_blocks_agents k
              JOIN @extschema@.letta_blocks b ON b.organization_id = org AND b.id = k.block_id
             WHERE k.organization_id = org AND k.agent_id = a.id) m ON true
      LEFT JOIN LATERAL (
            -- Every link's id; the identities whole where the caller sees them (an end user
            -- sees a shared agent's other links, not the other identities: tenancy.sql).
            SELECT array_agg('identity-' || k.identity_id::text ORDER BY k.identity_id) AS identity_ids,
                   jsonb_agg(@extschema@._letta_identity_object(i.id, i.identifier_key, i.name, i.identity_type,
                                                                i.project_id, i.organization_id, i.properties)
                             ORDER BY i.id) FILTER (WHERE i.id IS NOT NULL) AS identities
              FROM @extschema@.letta_identities_agents k
              LEFT JOIN @extschema@.letta_identities i ON i.organization_id = org AND i.id = k.identity_id
             WHERE k.organization_id = org AND k.agent_id = a.id) n ON true
     WHERE a.organization_id = org AND a.id = ANY (ids);
END
$$;

-- Identities' and blocks' rows (rows.sql), on Citus: the organization a value in the links'
-- subqueries too (the views' grouped forms read the organization's links on every call).
CREATE FUNCTION _letta_citus_identity_rows(org uuid, ids uuid[])
RETURNS SETOF @extschema@._letta_identities_shown
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
BEGIN
    RETURN QUERY
    SELECT i.organization_id, i.id, i.created_at,
           ROW('identity-' || i.id::text,
               i.identifier_key,
               i.name,
               i.identity_type,
               i.project_id,
               ARRAY(SELECT 'agent-' || l.agent_id::text
                       FROM @extschema@.letta_identities_agents l
                      WHERE l.organization_id = org AND l.identity_id = i.id
                      ORDER BY l.agent_id),
               ARRAY(SELECT 'block-' || l.block_id::text
                       FROM @extschema@.letta_identities_blocks l
                      WHERE l.organization_id = org AND l.identity_id = i.id
                      ORDER BY l.block_id),
               'org-' || i.organization_id::text,
               i.properties,
               i.created_at,
               i.updated_at)::@extschema@.letta_identity
      FROM @extschema@.letta_identities i
     WHERE i.organization_id = org AND i.id = ANY (ids);
END
$$;

CREATE FUNCTION _letta_citus_block_rows(org uuid, ids uuid[])
RETURNS SETOF @extschema@._letta_blocks_shown
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
BEGIN
    RETURN QUERY
    SELECT b.organization_id, b.id, b.created_at,
           ROW('block-' || b.id::text,
               b.label,
               b.value,
               b."limit",
               b.description,
               b.metadata,
               ARRAY(SELECT 'identity-' || l.identity_id::text
                       FROM @extschema@.letta_identities_blocks l
                      WHERE l.organization_id = org AND l.block_id = b.id
                      ORDER BY l.identity_id),
               'org-' || b.organization_id::text,
               b.created_at,
               b.updated_at,
               b.read_only,
               b.project_id,
               b.hidden,
               b.tags)::@extschema@.letta_block
      FROM @extschema@.letta_blocks b
     WHERE b.organization_id = org AND b.id = ANY (ids);
END
$$;

-- The lists' page helpers (agents.sql, identities.sql, blocks.sql) are SQL, inlined into the
-- lists' statements on one node; Citus, which plans before inlining, would see a function there
-- and plan the statement on the coordinator, over the tables' empty shells. As PL/pgSQL
-- returning the same query, each is a statement of its own, which Citus routes to the
-- organization's shard. Their bodies are the originals' (catalog.sql checks it: change both);
-- columns win over parameters, as in SQL functions.

CREATE FUNCTION _letta_citus_tag_entries(org uuid, tag text, lo_at timestamptz, lo_id uuid,
                                         hi_at timestamptz, hi_id uuid, newest boolean, skip integer, lim integer)
RETURNS TABLE (created_at timestamptz, agent_id uuid, hidden boolean)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
#variable_conflict use_column
BEGIN
RETURN QUERY
    SELECT s.created_at, s.agent_id, s.hidden
      FROM @extschema@.letta_agents_tags s
     WHERE s.organization_id = org AND s.tag = _letta_tag_entries.tag COLLATE "C"
       AND (s.created_at, s.agent_id) > (lo_at, lo_id) AND (s.created_at, s.agent_id) < (hi_at, hi_id)
     ORDER BY CASE WHEN newest THEN s.created_at END DESC, CASE WHEN newest THEN s.agent_id END DESC,
              CASE WHEN NOT newest THEN s.created_at END, CASE WHEN NOT newest THEN s.agent_id END
    OFFSET skip LIMIT lim;
END
$$;

CREATE FUNCTION _letta_citus_tag_page(org uuid, tag text, lo_at timestamptz, lo_id uuid,
                                      hi_at timestamptz, hi_id uuid, newest boolean, n integer,
                                      name text, query_text text, project_id text, include_hidden boolean,
                                      exclude_tags text[], all_tags text[], with_metadata jsonb)
RETURNS TABLE (created_at timestamptz, id uuid)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
#variable_conflict use_column
BEGIN
RETURN QUERY
    SELECT s.created_at, s.agent_id
      FROM @extschema@.letta_agents_tags s
     WHERE s.organization_id = org AND s.tag = _letta_tag_page.tag COLLATE "C"
       AND (s.created_at, s.agent_id) > (lo_at, lo_id) AND (s.created_at, s.agent_id) < (hi_at, hi_id)
       AND (include_hidden IS TRUE OR NOT s.hidden)
       AND ((_letta_tag_page.name IS NULL AND query_text IS NULL AND _letta_tag_page.project_id IS NULL
                 AND exclude_tags IS NULL AND all_tags IS NULL AND with_metadata IS NULL)
            OR (SELECT @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, _letta_tag_page.name, query_text,
                                                     _letta_tag_page.project_id, true, a.metadata, exclude_tags, all_tags, with_metadata)
                  FROM @extschema@.letta_agents a WHERE a.organization_id = org AND a.id = s.agent_id))
     ORDER BY CASE WHEN newest THEN s.created_at END DESC, CASE WHEN newest THEN s.agent_id END DESC,
              CASE WHEN NOT newest THEN s.created_at END, CASE WHEN NOT newest THEN s.agent_id END
     LIMIT n;
END
$$;

CREATE FUNCTION _letta_citus_all_tags_page(org uuid, driver text, wanted text[], lo_at timestamptz, lo_id uuid,
                                           hi_at timestamptz, hi_id uuid, newest boolean, walk integer, n integer,
                                           name text, query_text text, project_id text, include_hidden boolean,
                                           exclude_tags text[], all_tags text[], with_metadata jsonb)
RETURNS TABLE (created_at timestamptz, id uuid)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
#variable_conflict use_column
BEGIN
RETURN QUERY
    SELECT e.created_at, e.agent_id
      FROM (SELECT s.created_at, s.agent_id, s.hidden  -- _letta_tag_entries' walk, written out (below)
              FROM @extschema@.letta_agents_tags s
             WHERE s.organization_id = org AND s.tag = driver COLLATE "C"
               AND (s.created_at, s.agent_id) > (lo_at, lo_id) AND (s.created_at, s.agent_id) < (hi_at, hi_id)
             ORDER BY CASE WHEN newest THEN s.created_at END DESC, CASE WHEN newest THEN s.agent_id END DESC,
                      CASE WHEN NOT newest THEN s.created_at END, CASE WHEN NOT newest THEN s.agent_id END
             LIMIT walk) e
     WHERE CASE WHEN e.hidden AND include_hidden IS NOT TRUE THEN false
                WHEN EXISTS (SELECT FROM unnest(wanted) w(tag)
                              WHERE NOT EXISTS (SELECT FROM @extschema@.letta_agents_tags s
                                                 WHERE s.organization_id = org AND s.tag = w.tag COLLATE "C"
                                                   AND s.created_at = e.created_at AND s.agent_id = e.agent_id))
                THEN false
                WHEN _letta_all_tags_page.name IS NULL AND query_text IS NULL AND _letta_all_tags_page.project_id IS NULL
                 AND exclude_tags IS NULL AND all_tags IS NULL AND with_metadata IS NULL
                THEN true
                ELSE (SELECT @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, _letta_all_tags_page.name, query_text,
                                                           _letta_all_tags_page.project_id, true, a.metadata, exclude_tags, all_tags, with_metadata)
                        FROM @extschema@.letta_agents a WHERE a.organization_id = org AND a.id = e.agent_id) END
     ORDER BY CASE WHEN newest THEN e.created_at END DESC, CASE WHEN newest THEN e.agent_id END DESC,
              CASE WHEN NOT newest THEN e.created_at END, CASE WHEN NOT newest THEN e.agent_id END
     LIMIT n;
END
$$;

CREATE FUNCTION _letta_citus_two_tags_page(org uuid, driver text, other text, lo_at timestamptz, lo_id uuid,
                                           hi_at timestamptz, hi_id uuid, newest boolean, walk integer, n integer,
                                           name text, query_text text, project_id text, include_hidden boolean,
                                           exclude_tags text[], all_tags text[], with_metadata jsonb)
RETURNS TABLE (created_at timestamptz, id uuid)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
#variable_conflict use_column
BEGIN
RETURN QUERY
    SELECT e.created_at, e.agent_id
      FROM (SELECT s.created_at, s.agent_id, s.hidden  -- _letta_tag_entries' walk, written out (below)
              FROM @extschema@.letta_agents_tags s
             WHERE s.organization_id = org AND s.tag = driver COLLATE "C"
               AND (s.created_at, s.agent_id) > (lo_at, lo_id) AND (s.created_at, s.agent_id) < (hi_at, hi_id)
             ORDER BY CASE WHEN newest THEN s.created_at END DESC, CASE WHEN newest THEN s.agent_id END DESC,
                      CASE WHEN NOT newest THEN s.created_at END, CASE WHEN NOT newest THEN s.agent_id END
             LIMIT walk) e
     WHERE (include_hidden IS TRUE OR NOT e.hidden)
       AND EXISTS (SELECT FROM @extschema@.letta_agents_tags s
                    WHERE s.organization_id = org AND s.tag = other COLLATE "C"
                      AND s.created_at = e.created_at AND s.agent_id = e.agent_id)
       AND ((_letta_two_tags_page.name IS NULL AND query_text IS NULL AND _letta_two_tags_page.project_id IS NULL
                 AND exclude_tags IS NULL AND all_tags IS NULL AND with_metadata IS NULL)
            OR (SELECT @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, _letta_two_tags_page.name, query_text,
                                                     _letta_two_tags_page.project_id, true, a.metadata, exclude_tags, all_tags, with_metadata)
                  FROM @extschema@.letta_agents a WHERE a.organization_id = org AND a.id = e.agent_id))
     ORDER BY CASE WHEN newest THEN e.created_at END DESC, CASE WHEN newest THEN e.agent_id END DESC,
              CASE WHEN NOT newest THEN e.created_at END, CASE WHEN NOT newest THEN e.agent_id END
     LIMIT n;
END
$$;

CREATE FUNCTION _letta_citus_recent_page(org uuid, lo_at timestamptz, lo_id uuid,
                                         hi_at timestamptz, hi_id uuid, newest boolean, n integer,
                                         name text, query_text text, project_id text, include_hidden boolean,
                                         exclude_tags text[], all_tags text[], with_metadata jsonb)
RETURNS TABLE (created_at timestamptz, id uuid)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
#variable_conflict use_column
BEGIN
RETURN QUERY
    SELECT a.created_at, a.id
      FROM @extschema@.letta_agents a
     WHERE a.organization_id = org
       AND (a.created_at, a.id) > (lo_at, lo_id) AND (a.created_at, a.id) < (hi_at, hi_id)
       AND (SELECT @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, _letta_recent_page.name, query_text,
                                                 _letta_recent_page.project_id, include_hidden, a.metadata, exclude_tags, all_tags, with_metadata))
     ORDER BY CASE WHEN newest THEN a.created_at END DESC, CASE WHEN newest THEN a.id END DESC,
              CASE WHEN NOT newest THEN a.created_at END, CASE WHEN NOT newest THEN a.id END
     LIMIT n;
END
$$;

CREATE FUNCTION _letta_citus_recent_identities(org uuid, lo_at timestamptz, lo_id uuid,
                                               hi_at timestamptz, hi_id uuid, newest boolean, n integer,
                                               name text, project_id text, identifier_key text,
                                               identity_type text, property jsonb)
RETURNS TABLE (created_at timestamptz, id uuid)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
#variable_conflict use_column
BEGIN
RETURN QUERY
    SELECT i.created_at, i.id
      FROM @extschema@.letta_identities i
     WHERE i.organization_id = org
       AND (i.created_at, i.id) > (lo_at, lo_id) AND (i.created_at, i.id) < (hi_at, hi_id)
       AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, _letta_recent_identities.name, _letta_recent_identities.project_id,
                                            _letta_recent_identities.identifier_key,
                                            _letta_recent_identities.identity_type, property)
     ORDER BY CASE WHEN newest THEN i.created_at END DESC, CASE WHEN newest THEN i.id END DESC,
              CASE WHEN NOT newest THEN i.created_at END, CASE WHEN NOT newest THEN i.id END
     LIMIT n;
END
$$;

CREATE FUNCTION _letta_citus_recent_blocks(org uuid, lo_at timestamptz, lo_id uuid, hi_at timestamptz, hi_id uuid,
                                           newest boolean, n integer, by_label boolean, label text, label_search text,
                                           value_search text, description_search text, project_id text,
                                           tags text[], match_all_tags boolean, include_hidden boolean,
                                           cap integer, gt integer, lt integer, eq integer[])
RETURNS TABLE (created_at timestamptz, id uuid)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
#variable_conflict use_column
BEGIN
RETURN QUERY
    SELECT b.created_at, b.id
      FROM @extschema@.letta_blocks b
     WHERE b.organization_id = org AND (NOT by_label OR b.label = _letta_recent_blocks.label)
       AND (b.created_at, b.id) > (lo_at, lo_id) AND (b.created_at, b.id) < (hi_at, hi_id)
       -- (The filters in a subquery: a generic plan estimates "NULL or ..." filters as nearly
       -- never true, would cost the walk as a scan of every block, and compile it with JIT.)
       AND (SELECT @extschema@._letta_block_kept(b.label, b.value, b.description, b.project_id, b.hidden, b.tags,
                                                 NULL, label_search, value_search, description_search,
                                                 _letta_recent_blocks.project_id, _letta_recent_blocks.tags,
                                                 match_all_tags, include_hidden)
                   AND (cap IS NULL OR @extschema@._letta_agents_count_kept(
                            (SELECT count(*) FROM (SELECT FROM @extschema@.letta_blocks_agents l
                                                    WHERE l.organization_id = org AND l.block_id = b.id LIMIT cap) c),
                            gt, lt, eq)))
     ORDER BY CASE WHEN newest THEN b.created_at END DESC, CASE WHEN newest THEN b.id END DESC,
              CASE WHEN NOT newest THEN b.created_at END, CASE WHEN NOT newest THEN b.id END
     LIMIT n;
END
$$;

CREATE FUNCTION _letta_use_citus_variants()
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    variant regprocedure;
    name    text;  -- X of _letta_citus_X
    args    text;  -- its arguments, as a signature has them
    types   text;  -- their types alone
BEGIN
    FOR variant, name, args, types IN
        SELECT p.oid::regprocedure, substr(p.proname, length('_letta_citus_') + 1),
               pg_catalog.pg_get_function_identity_arguments(p.oid), pg_catalog.oidvectortypes(p.proargtypes)
          FROM pg_catalog.pg_proc p
          JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
         WHERE d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'letta_identity')
           AND p.proname LIKE '\_letta\_citus\_%'
    LOOP
        -- (An update re-creates both forms under their install names: the one-node form an
        -- earlier switch renamed goes.)
        IF pg_catalog.to_regprocedure(format('@extschema@.%I(%s)', '_letta_one_node_' || name, types)) IS NOT NULL THEN
            EXECUTE format('DROP FUNCTION @extschema@.%I(%s)', '_letta_one_node_' || name, args);
        END IF;
        EXECUTE format('ALTER FUNCTION @extschema@.%I(%s) RENAME TO %I', '_letta_' || name, args, '_letta_one_node_' || name);
        EXECUTE format('ALTER FUNCTION %s RENAME TO %I', variant, '_letta_' || name);
    END LOOP;
END
$$;

CREATE FUNCTION letta_distribute(shard_count integer DEFAULT NULL)
RETURNS regclass[]
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tables regclass[] := @extschema@._letta_tenant_tables();
    t      regclass;
    level  text;
BEGIN
    IF shard_count < 1 THEN
        RAISE EXCEPTION 'shard_count must be positive, got %', shard_count USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'Citus is not installed in this database'
              USING ERRCODE = 'object_not_in_prerequisite_state',
                    HINT = 'On a Citus coordinator with its workers added: CREATE EXTENSION citus, then SELECT letta_distribute().';
    END IF;
    IF cardinality(@extschema@._letta_distributed_tables()) > 0 THEN
        RAISE EXCEPTION 'letta_identity''s tables are already distributed'
              USING ERRCODE = 'object_not_in_prerequisite_state',
                    DETAIL = format('Citus manages %s.', array_to_string(@extschema@._letta_distributed_tables(), ', ')),
                    HINT = 'Call letta_distribute() once per database.';
    END IF;
    -- The ordered tag index is kept by triggers on letta_agents; on Citus they run on the
    -- worker beside the shard they watch, writing the colocated shard of letta_agents_tags.
    PERFORM @extschema@._letta_prepare_for_citus();
    PERFORM pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);
    -- One connection per worker: the shards' triggers, copying the agents there, look up the tag
    -- index's shards in the metadata this transaction wrote on that connection (in parallel, a
    -- second connection would not see it yet).
    PERFORM pg_catalog.set_config('citus.multi_shard_modify_mode', 'sequential', true);
    -- Roles that name their organization per transaction (SET LOCAL) need it on the workers too.
    EXECUTE format('ALTER DATABASE %I SET citus.propagate_set_commands = local', current_database());
    -- (Citus's notices that the local rows are still on disk are left out: they are freed below.)
    level := pg_catalog.current_setting('client_min_messages');
    PERFORM pg_catalog.set_config('client_min_messages', 'warning', true);
    -- Every node reads the role bindings and which roles act for end users: _letta_org() and
    -- _letta_end_user() run where the policies run.
    EXECUTE 'SELECT pg_catalog.create_reference_table($1)' USING '@extschema@.letta_role_organizations'::regclass;
    EXECUTE 'SELECT pg_catalog.create_reference_table($1)' USING '@extschema@.letta_role_end_users'::regclass;
    -- The tag index is derived from the agents: distributed empty, before letta_agents, it is
    -- filled again on the shards by its triggers as Citus copies the agents there.
    TRUNCATE @extschema@.letta_agents_tags;
    -- The first in a colocation group of its own, with shard_count shards; the others beside it.
    EXECUTE 'SELECT pg_catalog.create_distributed_table($1, ''organization_id'', colocate_with => ''none'', shard_count => $2)'
      USING tables[1], shard_count;
    FOREACH t IN ARRAY tables[2:] LOOP
        EXECUTE 'SELECT pg_catalog.create_distributed_table($1, ''organization_id'', colocate_with => $2)'
          USING t, tables[1]::text;
    END LOOP;
    -- Citus keeps, unseen, the coordinator's own copy of the rows it moved to the shards: the
    -- space is freed (referencing tables first; Citus's notices that a truncation cascades to
    -- tables already empty are left out too).
    FOR t IN SELECT u.t FROM unnest('{@extschema@.letta_role_organizations, @extschema@.letta_role_end_users}'::regclass[] || tables)
                             WITH ORDINALITY u(t, n)
              ORDER BY u.n DESC LOOP
        EXECUTE 'SELECT pg_catalog.truncate_local_data_after_distributing_table($1)' USING t;
    END LOOP;
    PERFORM pg_catalog.set_config('client_min_messages', level, true);
    -- The Citus variants take their originals' names last: renamed before the tables are
    -- distributed, Citus would carry the renames to the workers first, and the shards' copy of
    -- the agents would not find the tag index's shards there.
    PERFORM @extschema@._letta_use_citus_variants();
    RETURN @extschema@._letta_distributed_tables();
END
$$;

COMMENT ON FUNCTION letta_distribute(integer) IS
'Administrators, on a Citus coordinator: distribute the tables by organization (colocated, shard_count shards or Citus''s default; the role bindings and end-user requirements reference tables) and make the database propagate SET LOCAL to the workers; returns the tables Citus now manages.';

CREATE FUNCTION letta_drop_distributed_tables()
RETURNS regclass[]
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    managed regclass[] := @extschema@._letta_distributed_tables();
    t       regclass;
BEGIN
    IF cardinality(managed) = 0 THEN
        RAISE EXCEPTION 'letta_identity''s tables are not distributed'
              USING ERRCODE = 'object_not_in_prerequisite_state',
                    HINT = 'Without Citus, DROP EXTENSION letta_identity drops everything.';
    END IF;
    -- Shards that a move or a split left for Citus to drop later (after
    -- isolate_tenant_to_new_shard, say) go first: DROP EXTENSION would find them on a worker.
    EXECUTE 'CALL pg_catalog.citus_cleanup_orphaned_resources()';
    -- A table before the tables it references, as Citus's own drop trigger does for a dropped
    -- table: the metadata on the workers, the shards on every node, the coordinator's metadata.
    -- The tables stay, empty and local, for DROP EXTENSION.
    FOR t IN SELECT u.t
               FROM unnest('{@extschema@.letta_role_organizations, @extschema@.letta_role_end_users}'::regclass[]
                           || @extschema@._letta_tenant_tables())
                    WITH ORDINALITY u(t, n)
              WHERE u.t = ANY (managed)
              ORDER BY u.n DESC LOOP
        EXECUTE 'SELECT pg_catalog.master_remove_distributed_table_metadata_from_workers($1, $2, $3)'
          USING t, '@extschema@', t::text;
        EXECUTE 'SELECT pg_catalog.citus_drop_all_shards($1, $2, $3)' USING t, '@extschema@', t::text;
        EXECUTE 'SELECT pg_catalog.master_remove_partition_metadata($1, $2, $3)' USING t, '@extschema@', t::text;
    END LOOP;
    EXECUTE format('ALTER DATABASE %I RESET citus.propagate_set_commands', current_database());
    RETURN managed;
END
$$;

COMMENT ON FUNCTION letta_drop_distributed_tables() IS
'Administrators, on a Citus coordinator, before DROP EXTENSION letta_identity: drop the shards of the tables on every node (their rows are gone), leaving them local and empty; returns the tables that were distributed.';
