-- letta_identity: the SQL API. Runs after schema.sql and the Rust helpers (_letta_*).
--
-- Reads are LANGUAGE sql, STABLE, not STRICT: PostgreSQL inlines them into the caller's
-- query, so the planner sees the argument values (tag filters then use the GIN index).
-- Writes are plpgsql: several statements, each error with its own SQLSTATE.
-- Every table and helper is qualified with @extschema@, so neither the caller's search_path
-- nor a temporary table of the same name can change what a function reads.

---------------------------------------------------------------------------------------------
-- Shaping rows: Letta's text ids and the link arrays. Inlined into every read.
---------------------------------------------------------------------------------------------

CREATE FUNCTION _letta_identity_out(i @extschema@.letta_identities)
RETURNS SETOF @extschema@.letta_identity
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
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
           '{}'::text[],
           'org-' || i.organization_id,
           i.properties,
           i.created_at,
           i.updated_at
$$;

CREATE FUNCTION _letta_agent_out(a @extschema@.letta_agents)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
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

CREATE FUNCTION _letta_identity_row(org uuid, identity uuid)
RETURNS SETOF @extschema@.letta_identity
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
AS $$
    SELECT o.*
      FROM @extschema@.letta_identities i
     CROSS JOIN LATERAL @extschema@._letta_identity_out(i) o
     WHERE i.organization_id = org AND i.id = identity
$$;

CREATE FUNCTION _letta_agent_row(org uuid, agent uuid)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
AS $$
    SELECT o.*
      FROM @extschema@.letta_agents a
     CROSS JOIN LATERAL @extschema@._letta_agent_out(a) o
     WHERE a.organization_id = org AND a.id = agent
$$;

---------------------------------------------------------------------------------------------
-- Links
---------------------------------------------------------------------------------------------

-- Lock the named identities and agents against deletion (in id order, so concurrent callers
-- cannot deadlock on each other) and fail with P0002 naming the first one that is missing.
CREATE FUNCTION _letta_require(org uuid, identity_ids uuid[], agent_ids uuid[])
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    missing uuid;
BEGIN
    PERFORM FROM @extschema@.letta_identities i
      WHERE i.organization_id = org AND i.id = ANY (identity_ids)
      ORDER BY i.id FOR KEY SHARE;
    SELECT x INTO missing FROM unnest(identity_ids) x
     WHERE NOT EXISTS (SELECT FROM @extschema@.letta_identities i
                        WHERE i.organization_id = org AND i.id = x)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'identity "identity-%" not found', missing USING ERRCODE = 'no_data_found';
    END IF;

    PERFORM FROM @extschema@.letta_agents a
      WHERE a.organization_id = org AND a.id = ANY (agent_ids)
      ORDER BY a.id FOR KEY SHARE;
    SELECT x INTO missing FROM unnest(agent_ids) x
     WHERE NOT EXISTS (SELECT FROM @extschema@.letta_agents a
                        WHERE a.organization_id = org AND a.id = x)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'agent "agent-%" not found', missing USING ERRCODE = 'no_data_found';
    END IF;
END
$$;

-- Link every given identity to every given agent; returns the number of new links.
CREATE FUNCTION _letta_link(org uuid, identity_ids uuid[], agent_ids uuid[])
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    added integer;
BEGIN
    PERFORM @extschema@._letta_require(org, identity_ids, agent_ids);
    INSERT INTO @extschema@.letta_identities_agents (organization_id, identity_id, agent_id)
    SELECT org, i, a FROM unnest(identity_ids) i, unnest(agent_ids) a
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    RETURN added;
END
$$;

---------------------------------------------------------------------------------------------
-- Organization
---------------------------------------------------------------------------------------------

CREATE FUNCTION letta_current_organization()
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT 'org-' || @extschema@._letta_org() $$;

COMMENT ON FUNCTION letta_current_organization() IS
'The organization every letta_* function works in: the setting letta.organization_id (default Letta''s default org).';

---------------------------------------------------------------------------------------------
-- Identities
---------------------------------------------------------------------------------------------

CREATE FUNCTION letta_create_identity(
    identifier_key text,
    name           text,
    identity_type  text   DEFAULT 'user',
    project_id     text   DEFAULT NULL,
    agent_ids      text[] DEFAULT '{}',
    properties     jsonb  DEFAULT '[]'
)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org      uuid   := @extschema@._letta_org();
    agents   uuid[] := @extschema@._letta_uuids(agent_ids, 'agent', 'agent_ids');
    new_id   uuid   := gen_random_uuid();
BEGIN
    INSERT INTO @extschema@.letta_identities
           (organization_id, id, identifier_key, name, identity_type, project_id, properties)
    VALUES (org, new_id,
            @extschema@._letta_required(identifier_key, 'identifier_key'),
            @extschema@._letta_required(name, 'name'),
            @extschema@._letta_identity_type(identity_type),
            @extschema@._letta_project_id(project_id),
            @extschema@._letta_properties(properties))
    ON CONFLICT ON CONSTRAINT letta_identities_key_unique DO NOTHING;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'identity with identifier_key "%" already exists in %', identifier_key,
              coalesce('project "' || project_id || '"', 'no project')
              USING ERRCODE = 'unique_violation';
    END IF;
    PERFORM @extschema@._letta_link(org, ARRAY[new_id], agents);
    RETURN @extschema@._letta_identity_row(org, new_id);
END
$$;

COMMENT ON FUNCTION letta_create_identity(text, text, text, text, text[], jsonb) IS
'Create an identity (one of the app''s users or orgs) in the current organization, linked to agent_ids. 23505 if identifier_key exists in the project.';

CREATE FUNCTION letta_get_identity(identity_id text)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    result @extschema@.letta_identity;
BEGIN
    SELECT * INTO result FROM @extschema@._letta_identity_row(
        @extschema@._letta_org(), @extschema@._letta_uuid(identity_id, 'identity', 'identity_id'));
    IF NOT FOUND THEN
        RAISE EXCEPTION 'identity "%" not found', identity_id USING ERRCODE = 'no_data_found';
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_get_identity(text) IS
'The identity with this id in the current organization; P0002 if there is none.';

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
    id                   text    DEFAULT NULL
)
RETURNS @extschema@.letta_agent
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org        uuid   := @extschema@._letta_org();
    new_id     uuid   := CASE WHEN id IS NULL THEN gen_random_uuid()
                              ELSE @extschema@._letta_uuid(id, 'agent', 'id') END;
    identities uuid[] := @extschema@._letta_uuids(identity_ids, 'identity', 'identity_ids');
BEGIN
    IF context_window_limit <= 0 THEN
        RAISE EXCEPTION 'context_window_limit must be positive, got %', context_window_limit
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO @extschema@.letta_agents
           (organization_id, id, name, tags, project_id, model, embedding,
            context_window_limit, memory_blocks, metadata)
    VALUES (org, new_id, name,
            @extschema@._letta_tags(tags),
            @extschema@._letta_project_id(project_id),
            model, embedding, context_window_limit,
            @extschema@._letta_memory_blocks(memory_blocks),
            @extschema@._letta_metadata(metadata))
    ON CONFLICT ON CONSTRAINT letta_agents_pkey DO NOTHING;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'agent "%" already exists', id USING ERRCODE = 'unique_violation';
    END IF;
    PERFORM @extschema@._letta_link(org, identities, ARRAY[new_id]);
    RETURN @extschema@._letta_agent_row(org, new_id);
END
$$;

COMMENT ON FUNCTION letta_create_agent(text, text[], text[], text, text, integer, jsonb, text, jsonb, text) IS
'Create an agent in the current organization, with tags (a set) and linked to identity_ids. Every argument is optional; id keeps an agent id mirrored from a Letta server.';

CREATE FUNCTION letta_get_agent(agent_id text)
RETURNS @extschema@.letta_agent
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
    result @extschema@.letta_agent;
BEGIN
    SELECT * INTO result FROM @extschema@._letta_agent_row(
        @extschema@._letta_org(), @extschema@._letta_uuid(agent_id, 'agent', 'agent_id'));
    IF NOT FOUND THEN
        RAISE EXCEPTION 'agent "%" not found', agent_id USING ERRCODE = 'no_data_found';
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_get_agent(text) IS
'The agent with this id in the current organization; P0002 if there is none.';

CREATE FUNCTION letta_attach_agent(identity_id text, agent_id text)
RETURNS boolean
LANGUAGE sql VOLATILE
AS $$
    SELECT @extschema@._letta_link(
               @extschema@._letta_org(),
               ARRAY[@extschema@._letta_uuid(identity_id, 'identity', 'identity_id')],
               ARRAY[@extschema@._letta_uuid(agent_id, 'agent', 'agent_id')]) > 0
$$;

COMMENT ON FUNCTION letta_attach_agent(text, text) IS
'Link an agent to an identity. Idempotent: true if the link is new, false if it existed. P0002 if either is missing.';

CREATE FUNCTION letta_detach_agent(identity_id text, agent_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org      uuid := @extschema@._letta_org();
    identity uuid := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
    agent    uuid := @extschema@._letta_uuid(agent_id, 'agent', 'agent_id');
BEGIN
    PERFORM @extschema@._letta_require(org, ARRAY[identity], ARRAY[agent]);
    DELETE FROM @extschema@.letta_identities_agents l
     WHERE l.organization_id = org AND l.identity_id = identity AND l.agent_id = agent;
    RETURN FOUND;
END
$$;

COMMENT ON FUNCTION letta_detach_agent(text, text) IS
'Unlink an agent from an identity. Idempotent: true if a link was removed, false if there was none. P0002 if either is missing.';

---------------------------------------------------------------------------------------------
-- Finding agents
---------------------------------------------------------------------------------------------

CREATE FUNCTION letta_agents_by_key(identifier_keys text[])
RETURNS SETOF @extschema@.letta_agent
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT o.*
      FROM @extschema@.letta_agents a
     CROSS JOIN LATERAL @extschema@._letta_agent_out(a) o
     WHERE @extschema@._letta_check_list(letta_agents_by_key.identifier_keys, 'identifier_keys', true)
       AND a.organization_id = @extschema@._letta_org()
       AND (a.organization_id, a.id) IN (
           SELECT l.organization_id, l.agent_id
             FROM @extschema@.letta_identities i
             JOIN @extschema@.letta_identities_agents l
               ON l.organization_id = i.organization_id AND l.identity_id = i.id
            WHERE i.organization_id = @extschema@._letta_org()
              AND i.identifier_key = ANY (letta_agents_by_key.identifier_keys))
     ORDER BY a.created_at DESC, a.id DESC
$$;

COMMENT ON FUNCTION letta_agents_by_key(text[]) IS
'Agents linked to any identity with one of these identifier keys (any project), each once, newest first.';

CREATE FUNCTION letta_list_agents(
    tags            text[]  DEFAULT NULL,
    match_all_tags  boolean DEFAULT false,
    identifier_keys text[]  DEFAULT NULL,
    page_size       integer DEFAULT 50
)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT o.*
      FROM @extschema@.letta_agents a
     CROSS JOIN LATERAL @extschema@._letta_agent_out(a) o
     WHERE @extschema@._letta_check_list(letta_list_agents.tags, 'tags', false)
       AND @extschema@._letta_check_list(letta_list_agents.identifier_keys, 'identifier_keys', false)
       AND a.organization_id = @extschema@._letta_org()
       AND (coalesce(cardinality(letta_list_agents.tags), 0) = 0
            OR CASE WHEN letta_list_agents.match_all_tags THEN a.tags @> letta_list_agents.tags
                 ELSE a.tags && letta_list_agents.tags END)
       AND (letta_list_agents.identifier_keys IS NULL OR (a.organization_id, a.id) IN (
           SELECT l.organization_id, l.agent_id
             FROM @extschema@.letta_identities i
             JOIN @extschema@.letta_identities_agents l
               ON l.organization_id = i.organization_id AND l.identity_id = i.id
            WHERE i.organization_id = @extschema@._letta_org()
              AND i.identifier_key = ANY (letta_list_agents.identifier_keys)))
     ORDER BY a.created_at DESC, a.id DESC
     LIMIT letta_list_agents.page_size
$$;

COMMENT ON FUNCTION letta_list_agents(text[], boolean, text[], integer) IS
'Agents of the current organization, newest first, at most page_size: with any of tags (all of them if match_all_tags) and linked to any of identifier_keys. NULL or empty filters do not filter.';
