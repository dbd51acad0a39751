-- letta_identity: shaping rows. Letta's text ids and the link arrays, expanded into every
-- read and into what the writes return.
--
-- Conventions of every API file (rows.sql, links.sql, tags.sql, identities.sql, agents.sql,
-- blocks.sql, pages.sql, tenancy.sql): reads are PL/pgSQL with plan_cache_mode =
-- force_generic_plan, each statement of a fixed shape and naming the organization as a value:
-- planned once per connection in either protocol (an inlined SQL body is planned at every
-- simple-protocol call), and routable to one shard on a distributed table. Where the right
-- plan depends on which filters are given, the function chooses among fixed-shape statements.
-- Row shaping is a view per table; small SQL helpers (filters, ordered scans) are inlined;
-- a helper given a constant (newest) folds its CASE branches into the order of an index.
-- Writes are plpgsql: several statements, each error with its own SQLSTATE, all or nothing.
-- Every table and helper is qualified with @extschema@, so neither the caller's search_path
-- nor a temporary table of the same name changes what a function reads. Parameters that
-- share a column's name are qualified with the function's.
--
-- The current organization is _letta_org(), in Rust (src/organization.rs): the role's binding
-- resolved against the setting letta.organization_id, once per statement. It is PARALLEL
-- RESTRICTED (whether the setting was set in this transaction is not passed to parallel
-- workers), and so is every function that calls it or reads the tables, whose row-level
-- security policies call it: they run in the leader.


-- The rows as callers see them, as views: a statement that reads one is still one statement
-- over the tables (the planner expands the view, the link arrays become subqueries of the
-- statement); a SQL function taking a row, or reading a table, is refused by Citus.
-- security_invoker: the caller's privileges and row-level security. (On Citus,
-- _letta_prepare_for_citus in citus.sql replaces them with joins grouped by the row's key,
-- which Citus routes to one shard; on one node those cost a sort and an aggregate per call.)
-- An identity as an agent's identities shows it (Letta 1.0's AgentState.identities): every field
-- of Letta's Identity, agent_ids and block_ids empty as Letta's are (the identity's own row,
-- letta_get_identity, has its links; reading them per identity here cost a Citus list 45%).
-- STABLE as jsonb_build_object is, so that the planner inlines it: a SQL function it does not
-- inline is run by fmgr_sql, which reads and plans its body again in every statement that calls
-- it (catalog.sql checks that every such helper is inlined).
CREATE FUNCTION _letta_identity_object(id uuid, identifier_key text, name text, identity_type text,
                                       project_id text, organization_id uuid, properties jsonb)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
RETURN jsonb_build_object('id', 'identity-' || id::text, 'identifier_key', identifier_key, 'name', name,
                          'identity_type', identity_type, 'project_id', project_id,
                          'agent_ids', '[]'::jsonb, 'block_ids', '[]'::jsonb,
                          'organization_id', 'org-' || organization_id::text, 'properties', properties);

-- A block as an agent's memory_blocks shows it: Letta's block fields, without its links
-- (STABLE, to be inlined, as _letta_identity_object).
CREATE FUNCTION _letta_memory_block(id uuid, label text, value text, block_limit integer,
                                    description text, metadata jsonb, read_only boolean)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
RETURN jsonb_build_object('id', 'block-' || id::text, 'label', label, 'value', value,
                          'limit', block_limit, 'description', description,
                          'metadata', metadata, 'read_only', read_only);

CREATE VIEW _letta_identities_shown WITH (security_invoker = true) AS
SELECT i.organization_id, i.id, i.created_at,
       ROW('identity-' || i.id::text,
           i.identifier_key,
           i.name,
           i.identity_type,
           i.project_id,
           ARRAY(SELECT 'agent-' || l.agent_id::text
                   FROM @extschema@.letta_identities_agents l
                  WHERE l.organization_id = i.organization_id AND l.identity_id = i.id
                  ORDER BY l.agent_id),
           ARRAY(SELECT 'block-' || l.block_id::text
                   FROM @extschema@.letta_identities_blocks l
                  WHERE l.organization_id = i.organization_id AND l.identity_id = i.id
                  ORDER BY l.block_id),
           'org-' || i.organization_id::text,
           i.properties,
           i.created_at,
           i.updated_at)::@extschema@.letta_identity AS shown
  FROM @extschema@.letta_identities i;
COMMENT ON VIEW _letta_identities_shown IS 'Identities as the functions return them (shown), by organization and id.';
-- The view's rows of these identities of an organization, as _letta_agent_rows for agents (on
-- Citus, _letta_citus_identity_rows takes its name).
CREATE FUNCTION _letta_identity_rows(org uuid, ids uuid[])
RETURNS SETOF @extschema@._letta_identities_shown
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT v.* FROM @extschema@._letta_identities_shown v WHERE v.organization_id = org AND v.id = ANY (ids)
$$;

CREATE VIEW _letta_agents_shown WITH (security_invoker = true) AS
SELECT a.organization_id, a.id, a.created_at, a.hidden,
       ROW('agent-' || a.id::text,
           a.name,
           a.tags,
           ARRAY(SELECT 'identity-' || l.identity_id::text
                   FROM @extschema@.letta_identities_agents l
                  WHERE l.organization_id = a.organization_id AND l.agent_id = a.id
                  ORDER BY l.identity_id),
           a.project_id,
           'org-' || a.organization_id::text,
           a.model,
           a.embedding,
           a.context_window_limit,
           NULL::jsonb,  -- memory_blocks: the column memory, where it is asked for
           a.metadata,
           a.hidden,
           a.created_at,
           a.updated_at,
           NULL::jsonb)::@extschema@.letta_agent AS shown,  -- identities: the column identities
       -- Its memory: the blocks linked to it, as Letta's blocks, oldest first. A column of its
       -- own: a query that does not read it does not compute it (a probe and a sort per agent,
       -- 35% of a list's time at 1M agents).
       (SELECT coalesce(jsonb_agg(@extschema@._letta_memory_block(b.id, b.label, b.value, b."limit", b.description,
                                                                  b.metadata, b.read_only)
                                  ORDER BY b.created_at, b.id), '[]')
          FROM @extschema@.letta_blocks_agents l
          JOIN @extschema@.letta_blocks b ON b.organization_id = l.organization_id AND b.id = l.block_id
         WHERE l.organization_id = a.organization_id AND l.agent_id = a.id) AS memory,
       -- Its identities, whole (Letta 1.0), in identity_ids' order: read only where asked, too.
       (SELECT coalesce(jsonb_agg(@extschema@._letta_identity_object(i.id, i.identifier_key, i.name, i.identity_type,
                                                                      i.project_id, i.organization_id, i.properties)
                                  ORDER BY i.id), '[]')
          FROM @extschema@.letta_identities_agents l
          JOIN @extschema@.letta_identities i ON i.organization_id = l.organization_id AND i.id = l.identity_id
         WHERE l.organization_id = a.organization_id AND l.agent_id = a.id) AS identities
  FROM @extschema@.letta_agents a;
COMMENT ON VIEW _letta_agents_shown IS 'Agents as the functions return them (shown, memory_blocks and identities NULL), by organization and id, with their memory (memory) and identities (identities).';

-- The view's rows of these agents of an organization: what every read of agents goes through.
-- SQL, inlined into the caller's statement (the view, filtered); on Citus,
-- _letta_citus_agent_rows takes its name (citus.sql).
CREATE FUNCTION _letta_agent_rows(org uuid, ids uuid[])
RETURNS SETOF @extschema@._letta_agents_shown
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT v.* FROM @extschema@._letta_agents_shown v WHERE v.organization_id = org AND v.id = ANY (ids)
$$;

-- An agent with its memory_blocks and identities set (the view's shown, memory and identities
-- made one row); NULL leaves a field NULL.
CREATE FUNCTION _letta_agent_with(agent @extschema@.letta_agent, memory jsonb, identities jsonb)
RETURNS @extschema@.letta_agent
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    agent.memory_blocks := memory;
    agent.identities := identities;
    RETURN agent;
END
$$;

CREATE VIEW _letta_blocks_shown WITH (security_invoker = true) AS
SELECT b.organization_id, b.id, b.created_at,
       ROW('block-' || b.id::text,
           b.label,
           b.value,
           b."limit",
           b.description,
           b.metadata,
           ARRAY(SELECT 'identity-' || l.identity_id::text
                   FROM @extschema@.letta_identities_blocks l
                  WHERE l.organization_id = b.organization_id AND l.block_id = b.id
                  ORDER BY l.identity_id),
           'org-' || b.organization_id::text,
           b.created_at,
           b.updated_at,
           b.read_only,
           b.project_id,
           b.hidden,
           b.tags)::@extschema@.letta_block AS shown
  FROM @extschema@.letta_blocks b;
COMMENT ON VIEW _letta_blocks_shown IS 'Blocks as the functions return them (shown), by organization and id.';
-- The view's rows of these blocks of an organization, as _letta_agent_rows for agents (on
-- Citus, _letta_citus_block_rows takes its name).
CREATE FUNCTION _letta_block_rows(org uuid, ids uuid[])
RETURNS SETOF @extschema@._letta_blocks_shown
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT v.* FROM @extschema@._letta_blocks_shown v WHERE v.organization_id = org AND v.id = ANY (ids)
$$;
