-- letta_identity: identities, an application's users or organizations, found by the
-- application's own identifier_key. (Conventions: rows.sql.)

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
    -- Shown ids computed here: Citus refuses a subquery in an INSERT (its RETURNING included).
    agents_out text[] := ARRAY(SELECT 'agent-' || x FROM unnest(agents) x);
    blocks_out text[] := ARRAY(SELECT 'block-' || x FROM unnest(blocks) x);
    result @extschema@.letta_identity;
BEGIN
    -- The input checks as assignments, not inside the INSERT: an error's context is then this
    -- function's line, not the statement's text.
    identifier_key := @extschema@._letta_required(identifier_key, 'identifier_key');
    name := @extschema@._letta_required(name, 'name');
    identity_type := @extschema@._letta_identity_type(identity_type);
    project_id := @extschema@._letta_project_id(project_id);
    properties := @extschema@._letta_properties(properties);
    -- As letta_create_agent: the result is built from what was written, not read back.
    INSERT INTO @extschema@.letta_identities AS i
           (organization_id, id, identifier_key, name, identity_type, project_id, properties)
    VALUES (org, new_id, identifier_key, name, identity_type, project_id, properties)
    ON CONFLICT ON CONSTRAINT letta_identities_key_unique DO NOTHING
    -- (::text: uuid || text is only STABLE, and Citus wants IMMUTABLE in RETURNING.)
    RETURNING 'identity-' || i.id::text, i.identifier_key, i.name, i.identity_type, i.project_id,
              agents_out, blocks_out, 'org-' || i.organization_id::text, i.properties, i.created_at, i.updated_at
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
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org      uuid := @extschema@._letta_org();
    identity uuid := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
    result   @extschema@.letta_identity;
BEGIN
    SELECT (v.shown).* INTO result FROM @extschema@._letta_identity_rows(org, ARRAY[identity]) v;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('identity', identity_id)::text;
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_get_identity(text) IS
'The identity with this id in the current organization; P0002 if there is none.';

-- The identity lists, as the agent lists (agents.sql): PL/pgSQL choosing among fixed-shape
-- statements, each planned once per connection, the organization a value.

-- The filters that do not choose the statement, inlined into each (property: the containment
-- filter, or NULL); the identity's columns, not its row, as _letta_agent_kept.
CREATE FUNCTION _letta_identity_kept(identity_name text, identity_project_id text,
                                     identity_key text, identity_kind text, identity_properties jsonb,
                                     name text, project_id text, identifier_key text,
                                     identity_type text, property jsonb)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT (_letta_identity_kept.name IS NULL OR strpos(lower(identity_name), lower(_letta_identity_kept.name)) > 0)
       AND (_letta_identity_kept.project_id IS NULL OR identity_project_id = _letta_identity_kept.project_id)
       AND (_letta_identity_kept.identifier_key IS NULL OR identity_key = _letta_identity_kept.identifier_key)
       AND (_letta_identity_kept.identity_type IS NULL OR identity_kind = _letta_identity_kept.identity_type)
       AND (property IS NULL OR identity_properties @> property)
$$;

-- The first n identities that pass the filters, read in list order from a bound (newest a
-- constant, as in _letta_recent_page).
CREATE FUNCTION _letta_recent_identities(org uuid, lo_at timestamptz, lo_id uuid,
                                         hi_at timestamptz, hi_id uuid, newest boolean, n integer,
                                         name text, project_id text, identifier_key text,
                                         identity_type text, property jsonb)
RETURNS TABLE (created_at timestamptz, id uuid)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT i.created_at, i.id
      FROM @extschema@.letta_identities i
     WHERE i.organization_id = org
       AND (i.created_at, i.id) > (lo_at, lo_id) AND (i.created_at, i.id) < (hi_at, hi_id)
       AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, _letta_recent_identities.name, _letta_recent_identities.project_id,
                                            _letta_recent_identities.identifier_key,
                                            _letta_recent_identities.identity_type, property)
     ORDER BY CASE WHEN newest THEN i.created_at END DESC, CASE WHEN newest THEN i.id END DESC,
              CASE WHEN NOT newest THEN i.created_at END, CASE WHEN NOT newest THEN i.id END
     LIMIT n
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
    ascending      boolean DEFAULT false,
    properties     jsonb   DEFAULT NULL,
    order_by       text    DEFAULT 'created_at'
)
RETURNS SETOF @extschema@.letta_identity
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_variable
DECLARE
    org      uuid    := @extschema@._letta_org();
    n        integer := @extschema@._letta_page_size(page_size);
    -- As letta_list_agents: read from the cursor outwards, between two (created_at, id) bounds.
    newest   boolean := (ascending IS TRUE) = (before IS NOT NULL AND after IS NULL);
    by_update boolean := @extschema@._letta_by_update(order_by);  -- else by created_at
    lo_at    timestamptz;
    lo_id    uuid;
    hi_at    timestamptz;
    hi_id    uuid;
    kind     text := CASE WHEN identity_type IS NOT NULL THEN @extschema@._letta_identity_type(identity_type) END;
    -- property_key/property_value and each condition of properties, all as one containment.
    property jsonb := @extschema@._letta_property_filters(property_key, property_value, properties);
    page     uuid[];
BEGIN
    SELECT * INTO lo_at, lo_id, hi_at, hi_id
      FROM @extschema@._letta_page_bounds('identity', before, after, ascending IS TRUE, by_update);
    -- An end user's identities are those of their key: read by it, not by a walk of the
    -- organization's (row-level security leaves them only theirs in any case).
    identifier_key := coalesce(identifier_key, @extschema@._letta_end_user());

    IF by_update THEN
        -- By updated_at, as letta_list_agents: by key or by property, the identities that
        -- match, sorted; else the organization's from the bound, on the updated_at index.
        IF identifier_key IS NOT NULL OR property IS NOT NULL THEN
            page := ARRAY(
                WITH m AS MATERIALIZED (
                    SELECT i.updated_at, i.id FROM @extschema@.letta_identities i
                     WHERE i.organization_id = org AND i.identifier_key = identifier_key
                       AND (i.updated_at, i.id) > (lo_at, lo_id) AND (i.updated_at, i.id) < (hi_at, hi_id)
                       AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, property)
                    UNION ALL
                    SELECT i.updated_at, i.id FROM @extschema@.letta_identities i
                     WHERE identifier_key IS NULL AND i.organization_id = org AND i.properties @> property
                       AND ((i.updated_at, i.id) > (lo_at, lo_id)) IS TRUE AND ((i.updated_at, i.id) < (hi_at, hi_id)) IS TRUE
                       AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, NULL))
                SELECT m.id FROM m
                 ORDER BY CASE WHEN newest THEN m.updated_at END DESC, CASE WHEN newest THEN m.id END DESC,
                          m.updated_at, m.id
                 LIMIT n);
        ELSIF newest THEN
            page := ARRAY(
                SELECT i.id FROM @extschema@.letta_identities i
                 WHERE i.organization_id = org
                   AND (i.updated_at, i.id) > (lo_at, lo_id) AND (i.updated_at, i.id) < (hi_at, hi_id)
                   AND (SELECT @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, NULL))
                 ORDER BY i.updated_at DESC, i.id DESC
                 LIMIT n);
        ELSE
            page := ARRAY(
                SELECT i.id FROM @extschema@.letta_identities i
                 WHERE i.organization_id = org
                   AND (i.updated_at, i.id) > (lo_at, lo_id) AND (i.updated_at, i.id) < (hi_at, hi_id)
                   AND (SELECT @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, NULL))
                 ORDER BY i.updated_at, i.id
                 LIMIT n);
        END IF;
        -- In the order asked for: the final statement sorts by the position in page.
        IF newest = (ascending IS TRUE) THEN
            page := ARRAY(SELECT x FROM unnest(page) WITH ORDINALITY u(x, k) ORDER BY u.k DESC);
        END IF;
    ELSIF identifier_key IS NOT NULL THEN
        -- By key: one identity per project, by the unique key, then sorted.
        page := ARRAY(
            SELECT i.id FROM @extschema@.letta_identities i
             WHERE i.organization_id = org AND i.identifier_key = identifier_key
               AND (i.created_at, i.id) > (lo_at, lo_id) AND (i.created_at, i.id) < (hi_at, hi_id)
               AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, property)
             ORDER BY CASE WHEN newest THEN i.created_at END DESC, CASE WHEN newest THEN i.id END DESC,
                      i.created_at, i.id
             LIMIT n);
    ELSIF property IS NOT NULL THEN
        -- By property: the GIN index on properties finds them, then sorted. (Materialized, and
        -- the bounds a filter (IS TRUE), so that no other index is walked instead.)
        page := ARRAY(
            WITH m AS MATERIALIZED (
                SELECT i.created_at, i.id FROM @extschema@.letta_identities i
                 WHERE i.organization_id = org AND i.properties @> property
                   AND ((i.created_at, i.id) > (lo_at, lo_id)) IS TRUE AND ((i.created_at, i.id) < (hi_at, hi_id)) IS TRUE
                   AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, NULL))
            SELECT m.id FROM m
             ORDER BY CASE WHEN newest THEN m.created_at END DESC, CASE WHEN newest THEN m.id END DESC,
                      m.created_at, m.id
             LIMIT n);
    ELSE
        page := CASE WHEN newest
                THEN ARRAY(SELECT p.id FROM @extschema@._letta_recent_identities(org, lo_at, lo_id, hi_at, hi_id,
                               true, n, name, project_id, NULL, kind, NULL) p)
                ELSE ARRAY(SELECT p.id FROM @extschema@._letta_recent_identities(org, lo_at, lo_id, hi_at, hi_id,
                               false, n, name, project_id, NULL, kind, NULL) p) END;
    END IF;

    RETURN QUERY
    SELECT (i.shown).*
      FROM @extschema@._letta_identity_rows(org, page) i
     ORDER BY CASE WHEN by_update THEN array_position(page, i.id) END,
              CASE WHEN ascending THEN i.created_at END, CASE WHEN ascending THEN i.id END,
              i.created_at DESC, i.id DESC;
END
$$;

COMMENT ON FUNCTION letta_list_identities(text, text, text, text, text, jsonb, text, text, integer, boolean, jsonb, text) IS
'Identities of the current organization, newest first (ascending: oldest first) by created_at, or by updated_at with order_by => ''updated_at'', one page: filters name (case-insensitive substring), project_id, identifier_key, identity_type, a property (property_key, with property_value if given), and several at once (properties: a JSON array of {key, value} conditions, all of which must hold); cursors before/after are identity ids.';

CREATE FUNCTION letta_count_identities(
    name           text  DEFAULT NULL,
    project_id     text  DEFAULT NULL,
    identifier_key text  DEFAULT NULL,
    identity_type  text  DEFAULT NULL,
    property_key   text  DEFAULT NULL,
    property_value jsonb DEFAULT NULL,
    properties     jsonb DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_variable
DECLARE
    org      uuid  := @extschema@._letta_org();
    kind     text  := CASE WHEN identity_type IS NOT NULL THEN @extschema@._letta_identity_type(identity_type) END;
    property jsonb := @extschema@._letta_property_filters(property_key, property_value, properties);
BEGIN
    identifier_key := coalesce(identifier_key, @extschema@._letta_end_user());  -- (as the list)
    IF identifier_key IS NOT NULL THEN
        RETURN (SELECT count(*) FROM @extschema@.letta_identities i
                 WHERE i.organization_id = org AND i.identifier_key = identifier_key
                   AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, property));
    ELSIF property IS NOT NULL THEN
        RETURN (SELECT count(*) FROM @extschema@.letta_identities i
                 WHERE i.organization_id = org AND i.properties @> property
                   AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, NULL));
    END IF;
    RETURN (SELECT count(*) FROM @extschema@.letta_identities i
             WHERE i.organization_id = org
               AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, NULL));
END
$$;

COMMENT ON FUNCTION letta_count_identities(text, text, text, text, text, jsonb, jsonb) IS
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
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org      uuid   := @extschema@._letta_org();
    stamp    timestamptz := @extschema@._letta_stamp();
    identity uuid   := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
    agents   uuid[] := @extschema@._letta_uuids(agent_ids, 'agent', 'agent_ids');
    blocks   uuid[] := @extschema@._letta_uuids(block_ids, 'block', 'block_ids');
    existing @extschema@.letta_identities;
BEGIN
    SELECT * INTO existing FROM @extschema@.letta_identities r
     WHERE r.organization_id = org AND r.id = identity FOR UPDATE;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('identity', identity_id)::text;
    END IF;
    IF identifier_key IS NOT NULL AND identifier_key <> existing.identifier_key AND EXISTS (
           SELECT FROM @extschema@.letta_identities r
            WHERE r.organization_id = org AND r.identifier_key = identifier_key
              AND r.project_id IS NOT DISTINCT FROM existing.project_id) THEN
        RAISE EXCEPTION 'identity with identifier_key "%" already exists in %', identifier_key,
              coalesce('project "' || existing.project_id || '"', 'no project')
              USING ERRCODE = 'unique_violation';
    END IF;
    -- Checked here, not in the UPDATE: Citus evaluates the functions of an UPDATE before it
    -- runs, whichever CASE branch they sit in.
    IF identifier_key IS NOT NULL THEN
        identifier_key := @extschema@._letta_required(identifier_key, 'identifier_key');
    END IF;
    IF name IS NOT NULL THEN
        name := @extschema@._letta_required(name, 'name');
    END IF;
    IF identity_type IS NOT NULL THEN
        identity_type := @extschema@._letta_identity_type(identity_type);
    END IF;
    properties := @extschema@._letta_merge_properties(existing.properties, properties);
    UPDATE @extschema@.letta_identities r
       SET identifier_key = coalesce(identifier_key, r.identifier_key),
           name = coalesce(name, r.name),
           identity_type = coalesce(identity_type, r.identity_type),
           properties = properties,
           updated_at = stamp
     WHERE r.organization_id = org AND r.id = identity;
    PERFORM @extschema@._letta_link(org, 'agent', ARRAY[identity], agents);
    PERFORM @extschema@._letta_link(org, 'block', ARRAY[identity], blocks);
    RETURN (SELECT v.shown FROM @extschema@._letta_identity_rows(org, ARRAY[identity]) v);
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
    stamp    timestamptz := @extschema@._letta_stamp();  -- a value: Citus wants DO UPDATE SET free of functions
    identity uuid;
BEGIN
    -- The input checks as assignments, as in letta_create_identity.
    identifier_key := @extschema@._letta_required(identifier_key, 'identifier_key');
    name := @extschema@._letta_required(name, 'name');
    identity_type := @extschema@._letta_identity_type(identity_type);
    project_id := @extschema@._letta_project_id(project_id);
    properties := @extschema@._letta_properties(properties);
    INSERT INTO @extschema@.letta_identities AS r
           (organization_id, identifier_key, name, identity_type, project_id, properties)
    VALUES (org, identifier_key, name, identity_type, project_id, properties)
    ON CONFLICT ON CONSTRAINT letta_identities_key_unique DO UPDATE
       SET name = excluded.name,
           identity_type = excluded.identity_type,
           properties = excluded.properties,
           updated_at = stamp
    RETURNING r.id INTO identity;
    IF agent_ids IS NOT NULL THEN
        PERFORM @extschema@._letta_set_identity_links(org, 'agent', identity, agents);
    END IF;
    IF block_ids IS NOT NULL THEN
        PERFORM @extschema@._letta_set_identity_links(org, 'block', identity, blocks);
    END IF;
    RETURN (SELECT v.shown FROM @extschema@._letta_identity_rows(org, ARRAY[identity]) v);
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
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org      uuid := @extschema@._letta_org();
    stamp    timestamptz := @extschema@._letta_stamp();
    identity uuid := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
BEGIN
    properties := @extschema@._letta_required_properties(properties);
    UPDATE @extschema@.letta_identities r
       SET properties = properties, updated_at = stamp
     WHERE r.organization_id = org AND r.id = identity;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('identity', identity_id)::text;
    END IF;
    RETURN (SELECT v.shown FROM @extschema@._letta_identity_rows(org, ARRAY[identity]) v);
END
$$;

COMMENT ON FUNCTION letta_upsert_identity_properties(text, jsonb) IS
'Replace the whole property list of an identity.';

CREATE FUNCTION letta_delete_identity(identity_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org      uuid := @extschema@._letta_org();
    identity uuid := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
BEGIN
    DELETE FROM @extschema@.letta_identities r WHERE r.organization_id = org AND r.id = identity;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('identity', identity_id)::text;
    END IF;
END
$$;

COMMENT ON FUNCTION letta_delete_identity(text) IS
'Delete an identity. Its links go; its agents and blocks stay. P0002 if there is none.';

-- Forget an end user (the right to be forgotten): the identity, and what belongs to it alone,
-- in one transaction. Its agents and blocks are locked (in id order, as attach and detach lock
-- them) before "linked to no other identity" is decided, so that a link made meanwhile either
-- waits for this call or keeps its agent or block. A block in the memory of an agent that
-- stays is kept too.
CREATE FUNCTION letta_forget_identity(
    identity_id text,
    agents      boolean DEFAULT true,
    blocks      boolean DEFAULT true,
    dry_run     boolean DEFAULT false
)
RETURNS TABLE (kind text, id text)
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_column
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org        uuid := @extschema@._letta_org();
    identity   uuid := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
    own_agents uuid[] := '{}';
    own_blocks uuid[] := '{}';
BEGIN
    IF agents IS NULL OR blocks IS NULL OR dry_run IS NULL THEN
        RAISE EXCEPTION '% must not be NULL', CASE WHEN agents IS NULL THEN 'agents'
                                                   WHEN blocks IS NULL THEN 'blocks' ELSE 'dry_run' END
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM FROM @extschema@.letta_identities r WHERE r.organization_id = org AND r.id = identity FOR UPDATE;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('identity', identity_id)::text;
    END IF;
    IF agents THEN
        PERFORM FROM @extschema@.letta_agents a
         WHERE a.organization_id = org
           AND a.id IN (SELECT l.agent_id FROM @extschema@.letta_identities_agents l
                         WHERE l.organization_id = org AND l.identity_id = identity)
         ORDER BY a.id FOR UPDATE;
        own_agents := ARRAY(
            SELECT l.agent_id FROM @extschema@.letta_identities_agents l
             WHERE l.organization_id = org AND l.identity_id = identity
               AND NOT EXISTS (SELECT FROM @extschema@.letta_identities_agents o
                                WHERE o.organization_id = org AND o.agent_id = l.agent_id AND o.identity_id <> identity)
             ORDER BY l.agent_id);
    END IF;
    -- The blocks that go: the identity's own (unless blocks => false) and those in the memory of
    -- its agents that go, when no agent that stays and no other identity has them.
    IF blocks THEN
        own_blocks := ARRAY(SELECT l.block_id FROM @extschema@.letta_identities_blocks l
                             WHERE l.organization_id = org AND l.identity_id = identity);
    END IF;
    -- (Two statements: on Citus, one that reads a table runs on a worker, with the functions in
    -- it, which could not query from there.)
    own_blocks := own_blocks || ARRAY(SELECT m.block_id FROM @extschema@.letta_blocks_agents m
                                       WHERE m.organization_id = org AND m.agent_id = ANY (own_agents));
    own_blocks := @extschema@._letta_unshared_blocks(org, own_blocks, own_agents, CASE WHEN blocks THEN identity END);
    IF NOT dry_run THEN
        DELETE FROM @extschema@.letta_agents a WHERE a.organization_id = org AND a.id = ANY (own_agents);
        DELETE FROM @extschema@.letta_blocks b WHERE b.organization_id = org AND b.id = ANY (own_blocks);
        DELETE FROM @extschema@.letta_identities r WHERE r.organization_id = org AND r.id = identity;
    END IF;
    RETURN QUERY SELECT 'identity', 'identity-' || identity
                 UNION ALL SELECT 'agent', 'agent-' || x FROM unnest(own_agents) x
                 UNION ALL SELECT 'block', 'block-' || x FROM unnest(own_blocks) x;
END
$$;

COMMENT ON FUNCTION letta_forget_identity(text, boolean, boolean, boolean) IS
'Forget an end user in one transaction: delete the identity and (unless agents => false, blocks => false) the agents and blocks linked to it and to no other identity, with the blocks of those agents'' memory (a block also in the memory of an agent that stays, or shared by another identity, is kept). Returns what was deleted (kind, id), or with dry_run => true what would be, deleting nothing. P0002 if there is no such identity.';

-- What forgetting an identity leaves that still holds its data: the agents linked to it that
-- forget keeps (shared with another identity, or all of them with agents => false), and the
-- blocks linked to it or in the memory of its agents that forget keeps (another identity's too,
-- in a kept agent's memory, or all of them with blocks => false). Run before forget, in its
-- transaction, to tell the user what stays, or with a dry run. (Forget's own choice, made by
-- forget itself in a dry run: the two cannot disagree.)
CREATE FUNCTION letta_forget_identity_kept(
    identity_id text,
    agents      boolean DEFAULT true,
    blocks      boolean DEFAULT true
)
RETURNS TABLE (kind text, id text)
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_column
DECLARE
    org      uuid := @extschema@._letta_org();
    identity uuid;
    gone     text[];
    linked   uuid[];
BEGIN
    -- Forget's dry run: its refusals (NULL arguments 22023, a malformed id, P0002), its locks.
    gone := ARRAY(SELECT f.id FROM @extschema@.letta_forget_identity(identity_id, agents, blocks, true) f);
    identity := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
    linked := ARRAY(SELECT l.agent_id FROM @extschema@.letta_identities_agents l
                     WHERE l.organization_id = org AND l.identity_id = identity);
    RETURN QUERY
    SELECT 'agent', 'agent-' || a FROM unnest(linked) a
     WHERE NOT ('agent-' || a) = ANY (gone)
    UNION ALL
    SELECT 'block', 'block-' || b
      FROM (SELECT l.block_id FROM @extschema@.letta_identities_blocks l
             WHERE l.organization_id = org AND l.identity_id = identity
            UNION
            SELECT m.block_id FROM @extschema@.letta_blocks_agents m
             WHERE m.organization_id = org AND m.agent_id = ANY (linked)) k(b)
     WHERE NOT ('block-' || b) = ANY (gone)
     ORDER BY 1, 2;
END
$$;

COMMENT ON FUNCTION letta_forget_identity_kept(text, boolean, boolean) IS
'What letta_forget_identity (with the same agents and blocks) would keep that holds the identity''s data: the agents linked to it that another identity shares, and the blocks linked to it or in its agents'' memory that stay (kind, id); deletes nothing. P0002 if there is no such identity.';

-- Facets: how many agents and blocks each identity has, counted in the link tables' keys.
CREATE FUNCTION letta_count_by_identity(identity_ids text[] DEFAULT NULL)
RETURNS TABLE (identity_id text, agents bigint, blocks bigint)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    reported text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org     uuid   := @extschema@._letta_org();
    ids     uuid[] := CASE WHEN identity_ids IS NOT NULL
                           THEN @extschema@._letta_uuids(identity_ids, 'identity', 'identity_ids') END;
    missing uuid;
BEGIN
    IF ids IS NOT NULL THEN
        missing := (SELECT x FROM unnest(ids) x
                     WHERE NOT EXISTS (SELECT FROM @extschema@.letta_identities r
                                        WHERE r.organization_id = org AND r.id = x)
                     LIMIT 1);
        IF missing IS NOT NULL THEN
            reported := @extschema@._letta_not_found('identity', 'identity-' || missing)::text;
        END IF;
    END IF;
    -- Two statements, each with its own generic plan: "ids IS NULL OR r.id = ANY (ids)" in one
    -- would scan every identity for a few.
    IF ids IS NULL THEN
        RETURN QUERY
        SELECT 'identity-' || r.id,
               (SELECT count(*) FROM @extschema@.letta_identities_agents l
                 WHERE l.organization_id = org AND l.identity_id = r.id),
               (SELECT count(*) FROM @extschema@.letta_identities_blocks l
                 WHERE l.organization_id = org AND l.identity_id = r.id)
          FROM @extschema@.letta_identities r
         WHERE r.organization_id = org
         ORDER BY r.created_at DESC, r.id DESC;
    ELSE
        RETURN QUERY
        SELECT 'identity-' || r.id,
               (SELECT count(*) FROM @extschema@.letta_identities_agents l
                 WHERE l.organization_id = org AND l.identity_id = r.id),
               (SELECT count(*) FROM @extschema@.letta_identities_blocks l
                 WHERE l.organization_id = org AND l.identity_id = r.id)
          FROM @extschema@.letta_identities r
         WHERE r.organization_id = org AND r.id = ANY (ids)
         ORDER BY r.created_at DESC, r.id DESC;
    END IF;
END
$$;

COMMENT ON FUNCTION letta_count_by_identity(text[]) IS
'Facets: the number of agents (hidden ones too) and blocks linked to each identity of the current organization, or to those given, newest identity first. P0002 if a given identity does not exist.';
