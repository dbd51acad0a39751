-- letta_identity 0.2.0 -> 0.3.0 (frozen with the 0.3.0 release).
-- _letta_org() is Rust now (once per statement); tag filters use the extension's leakproof
-- operators and their GIN index, so that they use the index under row-level security (the
-- index is rebuilt: on a large table this takes a while, like CREATE INDEX).
-- Added: _letta_linked_agents, letta_create_agents.
-- Changed: letta_create_identity, letta_list_identities, letta_create_agent, _letta_agents_matching, letta_list_agents, letta_agents_by_key.
\echo Use "ALTER EXTENSION letta_identity UPDATE TO '0.3.0'" to load this file. \quit

CREATE OR REPLACE FUNCTION "_letta_org"() RETURNS uuid /* PgUuid */
STRICT STABLE PARALLEL SAFE 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'current_organization_wrapper';

DROP FUNCTION _letta_resolve_org(uuid, boolean);

CREATE FUNCTION "_letta_tags_sel"(
	"root" internal, /* Internal */
	"operator" oid, /* pg_sys :: Oid */
	"args" internal, /* Internal */
	"var_relid" INT /* i32 */
) RETURNS double precision /* f64 */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_tags_sel_wrapper';

CREATE FUNCTION _letta_tags_overlap(text[], text[]) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'arrayoverlap';
CREATE FUNCTION _letta_tags_contain(text[], text[]) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'arraycontains';
CREATE FUNCTION _letta_tags_contained(text[], text[]) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'arraycontained';

CREATE OPERATOR &&& (
    LEFTARG = text[], RIGHTARG = text[], FUNCTION = _letta_tags_overlap,
    COMMUTATOR = &&&, RESTRICT = _letta_tags_sel, JOIN = arraycontjoinsel);
CREATE OPERATOR @>> (
    LEFTARG = text[], RIGHTARG = text[], FUNCTION = _letta_tags_contain,
    COMMUTATOR = <<@, RESTRICT = _letta_tags_sel, JOIN = arraycontjoinsel);
CREATE OPERATOR <<@ (
    LEFTARG = text[], RIGHTARG = text[], FUNCTION = _letta_tags_contained,
    COMMUTATOR = @>>, RESTRICT = _letta_tags_sel, JOIN = arraycontjoinsel);

-- Strategies 1-3 as the built-in array_ops: overlap, contains, contained.
CREATE OPERATOR CLASS letta_tags_ops FOR TYPE text[] USING gin AS
    OPERATOR 1 &&& (text[], text[]),
    OPERATOR 2 @>> (text[], text[]),
    OPERATOR 3 <<@ (text[], text[]),
    FUNCTION 1 pg_catalog.bttextcmp(text, text),
    FUNCTION 2 pg_catalog.ginarrayextract(anyarray, internal, internal),
    FUNCTION 3 pg_catalog.ginqueryarrayextract(anyarray, internal, int2, internal, internal, internal, internal),
    FUNCTION 4 pg_catalog.ginarrayconsistent(internal, int2, anyarray, int4, internal, internal, internal, internal),
    FUNCTION 6 pg_catalog.ginarraytriconsistent(internal, int2, anyarray, int4, internal, internal, internal),
    STORAGE text;

-- Tag filters (any of: &&&, all of: @>>). fastupdate is off: a growing pending list slowed
-- rare-tag queries ~20x between vacuums (../shared/pgrx-notes.md).
DROP INDEX letta_agents_tags_idx;
CREATE INDEX letta_agents_tags_idx ON letta_agents USING gin (tags letta_tags_ops) WITH (fastupdate = off);

CREATE FUNCTION _letta_linked_agents(identifier_keys text[], identity uuid)
RETURNS uuid[]
LANGUAGE plpgsql STABLE PARALLEL SAFE
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

CREATE OR REPLACE FUNCTION letta_create_identity(
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

CREATE OR REPLACE FUNCTION letta_list_identities(
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
LANGUAGE sql STABLE PARALLEL SAFE
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

CREATE OR REPLACE FUNCTION letta_create_agent(
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

CREATE OR REPLACE FUNCTION _letta_agents_matching(
    tags text[], match_all_tags boolean, identifier_keys text[], identity_id text,
    name text, query_text text, project_id text, include_hidden boolean)
RETURNS SETOF @extschema@.letta_agents
LANGUAGE sql STABLE PARALLEL SAFE
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

CREATE OR REPLACE FUNCTION letta_list_agents(
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
LANGUAGE sql STABLE PARALLEL SAFE
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

CREATE OR REPLACE FUNCTION letta_agents_by_key(identifier_keys text[], include_hidden boolean DEFAULT false)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE sql STABLE PARALLEL SAFE
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

-- The new functions: nothing for PUBLIC, EXECUTE for the roles already bound.
DO $$
DECLARE
    f regprocedure;
    r name;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
              WHERE p.pronamespace = '@extschema@'::regnamespace AND p.proname IN ('_letta_linked_agents', 'letta_create_agents', '_letta_tags_sel', '_letta_tags_overlap', '_letta_tags_contain', '_letta_tags_contained')
    LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        FOR r IN SELECT role_name FROM @extschema@.letta_role_organizations LOOP
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', f, r);
        END LOOP;
    END LOOP;
    -- Grants made by an extension script become the objects' initial privileges, which
    -- pg_dump leaves out: a restore would lose these. The initial privileges are a fresh
    -- install's (the owner's alone); the bound roles' grants are then ordinary ones, dumped
    -- and restored like those letta_bind_role makes.
    UPDATE pg_catalog.pg_init_privs i
       SET initprivs = ARRAY[pg_catalog.makeaclitem(p.proowner, p.proowner, 'EXECUTE', false)]
      FROM pg_catalog.pg_proc p
     WHERE i.classoid = 'pg_catalog.pg_proc'::regclass AND i.objoid = p.oid AND i.objsubid = 0
       AND p.pronamespace = '@extschema@'::regnamespace AND p.proname IN ('_letta_linked_agents', 'letta_create_agents', '_letta_tags_sel', '_letta_tags_overlap', '_letta_tags_contain', '_letta_tags_contained');
END
$$;
