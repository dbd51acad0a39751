-- letta_identity: the SQL API. Runs after schema.sql and the Rust helpers (_letta_*).
--
-- Reads are LANGUAGE sql, STABLE, not STRICT: PostgreSQL inlines them into the caller's
-- query, so the planner sees the argument values (tag filters then use the GIN index, and
-- CASE WHEN <constant> branches fold away). Writes are plpgsql: several statements, each error
-- with its own SQLSTATE, all or nothing. Every table and helper is qualified with @extschema@,
-- so neither the caller's search_path nor a temporary table of the same name changes what a
-- function reads. Parameters that share a column's name are qualified with the function's.
--
-- The current organization is _letta_org(), in Rust (src/organization.rs): the role's binding
-- resolved against the setting letta.organization_id, once per statement. It is PARALLEL
-- RESTRICTED (whether the setting was set in this transaction is not passed to parallel
-- workers), and so is every function that calls it or reads the tables, whose row-level
-- security policies call it: they run in the leader.
--
-- Sections: shaping rows, checks and links, identities, agents, tags,
-- blocks, pages, and last tenancy: row-level security, privileges and role bindings.

---------------------------------------------------------------------------------------------
-- Shaping rows: Letta's text ids and the link arrays. Inlined into every read.
---------------------------------------------------------------------------------------------

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

---------------------------------------------------------------------------------------------
-- Checks and links
---------------------------------------------------------------------------------------------

-- Lock the named rows of one kind against deletion (in id order, so concurrent callers cannot
-- deadlock on each other) and fail with P0002 naming the first one missing from this
-- organization. kind is 'identity', 'agent' or 'block'.
CREATE FUNCTION _letta_require(org uuid, kind text, ids uuid[])
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    missing uuid;
BEGIN
    IF cardinality(ids) = 0 THEN
        RETURN;
    ELSIF kind = 'identity' THEN
        SELECT x INTO missing FROM unnest(ids) x
          LEFT JOIN (SELECT r.id FROM @extschema@.letta_identities r
                      WHERE r.organization_id = org AND r.id = ANY (ids)
                      ORDER BY r.id FOR KEY SHARE) found ON found.id = x
         WHERE found.id IS NULL LIMIT 1;
    ELSIF kind = 'agent' THEN
        SELECT x INTO missing FROM unnest(ids) x
          LEFT JOIN (SELECT r.id FROM @extschema@.letta_agents r
                      WHERE r.organization_id = org AND r.id = ANY (ids)
                      ORDER BY r.id FOR KEY SHARE) found ON found.id = x
         WHERE found.id IS NULL LIMIT 1;
    ELSE
        SELECT x INTO missing FROM unnest(ids) x
          LEFT JOIN (SELECT r.id FROM @extschema@.letta_blocks r
                      WHERE r.organization_id = org AND r.id = ANY (ids)
                      ORDER BY r.id FOR KEY SHARE) found ON found.id = x
         WHERE found.id IS NULL LIMIT 1;
    END IF;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION '% "%-%" not found', kind, kind, missing USING ERRCODE = 'no_data_found';
    END IF;
END
$$;

-- Guard for reads: true, or P0002 if the row is not in this organization.
CREATE FUNCTION _letta_exists(org uuid, kind text, id uuid)
RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
BEGIN
    IF (kind = 'identity' AND NOT EXISTS (SELECT FROM @extschema@.letta_identities r
                                          WHERE r.organization_id = org AND r.id = _letta_exists.id))
       OR (kind = 'agent' AND NOT EXISTS (SELECT FROM @extschema@.letta_agents r
                                          WHERE r.organization_id = org AND r.id = _letta_exists.id))
       OR (kind = 'block' AND NOT EXISTS (SELECT FROM @extschema@.letta_blocks r
                                          WHERE r.organization_id = org AND r.id = _letta_exists.id)) THEN
        RAISE EXCEPTION '% "%-%" not found', kind, kind, id USING ERRCODE = 'no_data_found';
    END IF;
    RETURN true;
END
$$;

-- A pagination cursor's created_at: the row of this kind ('identity' or 'agent') with this id
-- in this organization, or P0002. The lists call it as (SELECT ...): once per query.
CREATE FUNCTION _letta_cursor_at(kind text, cursor text, arg text)
RETURNS timestamptz
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    org    uuid := @extschema@._letta_org();
    wanted uuid := @extschema@._letta_uuid(cursor, kind, arg);
    at     timestamptz;
BEGIN
    IF kind = 'identity' THEN
        SELECT r.created_at INTO at FROM @extschema@.letta_identities r
         WHERE r.organization_id = org AND r.id = wanted;
    ELSE
        SELECT r.created_at INTO at FROM @extschema@.letta_agents r
         WHERE r.organization_id = org AND r.id = wanted;
    END IF;
    IF at IS NULL THEN
        RAISE EXCEPTION '% cursor "%" not found', arg, cursor USING ERRCODE = 'no_data_found';
    END IF;
    RETURN at;
END
$$;

-- The agents linked to any identity with one of identifier_keys, or (identifier_keys NULL) to
-- identity. The reads call it once per query as (SELECT ...) and probe the primary key with the
-- result. PL/pgSQL with a generic plan, which is always right here (unique key, then links):
-- planned once per session, where the same query inlined into every read was analyzed, with
-- its row-level security, at every call.
CREATE FUNCTION _letta_linked_agents(identifier_keys text[], identity uuid)
RETURNS uuid[]
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    IF identifier_keys IS NULL THEN
        RETURN ARRAY(SELECT l.agent_id
                       FROM @extschema@.letta_identities_agents l
                      WHERE l.organization_id = @extschema@._letta_org() AND l.identity_id = identity);
    END IF;
    RETURN ARRAY(SELECT l.agent_id
                   FROM @extschema@.letta_identities i
                   JOIN @extschema@.letta_identities_agents l
                     ON l.organization_id = i.organization_id AND l.identity_id = i.id
                  WHERE i.organization_id = @extschema@._letta_org()
                    AND i.identifier_key = ANY (identifier_keys));
END
$$;

-- Link every given identity to every given agent (or block); returns the number of new links.
CREATE FUNCTION _letta_link(org uuid, kind text, identity_ids uuid[], ids uuid[])
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    added integer;
BEGIN
    PERFORM @extschema@._letta_require(org, 'identity', identity_ids);
    PERFORM @extschema@._letta_require(org, kind, ids);
    IF kind = 'agent' THEN
        INSERT INTO @extschema@.letta_identities_agents (organization_id, identity_id, agent_id)
        SELECT org, i, x FROM unnest(identity_ids) i, unnest(ids) x
        ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO @extschema@.letta_identities_blocks (organization_id, identity_id, block_id)
        SELECT org, i, x FROM unnest(identity_ids) i, unnest(ids) x
        ON CONFLICT DO NOTHING;
    END IF;
    GET DIAGNOSTICS added = ROW_COUNT;
    RETURN added;
END
$$;

-- Remove the links between the given identities and agents (or blocks); returns how many.
CREATE FUNCTION _letta_unlink(org uuid, kind text, identity_ids uuid[], ids uuid[])
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    removed integer;
BEGIN
    PERFORM @extschema@._letta_require(org, 'identity', identity_ids);
    PERFORM @extschema@._letta_require(org, kind, ids);
    IF kind = 'agent' THEN
        DELETE FROM @extschema@.letta_identities_agents l
         WHERE l.organization_id = org AND l.identity_id = ANY (identity_ids) AND l.agent_id = ANY (ids);
    ELSE
        DELETE FROM @extschema@.letta_identities_blocks l
         WHERE l.organization_id = org AND l.identity_id = ANY (identity_ids) AND l.block_id = ANY (ids);
    END IF;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END
$$;

-- Make an identity's agents (or blocks) exactly these.
CREATE FUNCTION _letta_set_identity_links(org uuid, kind text, identity uuid, ids uuid[])
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM @extschema@._letta_require(org, kind, ids);
    IF kind = 'agent' THEN
        DELETE FROM @extschema@.letta_identities_agents l
         WHERE l.organization_id = org AND l.identity_id = identity AND l.agent_id <> ALL (ids);
    ELSE
        DELETE FROM @extschema@.letta_identities_blocks l
         WHERE l.organization_id = org AND l.identity_id = identity AND l.block_id <> ALL (ids);
    END IF;
    PERFORM @extschema@._letta_link(org, kind, ARRAY[identity], ids);
END
$$;

---------------------------------------------------------------------------------------------
-- Organization
---------------------------------------------------------------------------------------------

CREATE FUNCTION letta_current_organization()
RETURNS text
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$ SELECT 'org-' || @extschema@._letta_org() $$;

COMMENT ON FUNCTION letta_current_organization() IS
'The organization every letta_* function works in: the role''s binding; for a role allowed to switch, letta.organization_id as set in this transaction; for a superuser, letta.organization_id (default Letta''s default org).';

---------------------------------------------------------------------------------------------
-- Identities
---------------------------------------------------------------------------------------------

CREATE FUNCTION letta_create_identity(
    identifier_key text,
    name           text,
    identity_type  text   DEFAULT 'user',
    project_id     text   DEFAULT NULL,
    agent_ids      text[] DEFAULT '{}',
    properties     jsonb  DEFAULT '[]',
    block_ids      text[] DEFAULT '{}'
)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org    uuid   := @extschema@._letta_org();
    agents uuid[] := @extschema@._letta_uuids(agent_ids, 'agent', 'agent_ids');
    blocks uuid[] := @extschema@._letta_uuids(block_ids, 'block', 'block_ids');
    new_id uuid   := gen_random_uuid();
    result @extschema@.letta_identity;
BEGIN
    -- As letta_create_agent: the result is built from what was written, not read back.
    INSERT INTO @extschema@.letta_identities AS i
           (organization_id, id, identifier_key, name, identity_type, project_id, properties)
    VALUES (org, new_id,
            @extschema@._letta_required(identifier_key, 'identifier_key'),
            @extschema@._letta_required(name, 'name'),
            @extschema@._letta_identity_type(identity_type),
            @extschema@._letta_project_id(project_id),
            @extschema@._letta_properties(properties))
    ON CONFLICT ON CONSTRAINT letta_identities_key_unique DO NOTHING
    RETURNING 'identity-' || i.id, i.identifier_key, i.name, i.identity_type, i.project_id,
              ARRAY(SELECT 'agent-' || x FROM unnest(agents) x),
              ARRAY(SELECT 'block-' || x FROM unnest(blocks) x),
              'org-' || i.organization_id, i.properties, i.created_at, i.updated_at
         INTO result;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'identity with identifier_key "%" already exists in %', identifier_key,
              coalesce('project "' || project_id || '"', 'no project')
              USING ERRCODE = 'unique_violation';
    END IF;
    IF cardinality(agents) > 0 THEN
        PERFORM @extschema@._letta_link(org, 'agent', ARRAY[new_id], agents);
    END IF;
    IF cardinality(blocks) > 0 THEN
        PERFORM @extschema@._letta_link(org, 'block', ARRAY[new_id], blocks);
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_create_identity(text, text, text, text, text[], jsonb, text[]) IS
'Create an identity (one of the app''s users or orgs) in the current organization, linked to agent_ids and block_ids. 23505 if identifier_key exists in the project.';

CREATE FUNCTION letta_get_identity(identity_id text)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    result @extschema@.letta_identity;
BEGIN
    SELECT * INTO result FROM @extschema@._letta_identity_row(
        (SELECT @extschema@._letta_org()), @extschema@._letta_uuid(identity_id, 'identity', 'identity_id'));
    IF NOT FOUND THEN
        RAISE EXCEPTION 'identity "%" not found', identity_id USING ERRCODE = 'no_data_found';
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_get_identity(text) IS
'The identity with this id in the current organization; P0002 if there is none.';

-- The identities matching the filters of letta_list_identities and letta_count_identities.
CREATE FUNCTION _letta_identities_matching(
    name text, project_id text, identifier_key text, identity_type text,
    property_key text, property_value jsonb)
RETURNS SETOF @extschema@.letta_identities
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT i.*
      FROM @extschema@.letta_identities i
     WHERE i.organization_id = (SELECT @extschema@._letta_org())
       AND (_letta_identities_matching.name IS NULL
            OR strpos(lower(i.name), lower(_letta_identities_matching.name)) > 0)
       AND (_letta_identities_matching.project_id IS NULL
            OR i.project_id = _letta_identities_matching.project_id)
       AND (_letta_identities_matching.identifier_key IS NULL
            OR i.identifier_key = _letta_identities_matching.identifier_key)
       AND (_letta_identities_matching.identity_type IS NULL
            OR i.identity_type = @extschema@._letta_identity_type(_letta_identities_matching.identity_type))
       AND (property_key IS NULL
            OR i.properties @> @extschema@._letta_property_filter(property_key, property_value))
$$;

CREATE FUNCTION letta_list_identities(
    name           text    DEFAULT NULL,
    project_id     text    DEFAULT NULL,
    identifier_key text    DEFAULT NULL,
    identity_type  text    DEFAULT NULL,
    property_key   text    DEFAULT NULL,
    property_value jsonb   DEFAULT NULL,
    before         text    DEFAULT NULL,
    after          text    DEFAULT NULL,
    page_size      integer DEFAULT 50,
    ascending      boolean DEFAULT false
)
RETURNS SETOF @extschema@.letta_identity
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    -- The page is fetched from the cursor outwards (reversed for a "before" page), then put
    -- in the order asked for. Constant CASEs fold, so the ORDER BY matches an index.
    SELECT page.* FROM (
        SELECT o.*
          FROM @extschema@._letta_identities_matching(name, project_id, identifier_key, identity_type,
                                                       property_key, property_value) i
         CROSS JOIN LATERAL @extschema@._letta_identity_out(i) o
         -- A cursor must exist even when no row is left to compare with it: checked once,
         -- before any row is read (a condition without columns is a one-time filter).
         WHERE (after IS NULL OR (SELECT @extschema@._letta_cursor_at('identity', after, 'after')) IS NOT NULL)
           AND (before IS NULL OR (SELECT @extschema@._letta_cursor_at('identity', before, 'before')) IS NOT NULL)
           AND (after IS NULL OR CASE WHEN ascending
               THEN (i.created_at, i.id) > (
                    (SELECT @extschema@._letta_cursor_at('identity', after, 'after')),
                    @extschema@._letta_uuid(after, 'identity', 'after'))
               ELSE (i.created_at, i.id) < (
                    (SELECT @extschema@._letta_cursor_at('identity', after, 'after')),
                    @extschema@._letta_uuid(after, 'identity', 'after')) END)
           AND (before IS NULL OR CASE WHEN ascending
               THEN (i.created_at, i.id) < (
                    (SELECT @extschema@._letta_cursor_at('identity', before, 'before')),
                    @extschema@._letta_uuid(before, 'identity', 'before'))
               ELSE (i.created_at, i.id) > (
                    (SELECT @extschema@._letta_cursor_at('identity', before, 'before')),
                    @extschema@._letta_uuid(before, 'identity', 'before')) END)
         ORDER BY CASE WHEN ascending IS TRUE <> (before IS NOT NULL AND after IS NULL) THEN i.created_at END,
                  CASE WHEN ascending IS TRUE <> (before IS NOT NULL AND after IS NULL) THEN i.id END,
                  CASE WHEN ascending IS TRUE = (before IS NOT NULL AND after IS NULL) THEN i.created_at END DESC,
                  CASE WHEN ascending IS TRUE = (before IS NOT NULL AND after IS NULL) THEN i.id END DESC
         LIMIT @extschema@._letta_page_size(page_size)
    ) page
    ORDER BY CASE WHEN ascending THEN page.created_at END,
             CASE WHEN ascending THEN page.id END,
             page.created_at DESC, page.id DESC
$$;

COMMENT ON FUNCTION letta_list_identities(text, text, text, text, text, jsonb, text, text, integer, boolean) IS
'Identities of the current organization, newest first (ascending: oldest first), one page: filters name (case-insensitive substring), project_id, identifier_key, identity_type, and a property (property_key, with property_value if given); cursors before/after are identity ids.';

CREATE FUNCTION letta_count_identities(
    name           text  DEFAULT NULL,
    project_id     text  DEFAULT NULL,
    identifier_key text  DEFAULT NULL,
    identity_type  text  DEFAULT NULL,
    property_key   text  DEFAULT NULL,
    property_value jsonb DEFAULT NULL
)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT count(*)
      FROM @extschema@._letta_identities_matching(name, project_id, identifier_key, identity_type,
                                                   property_key, property_value)
$$;

COMMENT ON FUNCTION letta_count_identities(text, text, text, text, text, jsonb) IS
'The number of identities of the current organization matching the filters of letta_list_identities.';

CREATE FUNCTION letta_update_identity(
    identity_id    text,
    identifier_key text   DEFAULT NULL,
    name           text   DEFAULT NULL,
    identity_type  text   DEFAULT NULL,
    agent_ids      text[] DEFAULT NULL,
    block_ids      text[] DEFAULT NULL,
    properties     jsonb  DEFAULT NULL
)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_variable
DECLARE
    org      uuid   := @extschema@._letta_org();
    identity uuid   := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
    agents   uuid[] := @extschema@._letta_uuids(agent_ids, 'agent', 'agent_ids');
    blocks   uuid[] := @extschema@._letta_uuids(block_ids, 'block', 'block_ids');
    existing @extschema@.letta_identities;
BEGIN
    SELECT * INTO existing FROM @extschema@.letta_identities r
     WHERE r.organization_id = org AND r.id = identity FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'identity "%" not found', identity_id USING ERRCODE = 'no_data_found';
    END IF;
    IF identifier_key IS NOT NULL AND identifier_key <> existing.identifier_key AND EXISTS (
           SELECT FROM @extschema@.letta_identities r
            WHERE r.organization_id = org AND r.identifier_key = identifier_key
              AND r.project_id IS NOT DISTINCT FROM existing.project_id) THEN
        RAISE EXCEPTION 'identity with identifier_key "%" already exists in %', identifier_key,
              coalesce('project "' || existing.project_id || '"', 'no project')
              USING ERRCODE = 'unique_violation';
    END IF;
    UPDATE @extschema@.letta_identities r
       SET identifier_key = CASE WHEN identifier_key IS NULL THEN r.identifier_key
                                 ELSE @extschema@._letta_required(identifier_key, 'identifier_key') END,
           name = CASE WHEN name IS NULL THEN r.name ELSE @extschema@._letta_required(name, 'name') END,
           identity_type = CASE WHEN identity_type IS NULL THEN r.identity_type
                                ELSE @extschema@._letta_identity_type(identity_type) END,
           properties = @extschema@._letta_merge_properties(r.properties, properties),
           updated_at = now()
     WHERE r.organization_id = org AND r.id = identity;
    PERFORM @extschema@._letta_link(org, 'agent', ARRAY[identity], agents);
    PERFORM @extschema@._letta_link(org, 'block', ARRAY[identity], blocks);
    RETURN @extschema@._letta_identity_row(org, identity);
END
$$;

COMMENT ON FUNCTION letta_update_identity(text, text, text, text, text[], text[], jsonb) IS
'Letta''s PATCH: given values overwrite (NULL keeps), properties merge by key, agent_ids and block_ids are added to the links.';

CREATE FUNCTION letta_upsert_identity(
    identifier_key text,
    name           text,
    identity_type  text   DEFAULT 'user',
    project_id     text   DEFAULT NULL,
    agent_ids      text[] DEFAULT NULL,
    properties     jsonb  DEFAULT '[]',
    block_ids      text[] DEFAULT NULL
)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org      uuid   := @extschema@._letta_org();
    agents   uuid[] := @extschema@._letta_uuids(agent_ids, 'agent', 'agent_ids');
    blocks   uuid[] := @extschema@._letta_uuids(block_ids, 'block', 'block_ids');
    identity uuid;
BEGIN
    INSERT INTO @extschema@.letta_identities AS r
           (organization_id, identifier_key, name, identity_type, project_id, properties)
    VALUES (org,
            @extschema@._letta_required(identifier_key, 'identifier_key'),
            @extschema@._letta_required(name, 'name'),
            @extschema@._letta_identity_type(identity_type),
            @extschema@._letta_project_id(project_id),
            @extschema@._letta_properties(properties))
    ON CONFLICT ON CONSTRAINT letta_identities_key_unique DO UPDATE
       SET name = excluded.name,
           identity_type = excluded.identity_type,
           properties = excluded.properties,
           updated_at = now()
    RETURNING r.id INTO identity;
    IF agent_ids IS NOT NULL THEN
        PERFORM @extschema@._letta_set_identity_links(org, 'agent', identity, agents);
    END IF;
    IF block_ids IS NOT NULL THEN
        PERFORM @extschema@._letta_set_identity_links(org, 'block', identity, blocks);
    END IF;
    RETURN @extschema@._letta_identity_row(org, identity);
END
$$;

COMMENT ON FUNCTION letta_upsert_identity(text, text, text, text, text[], jsonb, text[]) IS
'Letta''s PUT: the identity with this identifier_key and project_id gets these name, type and properties, and exactly these agent_ids / block_ids when given (an empty list clears); created when absent.';

CREATE FUNCTION letta_upsert_identity_properties(identity_id text, properties jsonb)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_variable
DECLARE
    org      uuid := @extschema@._letta_org();
    identity uuid := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
BEGIN
    IF properties IS NULL THEN
        RAISE EXCEPTION 'properties must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE @extschema@.letta_identities r
       SET properties = @extschema@._letta_properties(properties), updated_at = now()
     WHERE r.organization_id = org AND r.id = identity;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'identity "%" not found', identity_id USING ERRCODE = 'no_data_found';
    END IF;
    RETURN @extschema@._letta_identity_row(org, identity);
END
$$;

COMMENT ON FUNCTION letta_upsert_identity_properties(text, jsonb) IS
'Replace the whole property list of an identity.';

CREATE FUNCTION letta_delete_identity(identity_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    DELETE FROM @extschema@.letta_identities r
     WHERE r.organization_id = (SELECT @extschema@._letta_org())
       AND r.id = @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
    IF NOT FOUND THEN
        RAISE EXCEPTION 'identity "%" not found', identity_id USING ERRCODE = 'no_data_found';
    END IF;
END
$$;

COMMENT ON FUNCTION letta_delete_identity(text) IS
'Delete an identity. Its links go; its agents and blocks stay. P0002 if there is none.';

---------------------------------------------------------------------------------------------
-- Agents
---------------------------------------------------------------------------------------------

CREATE FUNCTION letta_create_agent(
    name                 text    DEFAULT NULL,
    tags                 text[]  DEFAULT '{}',
    identity_ids         text[]  DEFAULT '{}',
    model                text    DEFAULT NULL,
    embedding            text    DEFAULT NULL,
    context_window_limit integer DEFAULT NULL,
    memory_blocks        jsonb   DEFAULT '[]',
    project_id           text    DEFAULT NULL,
    metadata             jsonb   DEFAULT '{}',
    id                   text    DEFAULT NULL,
    hidden               boolean DEFAULT false
)
RETURNS @extschema@.letta_agent
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org        uuid   := @extschema@._letta_org();
    new_id     uuid   := CASE WHEN id IS NULL THEN gen_random_uuid()
                              ELSE @extschema@._letta_uuid(id, 'agent', 'id') END;
    identities uuid[] := @extschema@._letta_uuids(identity_ids, 'identity', 'identity_ids');
    result     @extschema@.letta_agent;
BEGIN
    IF context_window_limit <= 0 THEN
        RAISE EXCEPTION 'context_window_limit must be positive, got %', context_window_limit
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM @extschema@._letta_require(org, 'identity', identities);
    -- Four statements in all: the organization, the identities' check, the agent, its links.
    -- The result is built from what was written, not read back.
    INSERT INTO @extschema@.letta_agents AS a
           (organization_id, id, name, tags, project_id, model, embedding,
            context_window_limit, memory_blocks, metadata, hidden)
    VALUES (org, new_id, name,
            @extschema@._letta_tags(tags),
            @extschema@._letta_project_id(project_id),
            model, embedding, context_window_limit,
            @extschema@._letta_memory_blocks(memory_blocks),
            @extschema@._letta_metadata(metadata),
            coalesce(hidden, false))
    ON CONFLICT ON CONSTRAINT letta_agents_pkey DO NOTHING
    RETURNING 'agent-' || a.id, a.name, a.tags,
              ARRAY(SELECT 'identity-' || x FROM unnest(identities) x),
              a.project_id, 'org-' || a.organization_id, a.model, a.embedding,
              a.context_window_limit, a.memory_blocks, a.metadata, a.hidden, a.created_at, a.updated_at
         INTO result;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'agent "%" already exists', id USING ERRCODE = 'unique_violation';
    END IF;
    INSERT INTO @extschema@.letta_identities_agents (organization_id, identity_id, agent_id)
    SELECT org, x, new_id FROM unnest(identities) x;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_create_agent(text, text[], text[], text, text, integer, jsonb, text, jsonb, text, boolean) IS
'Create an agent in the current organization, with tags (a set) and linked to identity_ids. Every argument is optional; id keeps an agent id mirrored from a Letta server.';

-- The bulk path, for loads and imports: many agents in one call, set-based (one INSERT for the
-- agents, one for their links). Each element takes letta_create_agent's arguments as keys.
CREATE FUNCTION letta_create_agents(agents jsonb)
RETURNS text[]
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org     uuid   := @extschema@._letta_org();
    known   text[] := '{id,name,tags,identity_ids,model,embedding,context_window_limit,memory_blocks,project_id,metadata,hidden}';
    problem text;
    ids     text[];
BEGIN
    IF jsonb_typeof(agents) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'agents must be a JSON array of objects, got %', coalesce(left(agents::text, 80), 'NULL')
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The first element that is not an object of known keys, or has a bad context_window_limit.
    SELECT format('agents[%s]: %s', e.n - 1, coalesce(
               CASE WHEN jsonb_typeof(e.agent) <> 'object' THEN 'not an object: ' || left(e.agent::text, 80) END,
               (SELECT 'unknown key "' || left(k, 80) || '"' FROM jsonb_object_keys(e.agent) k
                 WHERE k <> ALL (known) LIMIT 1),
               'context_window_limit must be positive, got ' || (e.agent->>'context_window_limit')))
      INTO problem
      FROM jsonb_array_elements(agents) WITH ORDINALITY AS e(agent, n)
     WHERE jsonb_typeof(e.agent) <> 'object'
        OR EXISTS (SELECT FROM jsonb_object_keys(e.agent) k WHERE k <> ALL (known))
        OR (jsonb_typeof(e.agent->'context_window_limit') = 'number'
            AND (e.agent->>'context_window_limit')::numeric <= 0)
     ORDER BY e.n
     LIMIT 1;
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION '%', problem USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The identities must exist; they stay locked against deletion until the links are in.
    PERFORM @extschema@._letta_require(org, 'identity', ARRAY(
        SELECT DISTINCT i
          FROM jsonb_array_elements(agents) AS e(agent),
               jsonb_to_record(e.agent) AS r(identity_ids text[]),
               unnest(@extschema@._letta_uuids(r.identity_ids, 'identity', 'identity_ids')) AS i));
    WITH input AS MATERIALIZED (
        SELECT e.n,
               CASE WHEN r.id IS NULL THEN gen_random_uuid()
                    ELSE @extschema@._letta_uuid(r.id, 'agent', 'id') END AS id,
               r.name, r.tags, r.model, r.embedding, r.context_window_limit, r.memory_blocks,
               r.project_id, r.metadata, r.hidden,
               @extschema@._letta_uuids(r.identity_ids, 'identity', 'identity_ids') AS identities
          FROM jsonb_array_elements(agents) WITH ORDINALITY AS e(agent, n),
               jsonb_to_record(e.agent) AS r(id text, name text, tags text[], identity_ids text[],
                   model text, embedding text, context_window_limit integer, memory_blocks jsonb,
                   project_id text, metadata jsonb, hidden boolean)
    ), new_agents AS (
        INSERT INTO @extschema@.letta_agents
               (organization_id, id, name, tags, project_id, model, embedding,
                context_window_limit, memory_blocks, metadata, hidden)
        SELECT org, i.id, i.name,
               @extschema@._letta_tags(coalesce(i.tags, '{}')),
               @extschema@._letta_project_id(i.project_id),
               i.model, i.embedding, i.context_window_limit,
               @extschema@._letta_memory_blocks(coalesce(i.memory_blocks, '[]')),
               @extschema@._letta_metadata(coalesce(i.metadata, '{}')),
               coalesce(i.hidden, false)
          FROM input i
    ), new_links AS (
        INSERT INTO @extschema@.letta_identities_agents (organization_id, identity_id, agent_id)
        SELECT org, l, i.id FROM input i, unnest(i.identities) AS l
    )
    SELECT coalesce(array_agg('agent-' || i.id ORDER BY i.n), '{}') INTO ids FROM input i;
    RETURN ids;
END
$$;

COMMENT ON FUNCTION letta_create_agents(jsonb) IS
'Create many agents in one call: a JSON array of objects whose keys are letta_create_agent''s arguments. Returns the new ids in input order. All or nothing.';

CREATE FUNCTION letta_get_agent(agent_id text)
RETURNS @extschema@.letta_agent
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    result @extschema@.letta_agent;
BEGIN
    SELECT * INTO result FROM @extschema@._letta_agent_row(
        (SELECT @extschema@._letta_org()), @extschema@._letta_uuid(agent_id, 'agent', 'agent_id'));
    IF NOT FOUND THEN
        RAISE EXCEPTION 'agent "%" not found', agent_id USING ERRCODE = 'no_data_found';
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_get_agent(text) IS
'The agent with this id in the current organization; P0002 if there is none.';

CREATE FUNCTION letta_update_agent(
    agent_id             text,
    name                 text    DEFAULT NULL,
    tags                 text[]  DEFAULT NULL,
    identity_ids         text[]  DEFAULT NULL,
    model                text    DEFAULT NULL,
    embedding            text    DEFAULT NULL,
    context_window_limit integer DEFAULT NULL,
    memory_blocks        jsonb   DEFAULT NULL,
    project_id           text    DEFAULT NULL,
    metadata             jsonb   DEFAULT NULL,
    hidden               boolean DEFAULT NULL
)
RETURNS @extschema@.letta_agent
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_variable
DECLARE
    org        uuid   := @extschema@._letta_org();
    agent      uuid   := @extschema@._letta_uuid(agent_id, 'agent', 'agent_id');
    identities uuid[] := @extschema@._letta_uuids(identity_ids, 'identity', 'identity_ids');
BEGIN
    IF context_window_limit <= 0 THEN
        RAISE EXCEPTION 'context_window_limit must be positive, got %', context_window_limit
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE @extschema@.letta_agents a
       SET name = coalesce(name, a.name),
           tags = CASE WHEN tags IS NULL THEN a.tags ELSE @extschema@._letta_tags(tags) END,
           model = coalesce(model, a.model),
           embedding = coalesce(embedding, a.embedding),
           context_window_limit = coalesce(context_window_limit, a.context_window_limit),
           memory_blocks = CASE WHEN memory_blocks IS NULL THEN a.memory_blocks
                                ELSE @extschema@._letta_memory_blocks(memory_blocks) END,
           project_id = coalesce(@extschema@._letta_project_id(project_id), a.project_id),
           metadata = CASE WHEN metadata IS NULL THEN a.metadata ELSE @extschema@._letta_metadata(metadata) END,
           hidden = coalesce(hidden, a.hidden),
           updated_at = now()
     WHERE a.organization_id = org AND a.id = agent;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'agent "%" not found', agent_id USING ERRCODE = 'no_data_found';
    END IF;
    IF identity_ids IS NOT NULL THEN
        PERFORM @extschema@._letta_require(org, 'identity', identities);
        DELETE FROM @extschema@.letta_identities_agents l
         WHERE l.organization_id = org AND l.agent_id = agent AND l.identity_id <> ALL (identities);
        PERFORM @extschema@._letta_link(org, 'agent', identities, ARRAY[agent]);
    END IF;
    RETURN @extschema@._letta_agent_row(org, agent);
END
$$;

COMMENT ON FUNCTION letta_update_agent(text, text, text[], text[], text, text, integer, jsonb, text, jsonb, boolean) IS
'Update an agent: NULL keeps a value; tags and identity_ids given as a list replace exactly (an empty list clears).';

CREATE FUNCTION letta_delete_agent(agent_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    DELETE FROM @extschema@.letta_agents a
     WHERE a.organization_id = (SELECT @extschema@._letta_org())
       AND a.id = @extschema@._letta_uuid(agent_id, 'agent', 'agent_id');
    IF NOT FOUND THEN
        RAISE EXCEPTION 'agent "%" not found', agent_id USING ERRCODE = 'no_data_found';
    END IF;
END
$$;

COMMENT ON FUNCTION letta_delete_agent(text) IS
'Delete an agent with its tags and links; its identities stay. P0002 if there is none.';

CREATE FUNCTION letta_attach_agent(identity_id text, agent_id text)
RETURNS boolean
LANGUAGE sql VOLATILE
AS $$
    SELECT @extschema@._letta_link(
               (SELECT @extschema@._letta_org()), 'agent',
               ARRAY[@extschema@._letta_uuid(identity_id, 'identity', 'identity_id')],
               ARRAY[@extschema@._letta_uuid(agent_id, 'agent', 'agent_id')]) > 0
$$;

COMMENT ON FUNCTION letta_attach_agent(text, text) IS
'Link an agent to an identity. Idempotent: true if the link is new, false if it existed. P0002 if either is missing.';

CREATE FUNCTION letta_detach_agent(identity_id text, agent_id text)
RETURNS boolean
LANGUAGE sql VOLATILE
AS $$
    SELECT @extschema@._letta_unlink(
               (SELECT @extschema@._letta_org()), 'agent',
               ARRAY[@extschema@._letta_uuid(identity_id, 'identity', 'identity_id')],
               ARRAY[@extschema@._letta_uuid(agent_id, 'agent', 'agent_id')]) > 0
$$;

COMMENT ON FUNCTION letta_detach_agent(text, text) IS
'Unlink an agent from an identity. Idempotent: true if a link was removed, false if there was none. P0002 if either is missing.';

-- The agents matching the filters of letta_list_agents and letta_count_agents.
CREATE FUNCTION _letta_agents_matching(
    tags text[], match_all_tags boolean, identifier_keys text[], identity_id text,
    name text, query_text text, project_id text, include_hidden boolean)
RETURNS SETOF @extschema@.letta_agents
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT a.*
      FROM @extschema@.letta_agents a
     WHERE @extschema@._letta_check_list(_letta_agents_matching.tags, 'tags', false)
       AND @extschema@._letta_check_list(identifier_keys, 'identifier_keys', false)
       AND a.organization_id = (SELECT @extschema@._letta_org())
       AND (coalesce(cardinality(_letta_agents_matching.tags), 0) = 0
            OR CASE WHEN match_all_tags THEN a.tags OPERATOR(@extschema@.@>>) _letta_agents_matching.tags
                    ELSE a.tags OPERATOR(@extschema@.&&&) _letta_agents_matching.tags END)
       -- The link filters probe the primary key with the linked ids, computed once (an
       -- initplan). (An IN (SELECT ...) under OR could not become a join, and would filter
       -- every agent of the organization.)
       AND (identifier_keys IS NULL OR a.id = ANY ((SELECT @extschema@._letta_linked_agents(identifier_keys, NULL))::uuid[]))
       AND (_letta_agents_matching.identity_id IS NULL OR a.id = ANY ((SELECT @extschema@._letta_linked_agents(
               NULL, @extschema@._letta_uuid(_letta_agents_matching.identity_id, 'identity', 'identity_id')))::uuid[]))
       AND (_letta_agents_matching.name IS NULL OR a.name = _letta_agents_matching.name)
       AND (query_text IS NULL OR strpos(lower(a.name), lower(query_text)) > 0)
       AND (_letta_agents_matching.project_id IS NULL OR a.project_id = _letta_agents_matching.project_id)
       AND (include_hidden IS TRUE OR NOT a.hidden)
$$;

CREATE FUNCTION letta_list_agents(
    tags            text[]  DEFAULT NULL,
    match_all_tags  boolean DEFAULT false,
    identifier_keys text[]  DEFAULT NULL,
    identity_id     text    DEFAULT NULL,
    name            text    DEFAULT NULL,
    query_text      text    DEFAULT NULL,
    project_id      text    DEFAULT NULL,
    include_hidden  boolean DEFAULT false,
    before          text    DEFAULT NULL,
    after           text    DEFAULT NULL,
    page_size       integer DEFAULT 50,
    ascending       boolean DEFAULT false
)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    -- As letta_list_identities: fetched from the cursor outwards, then put in order.
    SELECT page.* FROM (
        SELECT o.*
          FROM @extschema@._letta_agents_matching(tags, match_all_tags, identifier_keys, identity_id,
                                                   name, query_text, project_id, include_hidden) a
         CROSS JOIN LATERAL @extschema@._letta_agent_out(a) o
         -- A cursor must exist even when no row is left to compare with it: checked once,
         -- before any row is read (a condition without columns is a one-time filter).
         WHERE (after IS NULL OR (SELECT @extschema@._letta_cursor_at('agent', after, 'after')) IS NOT NULL)
           AND (before IS NULL OR (SELECT @extschema@._letta_cursor_at('agent', before, 'before')) IS NOT NULL)
           AND (after IS NULL OR CASE WHEN ascending
               THEN (a.created_at, a.id) > (
                    (SELECT @extschema@._letta_cursor_at('agent', after, 'after')),
                    @extschema@._letta_uuid(after, 'agent', 'after'))
               ELSE (a.created_at, a.id) < (
                    (SELECT @extschema@._letta_cursor_at('agent', after, 'after')),
                    @extschema@._letta_uuid(after, 'agent', 'after')) END)
           AND (before IS NULL OR CASE WHEN ascending
               THEN (a.created_at, a.id) < (
                    (SELECT @extschema@._letta_cursor_at('agent', before, 'before')),
                    @extschema@._letta_uuid(before, 'agent', 'before'))
               ELSE (a.created_at, a.id) > (
                    (SELECT @extschema@._letta_cursor_at('agent', before, 'before')),
                    @extschema@._letta_uuid(before, 'agent', 'before')) END)
         ORDER BY CASE WHEN ascending IS TRUE <> (before IS NOT NULL AND after IS NULL) THEN a.created_at END,
                  CASE WHEN ascending IS TRUE <> (before IS NOT NULL AND after IS NULL) THEN a.id END,
                  CASE WHEN ascending IS TRUE = (before IS NOT NULL AND after IS NULL) THEN a.created_at END DESC,
                  CASE WHEN ascending IS TRUE = (before IS NOT NULL AND after IS NULL) THEN a.id END DESC
         LIMIT @extschema@._letta_page_size(page_size)
    ) page
    ORDER BY CASE WHEN ascending THEN page.created_at END,
             CASE WHEN ascending THEN page.id END,
             page.created_at DESC, page.id DESC
$$;

COMMENT ON FUNCTION letta_list_agents(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean) IS
'Agents of the current organization, newest first (ascending: oldest first), one page. Filters, ANDed, NULL or empty not filtering: any of tags (all if match_all_tags), linked to any of identifier_keys or to identity_id, name exact, query_text case-insensitive substring of name, project_id; hidden agents only with include_hidden. Cursors before/after are agent ids.';

CREATE FUNCTION letta_count_agents(
    tags            text[]  DEFAULT NULL,
    match_all_tags  boolean DEFAULT false,
    identifier_keys text[]  DEFAULT NULL,
    identity_id     text    DEFAULT NULL,
    name            text    DEFAULT NULL,
    query_text      text    DEFAULT NULL,
    project_id      text    DEFAULT NULL,
    include_hidden  boolean DEFAULT false
)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT count(*)
      FROM @extschema@._letta_agents_matching(tags, match_all_tags, identifier_keys, identity_id,
                                               name, query_text, project_id, include_hidden)
$$;

COMMENT ON FUNCTION letta_count_agents(text[], boolean, text[], text, text, text, text, boolean) IS
'The number of agents of the current organization matching the filters of letta_list_agents.';

CREATE FUNCTION letta_agents_by_key(identifier_keys text[], include_hidden boolean DEFAULT false)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    -- Its own query, with no optional filter: a generic plan (-M prepared, plpgsql) is the
    -- custom one, so a prepared call is planned once. The linked ids are computed once and
    -- probe the primary key. (The agents are a subquery so that _letta_agent_out(a) reads
    -- columns, not a whole-row value built for every agent.)
    SELECT o.*
      FROM (SELECT * FROM @extschema@.letta_agents) a
     CROSS JOIN LATERAL @extschema@._letta_agent_out(a) o
     WHERE @extschema@._letta_check_list(identifier_keys, 'identifier_keys', true)
       AND a.organization_id = (SELECT @extschema@._letta_org())
       AND a.id = ANY ((SELECT @extschema@._letta_linked_agents(identifier_keys, NULL))::uuid[])
       AND (include_hidden IS TRUE OR NOT a.hidden)
     ORDER BY a.created_at DESC, a.id DESC
$$;

COMMENT ON FUNCTION letta_agents_by_key(text[], boolean) IS
'Agents linked to any identity with one of these identifier keys (any project), each once, newest first; hidden agents only with include_hidden.';

CREATE FUNCTION letta_identity_agents(
    identity_id    text,
    include_hidden boolean DEFAULT false,
    before         text    DEFAULT NULL,
    after          text    DEFAULT NULL,
    page_size      integer DEFAULT 50,
    ascending      boolean DEFAULT false
)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT *
      FROM @extschema@.letta_list_agents(identity_id => identity_id, include_hidden => include_hidden,
                                         before => before, after => after,
                                         page_size => page_size, ascending => ascending)
     WHERE @extschema@._letta_exists((SELECT @extschema@._letta_org()), 'identity',
               @extschema@._letta_uuid(letta_identity_agents.identity_id, 'identity', 'identity_id'))
$$;

COMMENT ON FUNCTION letta_identity_agents(text, boolean, text, text, integer, boolean) IS
'The agents of one identity, newest first, paginated like letta_list_agents; P0002 if the identity is missing.';

---------------------------------------------------------------------------------------------
-- Tags
---------------------------------------------------------------------------------------------

CREATE FUNCTION letta_add_agent_tags(agent_id text, tags text[])
RETURNS text[]
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_variable
DECLARE
    result text[];
BEGIN
    UPDATE @extschema@.letta_agents a
       SET tags = @extschema@._letta_tags(a.tags || @extschema@._letta_tags(tags)), updated_at = now()
     WHERE a.organization_id = (SELECT @extschema@._letta_org())
       AND a.id = @extschema@._letta_uuid(agent_id, 'agent', 'agent_id')
    RETURNING a.tags INTO result;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'agent "%" not found', agent_id USING ERRCODE = 'no_data_found';
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_add_agent_tags(text, text[]) IS
'Add tags to an agent without rewriting the rest; returns the agent''s tags.';

CREATE FUNCTION letta_remove_agent_tags(agent_id text, tags text[])
RETURNS text[]
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_variable
DECLARE
    removed text[] := @extschema@._letta_tags(tags);
    result  text[];
BEGIN
    UPDATE @extschema@.letta_agents a
       SET tags = ARRAY(SELECT t FROM unnest(a.tags) WITH ORDINALITY u(t, n)
                         WHERE t <> ALL (removed) ORDER BY n),
           updated_at = now()
     WHERE a.organization_id = (SELECT @extschema@._letta_org())
       AND a.id = @extschema@._letta_uuid(agent_id, 'agent', 'agent_id')
    RETURNING a.tags INTO result;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'agent "%" not found', agent_id USING ERRCODE = 'no_data_found';
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_remove_agent_tags(text, text[]) IS
'Remove tags from an agent (absent ones are ignored); returns the agent''s tags.';

CREATE FUNCTION letta_list_tags(
    query_text text    DEFAULT NULL,
    before     text    DEFAULT NULL,
    after      text    DEFAULT NULL,
    page_size  integer DEFAULT 50
)
RETURNS TABLE (tag text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    -- Tags sort bytewise (COLLATE "C"), as they are stored; a cursor is a tag string. A
    -- "before" page is fetched backwards from the cursor, then put in ascending order.
    SELECT page.tag FROM (
        SELECT d.tag FROM (
            SELECT DISTINCT t.tag COLLATE "C" AS tag
              FROM @extschema@.letta_agents a, unnest(a.tags) t(tag)
             WHERE a.organization_id = (SELECT @extschema@._letta_org())
               AND (query_text IS NULL OR strpos(lower(t.tag), lower(query_text)) > 0)
               AND (after IS NULL OR t.tag COLLATE "C" > after)
               AND (before IS NULL OR t.tag COLLATE "C" < before)
        ) d
        ORDER BY CASE WHEN before IS NULL OR after IS NOT NULL THEN d.tag END,
                 CASE WHEN before IS NOT NULL AND after IS NULL THEN d.tag END DESC
        LIMIT @extschema@._letta_page_size(page_size)
    ) page
    ORDER BY page.tag
$$;

COMMENT ON FUNCTION letta_list_tags(text, text, text, integer) IS
'Distinct tags of the current organization''s agents, ascending (bytewise), one page; query_text is a case-insensitive substring; cursors before/after are tags.';

---------------------------------------------------------------------------------------------
-- Blocks
---------------------------------------------------------------------------------------------

-- The value must fit the block's character limit, which must be positive.
CREATE FUNCTION _letta_check_block(value text, char_limit integer)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    IF char_limit <= 0 THEN
        RAISE EXCEPTION 'char_limit must be positive, got %', char_limit USING ERRCODE = 'invalid_parameter_value';
    ELSIF char_length(value) > char_limit THEN
        RAISE EXCEPTION 'value has % characters, over the block''s limit of %', char_length(value), char_limit
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;

CREATE FUNCTION letta_create_block(
    label        text,
    value        text    DEFAULT '',
    char_limit   integer DEFAULT NULL,
    description  text    DEFAULT NULL,
    metadata     jsonb   DEFAULT '{}',
    identity_ids text[]  DEFAULT '{}'
)
RETURNS @extschema@.letta_block
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org        uuid   := @extschema@._letta_org();
    identities uuid[] := @extschema@._letta_uuids(identity_ids, 'identity', 'identity_ids');
    new_id     uuid   := gen_random_uuid();
BEGIN
    PERFORM @extschema@._letta_check_block(value, char_limit);
    INSERT INTO @extschema@.letta_blocks (organization_id, id, label, value, "limit", description, metadata)
    VALUES (org, new_id, @extschema@._letta_required(label, 'label'), coalesce(value, ''), char_limit,
            description, @extschema@._letta_metadata(metadata));
    PERFORM @extschema@._letta_link(org, 'block', identities, ARRAY[new_id]);
    RETURN @extschema@._letta_block_row(org, new_id);
END
$$;

COMMENT ON FUNCTION letta_create_block(text, text, integer, text, jsonb, text[]) IS
'Create a memory block (label, value, an optional char_limit on the value) owned by identity_ids.';

CREATE FUNCTION letta_get_block(block_id text)
RETURNS @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    result @extschema@.letta_block;
BEGIN
    SELECT * INTO result FROM @extschema@._letta_block_row(
        (SELECT @extschema@._letta_org()), @extschema@._letta_uuid(block_id, 'block', 'block_id'));
    IF NOT FOUND THEN
        RAISE EXCEPTION 'block "%" not found', block_id USING ERRCODE = 'no_data_found';
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_get_block(text) IS
'The block with this id in the current organization; P0002 if there is none.';

CREATE FUNCTION letta_update_block(
    block_id    text,
    label       text    DEFAULT NULL,
    value       text    DEFAULT NULL,
    char_limit  integer DEFAULT NULL,
    description text    DEFAULT NULL,
    metadata    jsonb   DEFAULT NULL
)
RETURNS @extschema@.letta_block
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_variable
DECLARE
    org     uuid := @extschema@._letta_org();
    block   uuid := @extschema@._letta_uuid(block_id, 'block', 'block_id');
    existing @extschema@.letta_blocks;
BEGIN
    SELECT * INTO existing FROM @extschema@.letta_blocks b
     WHERE b.organization_id = org AND b.id = block FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'block "%" not found', block_id USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM @extschema@._letta_check_block(coalesce(value, existing.value), coalesce(char_limit, existing."limit"));
    UPDATE @extschema@.letta_blocks b
       SET label = CASE WHEN label IS NULL THEN b.label ELSE @extschema@._letta_required(label, 'label') END,
           value = coalesce(value, b.value),
           "limit" = coalesce(char_limit, b."limit"),
           description = coalesce(description, b.description),
           metadata = CASE WHEN metadata IS NULL THEN b.metadata ELSE @extschema@._letta_metadata(metadata) END,
           updated_at = now()
     WHERE b.organization_id = org AND b.id = block;
    RETURN @extschema@._letta_block_row(org, block);
END
$$;

COMMENT ON FUNCTION letta_update_block(text, text, text, integer, text, jsonb) IS
'Update a block; NULL keeps a value. 22023 if the value would not fit the limit.';

CREATE FUNCTION letta_delete_block(block_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    DELETE FROM @extschema@.letta_blocks b
     WHERE b.organization_id = (SELECT @extschema@._letta_org())
       AND b.id = @extschema@._letta_uuid(block_id, 'block', 'block_id');
    IF NOT FOUND THEN
        RAISE EXCEPTION 'block "%" not found', block_id USING ERRCODE = 'no_data_found';
    END IF;
END
$$;

COMMENT ON FUNCTION letta_delete_block(text) IS
'Delete a block and its links to identities. P0002 if there is none.';

CREATE FUNCTION letta_attach_block(identity_id text, block_id text)
RETURNS boolean
LANGUAGE sql VOLATILE
AS $$
    SELECT @extschema@._letta_link(
               (SELECT @extschema@._letta_org()), 'block',
               ARRAY[@extschema@._letta_uuid(identity_id, 'identity', 'identity_id')],
               ARRAY[@extschema@._letta_uuid(block_id, 'block', 'block_id')]) > 0
$$;

COMMENT ON FUNCTION letta_attach_block(text, text) IS
'Give an identity a block. Idempotent: true if the link is new. P0002 if either is missing.';

CREATE FUNCTION letta_detach_block(identity_id text, block_id text)
RETURNS boolean
LANGUAGE sql VOLATILE
AS $$
    SELECT @extschema@._letta_unlink(
               (SELECT @extschema@._letta_org()), 'block',
               ARRAY[@extschema@._letta_uuid(identity_id, 'identity', 'identity_id')],
               ARRAY[@extschema@._letta_uuid(block_id, 'block', 'block_id')]) > 0
$$;

COMMENT ON FUNCTION letta_detach_block(text, text) IS
'Take a block from an identity. Idempotent: true if a link was removed. P0002 if either is missing.';

CREATE FUNCTION letta_identity_blocks(identity_id text)
RETURNS SETOF @extschema@.letta_block
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT o.*
      FROM @extschema@.letta_identities_blocks l
      JOIN @extschema@.letta_blocks b ON b.organization_id = l.organization_id AND b.id = l.block_id
     CROSS JOIN LATERAL @extschema@._letta_block_out(b) o
     WHERE @extschema@._letta_exists((SELECT @extschema@._letta_org()), 'identity',
               @extschema@._letta_uuid(letta_identity_blocks.identity_id, 'identity', 'identity_id'))
       AND l.organization_id = (SELECT @extschema@._letta_org())
       AND l.identity_id = @extschema@._letta_uuid(letta_identity_blocks.identity_id, 'identity', 'identity_id')
     ORDER BY b.created_at DESC, b.id DESC
$$;

COMMENT ON FUNCTION letta_identity_blocks(text) IS
'The blocks of one identity, newest first; P0002 if the identity is missing.';

CREATE FUNCTION letta_blocks_by_key(identifier_keys text[])
RETURNS SETOF @extschema@.letta_block
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT o.*
      FROM @extschema@.letta_blocks b
     CROSS JOIN LATERAL @extschema@._letta_block_out(b) o
     WHERE @extschema@._letta_check_list(identifier_keys, 'identifier_keys', true)
       AND b.organization_id = (SELECT @extschema@._letta_org())
       AND (b.organization_id, b.id) IN (
           SELECT l.organization_id, l.block_id
             FROM @extschema@.letta_identities i
             JOIN @extschema@.letta_identities_blocks l
               ON l.organization_id = i.organization_id AND l.identity_id = i.id
            WHERE i.organization_id = (SELECT @extschema@._letta_org())
              AND i.identifier_key = ANY (identifier_keys))
     ORDER BY b.created_at DESC, b.id DESC
$$;

COMMENT ON FUNCTION letta_blocks_by_key(text[]) IS
'Blocks of any identity with one of these identifier keys (any project), each once, newest first.';

---------------------------------------------------------------------------------------------
-- Pages: a list as one JSON value, with has_more and the cursor of the next page
---------------------------------------------------------------------------------------------

-- The page from a list fetched with one row more than page_size, in listing order: that row
-- (last, or first when paging backwards with "before") says more follow, and is dropped.
CREATE FUNCTION _letta_page(items jsonb, page_size integer, backwards boolean)
RETURNS @extschema@.letta_page
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN jsonb_array_length(items) <= page_size
                THEN ROW(items, false, NULL::text)::@extschema@.letta_page
                WHEN backwards
                THEN ROW(items - 0, true, items -> 1 ->> 'id')::@extschema@.letta_page
                ELSE ROW(items - page_size, true, items -> (page_size - 1) ->> 'id')::@extschema@.letta_page
           END
$$;

CREATE FUNCTION letta_list_agents_page(
    tags            text[]  DEFAULT NULL,
    match_all_tags  boolean DEFAULT false,
    identifier_keys text[]  DEFAULT NULL,
    identity_id     text    DEFAULT NULL,
    name            text    DEFAULT NULL,
    query_text      text    DEFAULT NULL,
    project_id      text    DEFAULT NULL,
    include_hidden  boolean DEFAULT false,
    before          text    DEFAULT NULL,
    after           text    DEFAULT NULL,
    page_size       integer DEFAULT 50,
    ascending       boolean DEFAULT false
)
RETURNS @extschema@.letta_page
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT @extschema@._letta_page(
        coalesce((SELECT jsonb_agg(to_jsonb(l))
                    FROM @extschema@.letta_list_agents(tags, match_all_tags, identifier_keys, identity_id,
                             name, query_text, project_id, include_hidden, before, after,
                             least(@extschema@._letta_page_size(page_size), 2147483646) + 1, ascending) l), '[]'),
        page_size, before IS NOT NULL AND after IS NULL)
$$;

COMMENT ON FUNCTION letta_list_agents_page(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean) IS
'letta_list_agents as one page: items (Letta''s JSON), has_more, and next_cursor when more follow (pass it as after, or as before when paging with before).';

CREATE FUNCTION letta_list_identities_page(
    name           text    DEFAULT NULL,
    project_id     text    DEFAULT NULL,
    identifier_key text    DEFAULT NULL,
    identity_type  text    DEFAULT NULL,
    property_key   text    DEFAULT NULL,
    property_value jsonb   DEFAULT NULL,
    before         text    DEFAULT NULL,
    after          text    DEFAULT NULL,
    page_size      integer DEFAULT 50,
    ascending      boolean DEFAULT false
)
RETURNS @extschema@.letta_page
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT @extschema@._letta_page(
        coalesce((SELECT jsonb_agg(to_jsonb(l))
                    FROM @extschema@.letta_list_identities(name, project_id, identifier_key, identity_type,
                             property_key, property_value, before, after,
                             least(@extschema@._letta_page_size(page_size), 2147483646) + 1, ascending) l), '[]'),
        page_size, before IS NOT NULL AND after IS NULL)
$$;

COMMENT ON FUNCTION letta_list_identities_page(text, text, text, text, text, jsonb, text, text, integer, boolean) IS
'letta_list_identities as one page: items (Letta''s JSON), has_more, and next_cursor when more follow (pass it as after, or as before when paging with before).';

---------------------------------------------------------------------------------------------
-- Tenancy: row-level security, privileges, role bindings
---------------------------------------------------------------------------------------------

-- Every row a role reads or writes, through the functions or directly, is of its
-- organization. (Superusers and the tables' owner bypass row-level security; the functions
-- filter by organization themselves.)
ALTER TABLE letta_identities ENABLE ROW LEVEL SECURITY;
ALTER TABLE letta_agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE letta_identities_agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE letta_blocks ENABLE ROW LEVEL SECURITY;
ALTER TABLE letta_identities_blocks ENABLE ROW LEVEL SECURITY;
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

-- Give a role (or take from it) what the API needs: EXECUTE on the functions but the
-- administrators', and SELECT, INSERT, UPDATE, DELETE on the data tables.
CREATE FUNCTION _letta_grant(role_name text, give boolean)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    f regprocedure;
    t regclass;
BEGIN
    IF role_name IS NULL THEN
        RAISE EXCEPTION 'role_name must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = role_name) THEN
        RAISE EXCEPTION 'role "%" does not exist', role_name USING ERRCODE = 'undefined_object';
    END IF;
    FOR f IN SELECT p.oid::regprocedure
               FROM pg_catalog.pg_proc p
               JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
              WHERE d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'letta_identity')
                AND p.proname NOT IN ('letta_bind_role', 'letta_allow_switching', 'letta_unbind_role', '_letta_grant')
    LOOP
        EXECUTE format(CASE WHEN give THEN 'GRANT EXECUTE ON FUNCTION %s TO %I'
                            ELSE 'REVOKE EXECUTE ON FUNCTION %s FROM %I' END, f, role_name);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['@extschema@.letta_identities', '@extschema@.letta_agents',
                             '@extschema@.letta_identities_agents', '@extschema@.letta_blocks',
                             '@extschema@.letta_identities_blocks']::regclass[]
    LOOP
        EXECUTE format(CASE WHEN give THEN 'GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I'
                            ELSE 'REVOKE SELECT, INSERT, UPDATE, DELETE ON %s FROM %I' END, t, role_name);
    END LOOP;
END
$$;

CREATE FUNCTION letta_bind_role(role_name text, organization_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE
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
LANGUAGE plpgsql VOLATILE
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
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM @extschema@._letta_grant(role_name, false);
    DELETE FROM @extschema@.letta_role_organizations b WHERE b.role_name = letta_unbind_role.role_name;
    RETURN FOUND;
END
$$;

COMMENT ON FUNCTION letta_unbind_role(text) IS
'Administrators: the role loses its organization and its privileges on the extension.';

-- Nothing is granted to PUBLIC: a role uses the extension once an administrator binds it.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure
               FROM pg_catalog.pg_proc p
               JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
              WHERE d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'letta_identity')
    LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END
$$;
