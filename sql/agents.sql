-- letta_identity: agents, their links to identities, and the agent lists (by filters, by
-- identifier key, by identity). (Conventions: rows.sql.)

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
    PERFORM @extschema@._letta_lock_rows(org, 'identity', identities);
    -- Four statements in all: the organization, the identities' check, the agent, its links.
    -- The result is built from what was written, not read back.
    INSERT INTO @extschema@.letta_agents AS a
           (organization_id, id, name, tags, project_id, model, embedding,
            context_window_limit, memory_blocks, metadata, hidden)
    VALUES (org, new_id, name,
            @extschema@._letta_tags(tags),
            @extschema@._letta_project_id(project_id),
            model, embedding, @extschema@._letta_positive(context_window_limit, 'context_window_limit'),
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
    -- The keys an element may have are letta_create_agent's arguments: one list for both.
    known   text[] := (SELECT p.proargnames FROM pg_catalog.pg_proc p
                        WHERE p.oid = '@extschema@.letta_create_agent'::pg_catalog.regproc);
    problem text;
    ids     text[];
BEGIN
    IF jsonb_typeof(agents) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'agents must be a JSON array of objects, got %', coalesce(left(agents::text, 80), 'NULL')
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The first element that is not an object of known keys.
    SELECT format('agents[%s]: %s', e.n - 1, coalesce(
               CASE WHEN jsonb_typeof(e.agent) <> 'object' THEN 'not an object: ' || left(e.agent::text, 80) END,
               (SELECT 'unknown key "' || left(k, 80) || '"' FROM jsonb_object_keys(e.agent) k
                 WHERE k <> ALL (known) LIMIT 1)))
      INTO problem
      FROM jsonb_array_elements(agents) WITH ORDINALITY AS e(agent, n)
     WHERE jsonb_typeof(e.agent) <> 'object'
        OR EXISTS (SELECT FROM jsonb_object_keys(e.agent) k WHERE k <> ALL (known))
     ORDER BY e.n
     LIMIT 1;
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION '%', problem USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The identities must exist; they stay locked against deletion until the links are in.
    PERFORM @extschema@._letta_lock_rows(org, 'identity', ARRAY(
        SELECT DISTINCT i
          FROM jsonb_array_elements(agents) AS e(agent),
               jsonb_to_record(e.agent) AS r(identity_ids text[]),
               unnest(@extschema@._letta_uuids(r.identity_ids, 'identity', 'identity_ids')) AS i));
    WITH input AS MATERIALIZED (
        SELECT e.n,
               CASE WHEN r.id IS NULL THEN gen_random_uuid()
                    ELSE @extschema@._letta_uuid(r.id, 'agent', 'id') END AS id,
               r.name, r.tags, r.model, r.embedding,
               @extschema@._letta_positive(r.context_window_limit,
                                           format('agents[%s].context_window_limit', e.n - 1)) AS context_window_limit,
               r.memory_blocks,
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
        PERFORM @extschema@._letta_not_found('agent', agent_id);
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
    UPDATE @extschema@.letta_agents a
       SET name = coalesce(name, a.name),
           tags = CASE WHEN tags IS NULL THEN a.tags ELSE @extschema@._letta_tags(tags) END,
           model = coalesce(model, a.model),
           embedding = coalesce(embedding, a.embedding),
           context_window_limit = coalesce(@extschema@._letta_positive(context_window_limit, 'context_window_limit'),
                                           a.context_window_limit),
           memory_blocks = CASE WHEN memory_blocks IS NULL THEN a.memory_blocks
                                ELSE @extschema@._letta_memory_blocks(memory_blocks) END,
           project_id = coalesce(@extschema@._letta_project_id(project_id), a.project_id),
           metadata = CASE WHEN metadata IS NULL THEN a.metadata ELSE @extschema@._letta_metadata(metadata) END,
           hidden = coalesce(hidden, a.hidden),
           updated_at = now()
     WHERE a.organization_id = org AND a.id = agent;
    IF NOT FOUND THEN
        PERFORM @extschema@._letta_not_found('agent', agent_id);
    END IF;
    IF identity_ids IS NOT NULL THEN
        PERFORM @extschema@._letta_lock_rows(org, 'identity', identities);
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
        PERFORM @extschema@._letta_not_found('agent', agent_id);
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
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
-- PL/pgSQL with a generic plan: one query of fixed shape (the keys' identities, their links,
-- the agents by primary key), right for every key, planned once per connection in either
-- protocol (inlined SQL was planned at every simple-protocol call). The organization is a
-- value. (The agents are a subquery so that _letta_agent_out(a) reads columns, not a whole-row
-- value built for every agent.)
DECLARE
    org uuid := @extschema@._letta_org();
BEGIN
    PERFORM @extschema@._letta_check_list(identifier_keys, 'identifier_keys', true);
    RETURN QUERY
    SELECT o.*
      FROM (SELECT * FROM @extschema@.letta_agents) a
     CROSS JOIN LATERAL @extschema@._letta_agent_out(a) o
     WHERE a.organization_id = org
       AND a.id = ANY (@extschema@._letta_linked_agents(identifier_keys, NULL))
       AND (include_hidden IS TRUE OR NOT a.hidden)
     ORDER BY a.created_at DESC, a.id DESC;
END
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
