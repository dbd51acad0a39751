-- letta_identity: shaping rows. Letta's text ids and the link arrays, inlined into every
-- read; one row by id for the writes to return.
--
-- Conventions of every API file (rows.sql, links.sql, tags.sql, identities.sql, agents.sql,
-- blocks.sql, pages.sql, tenancy.sql): reads are PL/pgSQL with plan_cache_mode =
-- force_generic_plan, each statement of a fixed shape and naming the organization as a value:
-- planned once per connection in either protocol (an inlined SQL body is planned at every
-- simple-protocol call), and routable to one shard on a distributed table. Where the right
-- plan depends on which filters are given, the function chooses among fixed-shape statements.
-- Small SQL helpers (row shaping, filters, ordered scans) are inlined into those statements;
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


CREATE FUNCTION _letta_identity_out(i @extschema@.letta_identities)
RETURNS SETOF @extschema@.letta_identity
LANGUAGE sql STABLE PARALLEL RESTRICTED ROWS 1
AS $$
    SELECT 'identity-' || i.id,
           i.identifier_key,
           i.name,
           i.identity_type,
           i.project_id,
           ARRAY(SELECT 'agent-' || l.agent_id
                   FROM @extschema@.letta_identities_agents l
                  WHERE l.organization_id = i.organization_id AND l.identity_id = i.id
                  ORDER BY l.agent_id),
           ARRAY(SELECT 'block-' || l.block_id
                   FROM @extschema@.letta_identities_blocks l
                  WHERE l.organization_id = i.organization_id AND l.identity_id = i.id
                  ORDER BY l.block_id),
           'org-' || i.organization_id,
           i.properties,
           i.created_at,
           i.updated_at
$$;

CREATE FUNCTION _letta_agent_out(a @extschema@.letta_agents)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE sql STABLE PARALLEL RESTRICTED ROWS 1
AS $$
    SELECT 'agent-' || a.id,
           a.name,
           a.tags,
           ARRAY(SELECT 'identity-' || l.identity_id
                   FROM @extschema@.letta_identities_agents l
                  WHERE l.organization_id = a.organization_id AND l.agent_id = a.id
                  ORDER BY l.identity_id),
           a.project_id,
           'org-' || a.organization_id,
           a.model,
           a.embedding,
           a.context_window_limit,
           a.memory_blocks,
           a.metadata,
           a.hidden,
           a.created_at,
           a.updated_at
$$;

CREATE FUNCTION _letta_block_out(b @extschema@.letta_blocks)
RETURNS SETOF @extschema@.letta_block
LANGUAGE sql STABLE PARALLEL RESTRICTED ROWS 1
AS $$
    SELECT 'block-' || b.id,
           b.label,
           b.value,
           b."limit",
           b.description,
           b.metadata,
           ARRAY(SELECT 'identity-' || l.identity_id
                   FROM @extschema@.letta_identities_blocks l
                  WHERE l.organization_id = b.organization_id AND l.block_id = b.id
                  ORDER BY l.identity_id),
           'org-' || b.organization_id,
           b.created_at,
           b.updated_at
$$;

-- One row by id, for the write functions to return (and the get functions to check).
CREATE FUNCTION _letta_identity_row(org uuid, identity uuid)
RETURNS SETOF @extschema@.letta_identity
LANGUAGE sql STABLE PARALLEL RESTRICTED ROWS 1
AS $$
    SELECT o.*
      FROM @extschema@.letta_identities i
     CROSS JOIN LATERAL @extschema@._letta_identity_out(i) o
     WHERE i.organization_id = org AND i.id = identity
$$;

CREATE FUNCTION _letta_agent_row(org uuid, agent uuid)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE sql STABLE PARALLEL RESTRICTED ROWS 1
AS $$
    SELECT o.*
      FROM @extschema@.letta_agents a
     CROSS JOIN LATERAL @extschema@._letta_agent_out(a) o
     WHERE a.organization_id = org AND a.id = agent
$$;

CREATE FUNCTION _letta_block_row(org uuid, block uuid)
RETURNS SETOF @extschema@.letta_block
LANGUAGE sql STABLE PARALLEL RESTRICTED ROWS 1
AS $$
    SELECT o.*
      FROM @extschema@.letta_blocks b
     CROSS JOIN LATERAL @extschema@._letta_block_out(b) o
     WHERE b.organization_id = org AND b.id = block
$$;
