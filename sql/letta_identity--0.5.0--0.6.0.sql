-- letta_identity 0.5.0 -> 0.6.0, released 2026-12-07. Citus: the rows of agents, identities and
-- blocks are read through _letta_agent_rows, _letta_identity_rows and _letta_block_rows (org,
-- ids), the views filtered on one node (inlined) and, on Citus, statements with the organization
-- in every table that Citus routes to one shard, each row's links read for it alone (the
-- grouped views that distribution made read the organization's links on every call; the views
-- are the same on every node now). Citus variants are declared at install (_letta_citus_X
-- beside _letta_X: those rows and the lists' page helpers) and switched by name
-- (_letta_use_citus_variants), no longer made by rewriting functions' text. Writes by key
-- (letta_create_agent's identifier_keys, letta_attach_agent_by_key, letta_detach_agent_by_key)
-- and what forget keeps (letta_forget_identity_kept). Administrators list the organizations in
-- use and delete one (letta_list_organizations, letta_delete_organization). Drafted by
-- scripts/upgrade-draft 0.5.0.
-- upgrade-draft: generated from here
-- Added: _letta_agent_list_filters, _letta_agent_rows, _letta_agents_all_tags,
-- Added: _letta_agents_by_update, _letta_block_rows, _letta_citus_agent_rows,
-- Added: _letta_citus_all_tags_page, _letta_citus_block_rows, _letta_citus_identity_rows,
-- Added: _letta_citus_recent_blocks, _letta_citus_recent_identities, _letta_citus_recent_page,
-- Added: _letta_citus_tag_entries, _letta_citus_tag_page, _letta_citus_two_tags_page,
-- Added: _letta_distributed_tables, _letta_identity_rows, _letta_key_identities,
-- Added: _letta_use_citus_variants, letta_attach_agent_by_key, letta_delete_organization,
-- Added: letta_detach_agent_by_key, letta_forget_identity_kept, letta_list_organizations.
-- Changed: _letta_agents_tags_truncate, _letta_for_apps, _letta_prepare_for_citus,
-- Changed: letta_agent_blocks, letta_agent_memory, letta_agents_by_key, letta_block_agents,
-- Changed: letta_blocks_by_key, letta_count_agents, letta_create_agent, letta_create_agents,
-- Changed: letta_create_block, letta_distribute, letta_drop_distributed_tables, letta_get_agent,
-- Changed: letta_get_agent_block, letta_get_block, letta_get_identity, letta_identity_blocks,
-- Changed: letta_list_agents, letta_list_blocks, letta_list_identities, letta_require_end_user,
-- Changed: letta_update_agent, letta_update_block, letta_update_identity, letta_upsert_identity,
-- Changed: letta_upsert_identity_properties.
-- Removed: _letta_citus_tables.
-- upgrade-draft: generated up to here
\echo Use "ALTER EXTENSION letta_identity UPDATE TO '0.6.0'" to load this file. \quit

-- The agent lists' filters, put in their statements' form once (agents.sql).
CREATE TYPE _letta_agent_list_filters AS (wanted text[], match_all_tags boolean, exclude_tags text[],
                                          all_tags text[], metadata jsonb, linked uuid[]);
COMMENT ON TYPE _letta_agent_list_filters IS 'The agent lists'' filters in their statements'' form (_letta_agent_list_filters).';

-- upgrade-draft: generated from here
DROP FUNCTION @extschema@.letta_create_agent(name text, tags text[], identity_ids text[], model text, embedding text, context_window_limit integer, memory_blocks jsonb, project_id text, metadata jsonb, id text, hidden boolean, block_ids text[]);
DROP FUNCTION @extschema@._letta_citus_tables();
CREATE OR REPLACE FUNCTION _letta_identity_rows(org uuid, ids uuid[])
RETURNS SETOF @extschema@._letta_identities_shown
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT v.* FROM @extschema@._letta_identities_shown v WHERE v.organization_id = org AND v.id = ANY (ids)
$$;

CREATE OR REPLACE FUNCTION _letta_agent_rows(org uuid, ids uuid[])
RETURNS SETOF @extschema@._letta_agents_shown
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT v.* FROM @extschema@._letta_agents_shown v WHERE v.organization_id = org AND v.id = ANY (ids)
$$;

CREATE OR REPLACE FUNCTION _letta_block_rows(org uuid, ids uuid[])
RETURNS SETOF @extschema@._letta_blocks_shown
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT v.* FROM @extschema@._letta_blocks_shown v WHERE v.organization_id = org AND v.id = ANY (ids)
$$;

CREATE OR REPLACE FUNCTION _letta_key_identities(org uuid, identifier_keys text[], arg text)
RETURNS uuid[]
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    checked boolean := @extschema@._letta_check_list(identifier_keys, arg, true);
    found   uuid[];
    keys    text[];
    missing text;
BEGIN
    SELECT coalesce(array_agg(i.id ORDER BY i.id), '{}'), coalesce(array_agg(DISTINCT i.identifier_key), '{}')
      INTO found, keys
      FROM @extschema@.letta_identities i
     WHERE i.organization_id = org AND i.identifier_key = ANY (identifier_keys);
    missing := (SELECT k FROM unnest(identifier_keys) k WHERE k <> ALL (keys) LIMIT 1);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'no identity with identifier_key "%"', missing
              USING ERRCODE = 'no_data_found',
                    HINT = 'Create it first: letta_create_identity or letta_upsert_identity.';
    END IF;
    RETURN found;
END
$$;

CREATE OR REPLACE FUNCTION _letta_agents_tags_truncate()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shard text := @extschema@._letta_tags_shard(TG_RELID, TG_TABLE_SCHEMA, TG_TABLE_NAME);
BEGIN
    IF shard IS NOT NULL THEN
        EXECUTE format('TRUNCATE %s', shard);
        RETURN NULL;
    END IF;
    -- On a Citus coordinator, letta_agents itself holds no rows: a TRUNCATE reaches every
    -- shard, whose trigger empties its own shard of the index.
    IF cardinality(@extschema@._letta_distributed_tables()) > 0 THEN
        RETURN NULL;
    END IF;
    TRUNCATE @extschema@.letta_agents_tags;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION letta_get_identity(identity_id text)
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

CREATE OR REPLACE FUNCTION letta_update_identity(
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

CREATE OR REPLACE FUNCTION letta_upsert_identity(
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

CREATE OR REPLACE FUNCTION letta_upsert_identity_properties(identity_id text, properties jsonb)
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

CREATE OR REPLACE FUNCTION letta_forget_identity_kept(
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
    hidden               boolean DEFAULT false,
    block_ids            text[]  DEFAULT '{}',
    identifier_keys      text[]  DEFAULT NULL
)
RETURNS @extschema@.letta_agent
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org        uuid   := @extschema@._letta_org();
    new_id     uuid   := CASE WHEN id IS NULL THEN gen_random_uuid()
                              ELSE @extschema@._letta_uuid(id, 'agent', 'id') END;
    identities uuid[] := @extschema@._letta_uuids(identity_ids, 'identity', 'identity_ids');
    stamp      timestamptz;
    attached   uuid[] := ARRAY(SELECT DISTINCT x FROM unnest(@extschema@._letta_uuids(block_ids, 'block', 'block_ids')) x);
    labels     text[];
    clash      text;
    result     @extschema@.letta_agent;
BEGIN
    -- The input checks as assignments, not inside the INSERT: an error's context is then this
    -- function's line, not the statement's text.
    tags := @extschema@._letta_tags(tags);
    project_id := @extschema@._letta_project_id(project_id);
    context_window_limit := @extschema@._letta_positive(context_window_limit, 'context_window_limit');
    memory_blocks := @extschema@._letta_memory_blocks(memory_blocks);
    metadata := @extschema@._letta_metadata(metadata);
    hidden := @extschema@._letta_created_hidden(tags, hidden);
    IF identifier_keys IS NOT NULL THEN
        -- The identities of these keys too (a user's agent made without looking them up).
        identities := ARRAY(SELECT DISTINCT x FROM unnest(identities || @extschema@._letta_key_identities(
                                org, identifier_keys, 'identifier_keys')) x);
    END IF;
    IF cardinality(identities) = 0 AND @extschema@._letta_end_user() IS NOT NULL THEN
        -- An end user's new agent is theirs: linked to their identities.
        identities := @extschema@._letta_end_user_identities();
        IF cardinality(identities) = 0 THEN
            RAISE EXCEPTION 'end user "%" has no identity to own the new agent', @extschema@._letta_end_user()
                  USING ERRCODE = 'no_data_found',
                        HINT = 'Create the end user''s identity first (letta_create_identity).';
        END IF;
    END IF;
    PERFORM @extschema@._letta_lock_rows(org, 'identity', identities);
    IF cardinality(attached) > 0 THEN
        -- The blocks of block_ids must exist, and an agent has one block per label.
        PERFORM @extschema@._letta_lock_rows(org, 'block', attached);
        labels := ARRAY(SELECT b.label FROM @extschema@.letta_blocks b
                         WHERE b.organization_id = org AND b.id = ANY (attached));
        clash := (SELECT x FROM unnest(labels || ARRAY(SELECT r.label FROM jsonb_to_recordset(memory_blocks) AS r(label text))) x
                   GROUP BY x HAVING count(*) > 1 LIMIT 1);
        IF clash IS NOT NULL THEN
            RAISE EXCEPTION 'the new agent would have two blocks labelled "%"', clash
                  USING ERRCODE = 'unique_violation',
                        DETAIL = 'An agent has one block per label: a block of block_ids has it, and another block of block_ids or of memory_blocks.';
        END IF;
    END IF;
    -- Without memory, four statements in all: the organization, the identities' check, the
    -- agent, its links; the result is built from what was written, not read back (nor
    -- returned: row-level security would check a returned row as read, and an end user's new
    -- agent is not theirs until the links below).
    -- An id given must be new (checked first; no ON CONFLICT, which row-level security would
    -- also check as a read of the new row; a race ends in the primary key's 23505).
    IF id IS NOT NULL AND EXISTS (SELECT FROM @extschema@.letta_agents a WHERE a.organization_id = org AND a.id = new_id) THEN
        RAISE EXCEPTION 'agent "%" already exists', id USING ERRCODE = 'unique_violation';
    END IF;
    stamp := @extschema@._letta_stamp();
    INSERT INTO @extschema@.letta_agents AS a
           (organization_id, id, name, tags, project_id, model, embedding,
            context_window_limit, metadata, hidden, created_at, updated_at)
    VALUES (org, new_id, name, tags, project_id, model, embedding, context_window_limit,
            metadata, hidden, stamp, stamp);
    IF @extschema@._letta_end_user() IS NOT NULL THEN
        -- An end user's new agent is theirs in this transaction, before its links.
        PERFORM @extschema@._letta_end_user_wrote('agent', ARRAY[new_id]);
    END IF;
    result := ROW('agent-' || new_id, name, tags, ARRAY(SELECT 'identity-' || x FROM unnest(identities) x),
                  project_id, 'org-' || org, model, embedding, context_window_limit, '[]'::jsonb, metadata,
                  hidden, stamp, stamp, '[]'::jsonb)::@extschema@.letta_agent;
    -- From the identities' table, as _letta_link (links.sql) does.
    INSERT INTO @extschema@.letta_identities_agents (organization_id, identity_id, agent_id)
    SELECT i.organization_id, i.id, new_id FROM @extschema@.letta_identities i
     WHERE i.organization_id = org AND i.id = ANY (identities);
    IF cardinality(attached) > 0 OR jsonb_array_length(memory_blocks) > 0 THEN
        -- Its memory: the blocks of block_ids, then a new block for each of memory_blocks.
        INSERT INTO @extschema@.letta_blocks_agents (organization_id, agent_id, block_id, block_label)
        SELECT b.organization_id, new_id, b.id, b.label FROM @extschema@.letta_blocks b
         WHERE b.organization_id = org AND b.id = ANY (attached);
        PERFORM @extschema@._letta_write_memory(org, new_id, memory_blocks, false);
        SELECT v.memory INTO result.memory_blocks
          FROM @extschema@._letta_agent_rows(org, ARRAY[new_id]) v;
    END IF;
    IF cardinality(identities) > 0 THEN
        -- Its identities whole: one read of the identities just locked, by primary key.
        SELECT v.identities INTO result.identities
          FROM @extschema@._letta_agent_rows(org, ARRAY[new_id]) v;
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_create_agent(text, text[], text[], text, text, integer, jsonb, text, jsonb, text, boolean, text[], text[]) IS
'Create an agent in the current organization, with tags (a set), linked to identity_ids and to the identities with identifier_keys (P0002 naming a key no identity has), its memory a new block for each of memory_blocks plus the existing blocks of block_ids (one block per label). Every argument is optional; id keeps an agent id mirrored from a Letta server.';

CREATE OR REPLACE FUNCTION letta_create_agents(agents jsonb)
RETURNS text[]
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org        uuid   := @extschema@._letta_org();
    -- The keys an element may have are letta_create_agent's arguments: one list for both.
    known      text[] := (SELECT p.proargnames FROM pg_catalog.pg_proc p
                           WHERE p.oid = '@extschema@.letta_create_agent'::pg_catalog.regproc);
    checked    boolean;
    given      uuid[];
    taken      uuid;
    attached   uuid[];
    labels     text[];  -- of the blocks of block_ids, in the order of found
    found_ids  uuid[];
    clash      record;
    new_agents @extschema@.letta_agents[];
    new_links  @extschema@.letta_identities_agents[];
    new_blocks @extschema@.letta_blocks[];
    new_memory @extschema@.letta_blocks_agents[];
    -- An end user's new agents are theirs: those without identity_ids are linked to them.
    theirs     uuid[] := CASE WHEN @extschema@._letta_end_user() IS NOT NULL
                              THEN @extschema@._letta_end_user_identities() END;
BEGIN
    -- Every element checked first, in one pass (the Rust check names the element and key).
    checked := @extschema@._letta_check_agents(agents, known);
    -- An id given twice, or taken: 23505 naming it, as letta_create_agent, before any write
    -- (and a statement of its own: on Citus a key violation inside the INSERT ... SELECT
    -- below reaches the caller without its SQLSTATE).
    given := ARRAY(SELECT @extschema@._letta_uuid(r.id, 'agent', 'id')
                     FROM jsonb_array_elements(agents) AS e(agent), jsonb_to_record(e.agent) AS r(id text)
                    WHERE r.id IS NOT NULL);
    IF cardinality(given) > 0 THEN
        taken := (SELECT x FROM unnest(given) x GROUP BY x HAVING count(*) > 1 LIMIT 1);
        IF taken IS NOT NULL THEN
            RAISE EXCEPTION 'agent "agent-%" is given twice', taken USING ERRCODE = 'unique_violation';
        END IF;
        taken := (SELECT a.id FROM @extschema@.letta_agents a
                   WHERE a.organization_id = org AND a.id = ANY (given) LIMIT 1);
        IF taken IS NOT NULL THEN
            RAISE EXCEPTION 'agent "agent-%" already exists', taken USING ERRCODE = 'unique_violation';
        END IF;
    END IF;
    -- The identities must exist; they stay locked against deletion until the links are in.
    PERFORM @extschema@._letta_lock_rows(org, 'identity', ARRAY(
        SELECT DISTINCT i
          FROM jsonb_array_elements(agents) AS e(agent),
               jsonb_to_record(e.agent) AS r(identity_ids text[]),
               unnest(@extschema@._letta_uuids(r.identity_ids, 'identity', 'identity_ids')) AS i));
    -- The blocks of block_ids too, and their labels (a statement of its own: on Citus, one
    -- that reads a table is routed to a worker, where the new rows' stamps must not be made).
    attached := ARRAY(
        SELECT DISTINCT b
          FROM jsonb_array_elements(agents) AS e(agent),
               jsonb_to_record(e.agent) AS r(block_ids text[]),
               unnest(@extschema@._letta_uuids(r.block_ids, 'block', 'block_ids')) AS b);
    IF cardinality(attached) > 0 THEN
        PERFORM @extschema@._letta_lock_rows(org, 'block', attached);
        SELECT array_agg(b.id), array_agg(b.label) INTO found_ids, labels
          FROM @extschema@.letta_blocks b
         WHERE b.organization_id = org AND b.id = ANY (attached);
    END IF;
    -- The rows, whole (the table's defaults written out), in input order, and their links;
    -- each agent's memory: the blocks of its block_ids, then a new block per memory_blocks.
    WITH input AS MATERIALIZED (
        SELECT e.n,
               CASE WHEN r.id IS NULL THEN gen_random_uuid()
                    ELSE @extschema@._letta_uuid(r.id, 'agent', 'id') END AS id,
               r.name, r.tags, r.model, r.embedding,
               r.context_window_limit,  -- (checked with the rest by _letta_check_agents)
               r.project_id, r.metadata, r.hidden,
               CASE WHEN cardinality(r.identity_ids) > 0 OR theirs IS NULL
                    THEN @extschema@._letta_uuids(r.identity_ids, 'identity', 'identity_ids')
                    ELSE theirs END AS identities,  -- (an end user's: linked to them)
               @extschema@._letta_uuids(r.block_ids, 'block', 'block_ids') AS blocks,
               CASE WHEN r.memory_blocks IS NOT NULL
                    THEN @extschema@._letta_memory_blocks(r.memory_blocks) END AS memory,
               @extschema@._letta_stamp() AS stamp  -- in input order: the agents list in it
          FROM jsonb_array_elements(agents) WITH ORDINALITY AS e(agent, n),
               jsonb_to_record(e.agent) AS r(id text, name text, tags text[], identity_ids text[],
                   model text, embedding text, context_window_limit integer, memory_blocks jsonb,
                   project_id text, metadata jsonb, hidden boolean, block_ids text[])
    ), memory AS MATERIALIZED (
        SELECT i.n, m.k, i.id AS agent_id, gen_random_uuid() AS id, m.label, m.value, m."limit",
               m.description, m.metadata, m.read_only,
               @extschema@._letta_stamp() AS stamp  -- after the agents', in input order
          FROM input i,
               ROWS FROM (jsonb_to_recordset(i.memory) AS (label text, value text, "limit" integer,
                   description text, metadata jsonb, read_only boolean)) WITH ORDINALITY
                   AS m(label, value, "limit", description, metadata, read_only, k)
    )
    -- (Checked by _letta_check_agents; tags are still made a sorted set.)
    SELECT ARRAY(SELECT ROW(org, i.id, i.name,
                            @extschema@._letta_tags(coalesce(i.tags, '{}')),
                            i.project_id, i.model, i.embedding, i.context_window_limit,
                            coalesce(i.metadata, '{}'),
                            @extschema@._letta_created_hidden(i.tags, i.hidden), i.stamp, i.stamp)::@extschema@.letta_agents
                   FROM input i ORDER BY i.n),
           ARRAY(SELECT ROW(org, l, i.id)::@extschema@.letta_identities_agents
                   FROM input i, unnest(i.identities) AS l ORDER BY i.n),
           ARRAY(SELECT ROW(org, m.id, m.label, m.value, coalesce(m."limit", @extschema@._letta_default_limit()),
                            coalesce(m.description, @extschema@._letta_default_description(m.label)),
                            coalesce(m.metadata, '{}'),
                            m.stamp, m.stamp, coalesce(m.read_only, false), NULL, false, '{}')::@extschema@.letta_blocks
                   FROM memory m ORDER BY m.n, m.k),
           ARRAY(SELECT ROW(org, i.id, x.block_id, x.block_label)::@extschema@.letta_blocks_agents
                   FROM input i CROSS JOIN LATERAL (SELECT DISTINCT b FROM unnest(i.blocks) b) d
                   JOIN unnest(found_ids, labels) AS x(block_id, block_label) ON x.block_id = d.b
                 UNION ALL
                 SELECT ROW(org, m.agent_id, m.id, m.label)::@extschema@.letta_blocks_agents
                   FROM memory m)
      INTO new_agents, new_links, new_blocks, new_memory;
    -- One block per label in an agent: a block of block_ids may share a label with another.
    SELECT a.ordinality AS n, l.block_label INTO clash
      FROM unnest(new_memory) l
      JOIN unnest(new_agents) WITH ORDINALITY AS a ON a.id = l.agent_id
     GROUP BY a.ordinality, l.block_label HAVING count(*) > 1
     ORDER BY a.ordinality LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'agents[%] would have two blocks labelled "%"', clash.n - 1, clash.block_label
              USING ERRCODE = 'unique_violation',
                    DETAIL = 'An agent has one block per label: a block of its block_ids has it, and another block of block_ids or of memory_blocks.';
    END IF;
    IF theirs IS NOT NULL THEN
        -- An end user's: the new agents and blocks theirs before their links.
        IF cardinality(theirs) = 0 AND EXISTS (SELECT FROM unnest(new_agents) a
                                                WHERE a.id <> ALL (ARRAY(SELECT l.agent_id FROM unnest(new_links) l))) THEN
            RAISE EXCEPTION 'end user "%" has no identity to own the new agents', @extschema@._letta_end_user()
                  USING ERRCODE = 'no_data_found',
                        HINT = 'Create the end user''s identity first (letta_create_identity).';
        END IF;
        INSERT INTO @extschema@.letta_agents SELECT * FROM unnest(new_agents);
        PERFORM @extschema@._letta_end_user_wrote('agent', ARRAY(SELECT a.id FROM unnest(new_agents) a));
        INSERT INTO @extschema@.letta_identities_agents SELECT * FROM unnest(new_links);
        INSERT INTO @extschema@.letta_blocks SELECT * FROM unnest(new_blocks);
        PERFORM @extschema@._letta_end_user_wrote('block', ARRAY(SELECT b.id FROM unnest(new_blocks) b));
        INSERT INTO @extschema@.letta_blocks_agents SELECT * FROM unnest(new_memory);
    ELSIF cardinality(@extschema@._letta_distributed_tables()) = 0 THEN
        INSERT INTO @extschema@.letta_agents SELECT * FROM unnest(new_agents);
        INSERT INTO @extschema@.letta_identities_agents SELECT * FROM unnest(new_links);
        INSERT INTO @extschema@.letta_blocks SELECT * FROM unnest(new_blocks);
        INSERT INTO @extschema@.letta_blocks_agents SELECT * FROM unnest(new_memory);
    ELSE
        -- Citus moves the rows of an INSERT ... SELECT with COPY, which row-level security
        -- refuses (0A000).
        PERFORM @extschema@._letta_insert_rows('@extschema@.letta_agents', new_agents);
        PERFORM @extschema@._letta_insert_rows('@extschema@.letta_identities_agents', new_links);
        PERFORM @extschema@._letta_insert_rows('@extschema@.letta_blocks', new_blocks);
        PERFORM @extschema@._letta_insert_rows('@extschema@.letta_blocks_agents', new_memory);
    END IF;
    RETURN ARRAY(SELECT 'agent-' || a.id FROM unnest(new_agents) a);
END
$$;

COMMENT ON FUNCTION letta_create_agents(jsonb) IS
'Create many agents in one call: a JSON array of objects whose keys are letta_create_agent''s arguments (memory_blocks and block_ids included). Returns the new ids in input order. All or nothing.';

CREATE OR REPLACE FUNCTION letta_get_agent(agent_id text)
RETURNS @extschema@.letta_agent
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org    uuid := @extschema@._letta_org();
    agent  uuid := @extschema@._letta_uuid(agent_id, 'agent', 'agent_id');
    result @extschema@.letta_agent;
BEGIN
    -- (SELECT INTO, not an assignment: Citus cannot send a worker an assignment to a row.)
    SELECT (r.agent).* INTO result
      FROM (SELECT @extschema@._letta_agent_with(v.shown, v.memory, v.identities) AS agent
              FROM @extschema@._letta_agent_rows(org, ARRAY[agent]) v OFFSET 0) r;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('agent', agent_id)::text;
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_get_agent(text) IS
'The agent with this id in the current organization; P0002 if there is none.';

CREATE OR REPLACE FUNCTION letta_update_agent(
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
    hidden               boolean DEFAULT NULL,
    block_ids            text[]  DEFAULT NULL
)
RETURNS @extschema@.letta_agent
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_variable
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org        uuid   := @extschema@._letta_org();
    stamp      timestamptz := @extschema@._letta_stamp();
    agent      uuid   := @extschema@._letta_uuid(agent_id, 'agent', 'agent_id');
    identities uuid[] := @extschema@._letta_uuids(identity_ids, 'identity', 'identity_ids');
    blocks     uuid[] := @extschema@._letta_uuids(block_ids, 'block', 'block_ids');
BEGIN
    -- The input checks as assignments, as in letta_create_agent; NULL keeps a value.
    IF tags IS NOT NULL THEN
        tags := @extschema@._letta_tags(tags);
    END IF;
    context_window_limit := @extschema@._letta_positive(context_window_limit, 'context_window_limit');
    IF memory_blocks IS NOT NULL THEN
        memory_blocks := @extschema@._letta_memory_blocks(memory_blocks);
    END IF;
    IF block_ids IS NOT NULL AND memory_blocks IS NOT NULL THEN
        RAISE EXCEPTION 'give block_ids or memory_blocks, not both'
              USING ERRCODE = 'invalid_parameter_value',
                    DETAIL = 'Each sets the agent''s whole memory: block_ids by blocks, memory_blocks by labels.';
    END IF;
    project_id := @extschema@._letta_project_id(project_id);
    IF metadata IS NOT NULL THEN
        metadata := @extschema@._letta_metadata(metadata);
    END IF;
    IF identity_ids IS NOT NULL THEN
        -- The lock order (README): identities before the agent.
        PERFORM @extschema@._letta_lock_rows(org, 'identity', identities);
    END IF;
    UPDATE @extschema@.letta_agents a
       SET name = coalesce(name, a.name),
           tags = coalesce(tags, a.tags),
           model = coalesce(model, a.model),
           embedding = coalesce(embedding, a.embedding),
           context_window_limit = coalesce(context_window_limit, a.context_window_limit),
           project_id = coalesce(project_id, a.project_id),
           metadata = coalesce(metadata, a.metadata),
           hidden = coalesce(hidden, a.hidden),
           updated_at = stamp
     WHERE a.organization_id = org AND a.id = agent;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('agent', agent_id)::text;
    END IF;
    IF identity_ids IS NOT NULL THEN
        DELETE FROM @extschema@.letta_identities_agents l
         WHERE l.organization_id = org AND l.agent_id = agent AND l.identity_id <> ALL (identities);
        PERFORM @extschema@._letta_link(org, 'agent', identities, ARRAY[agent]);
    END IF;
    IF memory_blocks IS NOT NULL THEN
        PERFORM @extschema@._letta_write_memory(org, agent, memory_blocks, true);
    END IF;
    IF block_ids IS NOT NULL THEN
        PERFORM @extschema@._letta_set_memory(org, agent, blocks);
    END IF;
    RETURN (SELECT @extschema@._letta_agent_with(v.shown, v.memory, v.identities)
              FROM @extschema@._letta_agent_rows(org, ARRAY[agent]) v);
END
$$;

COMMENT ON FUNCTION letta_update_agent(text, text, text[], text[], text, text, integer, jsonb, text, jsonb, boolean, text[]) IS
'Update an agent: NULL keeps a value; tags, identity_ids and block_ids given as a list replace exactly (an empty list clears; blocks that leave its memory stay, P0002 for a missing one, 23505 for two with one label). memory_blocks given (not with block_ids) makes its memory those labels: a label it has updates that block, a new label is a new block, and its blocks with other labels leave its memory (and stay).';

CREATE OR REPLACE FUNCTION letta_attach_agent_by_key(identifier_key text, agent_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org uuid := @extschema@._letta_org();
BEGIN
    identifier_key := @extschema@._letta_required(identifier_key, 'identifier_key');
    RETURN @extschema@._letta_link(
               org, 'agent',
               @extschema@._letta_key_identities(org, ARRAY[identifier_key], 'identifier_key'),
               ARRAY[@extschema@._letta_uuid(agent_id, 'agent', 'agent_id')]) > 0;
END
$$;

COMMENT ON FUNCTION letta_attach_agent_by_key(text, text) IS
'Link an agent to the identity with this identifier_key (to each, in every project, when several have it). Idempotent: true if a link is new. P0002 if there is no such identity or agent.';

CREATE OR REPLACE FUNCTION letta_detach_agent_by_key(identifier_key text, agent_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org uuid := @extschema@._letta_org();
BEGIN
    identifier_key := @extschema@._letta_required(identifier_key, 'identifier_key');
    RETURN @extschema@._letta_unlink(
               org, 'agent',
               @extschema@._letta_key_identities(org, ARRAY[identifier_key], 'identifier_key'),
               ARRAY[@extschema@._letta_uuid(agent_id, 'agent', 'agent_id')]) > 0;
END
$$;

COMMENT ON FUNCTION letta_detach_agent_by_key(text, text) IS
'Unlink an agent from the identity with this identifier_key (from each, when several have it). Idempotent: true if a link was removed. P0002 if there is no such identity or agent.';

CREATE OR REPLACE FUNCTION _letta_agent_list_filters(tags text[], match_all_tags boolean, identifier_keys text[],
                                          identity_id text, exclude_tags text[], all_tags text[],
                                          metadata jsonb)
RETURNS @extschema@._letta_agent_list_filters
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    tag_filters @extschema@._letta_agent_filters;
    result      @extschema@._letta_agent_list_filters;
BEGIN
    result.metadata := metadata;
    tag_filters := @extschema@._letta_agent_filters(tags, match_all_tags, exclude_tags, all_tags);
    result.wanted := tag_filters.wanted;
    result.match_all_tags := tag_filters.match_all_tags;
    result.exclude_tags := tag_filters.exclude_tags;
    result.all_tags := tag_filters.all_tags;
    result.linked := @extschema@._letta_linked_filter(identifier_keys, identity_id);
    RETURN result;
END
$$;

CREATE OR REPLACE FUNCTION _letta_agents_by_update(org uuid, filters @extschema@._letta_agent_list_filters,
                                        lo_at timestamptz, lo_id uuid, hi_at timestamptz, hi_id uuid,
                                        newest boolean, n integer, name text, query_text text,
                                        project_id text, include_hidden boolean)
RETURNS uuid[]
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_variable
DECLARE
    -- (The filters as variables of their own: the statements are letta_list_agents'.)
    wanted         text[]  := filters.wanted;
    match_all_tags boolean := filters.match_all_tags;
    exclude_tags   text[]  := filters.exclude_tags;
    all_tags       text[]  := filters.all_tags;
    metadata       jsonb   := filters.metadata;
    linked         uuid[]  := filters.linked;
    page    uuid[];
    edge_at timestamptz;  -- with tags: the last agent walked
    edge_id uuid;
    walk    constant integer := 500;
BEGIN
    -- By updated_at, on its index (the ordered tag index is in creation order). Of some
    -- identities: their agents by primary key, sorted. With tags: the first walk agents
    -- from the bound, each checked (a common tag fills the page among them), then the rest
    -- of the page beyond the last walked from the GIN index, sorted (a rare tag's agents
    -- are few). Else the organization's agents from the bound, the filters a subquery as
    -- in _letta_recent_page.
    IF linked IS NOT NULL THEN
        page := ARRAY(
            SELECT a.id FROM @extschema@.letta_agents a
             WHERE a.organization_id = org AND a.id = ANY (linked)
               AND (a.updated_at, a.id) > (lo_at, lo_id) AND (a.updated_at, a.id) < (hi_at, hi_id)
               AND @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, wanted, match_all_tags, name, query_text, project_id, include_hidden,
                                                 a.metadata, exclude_tags, all_tags, metadata)
             ORDER BY CASE WHEN newest THEN a.updated_at END DESC, CASE WHEN newest THEN a.id END DESC,
                      a.updated_at, a.id
             LIMIT n);
    ELSIF wanted IS NOT NULL THEN
        IF newest THEN
            page := ARRAY(
                SELECT w.id FROM (SELECT a.* FROM @extschema@.letta_agents a
                                   WHERE a.organization_id = org
                                     AND (a.updated_at, a.id) > (lo_at, lo_id) AND (a.updated_at, a.id) < (hi_at, hi_id)
                                   ORDER BY a.updated_at DESC, a.id DESC LIMIT walk) w
                 WHERE @extschema@._letta_agent_kept(w.tags, w.name, w.project_id, w.hidden, wanted, match_all_tags, name, query_text, project_id, include_hidden,
                                                     w.metadata, exclude_tags, all_tags, metadata)
                 ORDER BY w.updated_at DESC, w.id DESC LIMIT n);
            SELECT a.updated_at, a.id INTO edge_at, edge_id FROM @extschema@.letta_agents a
             WHERE a.organization_id = org
               AND (a.updated_at, a.id) > (lo_at, lo_id) AND (a.updated_at, a.id) < (hi_at, hi_id)
             ORDER BY a.updated_at DESC, a.id DESC OFFSET walk - 1 LIMIT 1;
            hi_at := edge_at;
            hi_id := edge_id;
        ELSE
            page := ARRAY(
                SELECT w.id FROM (SELECT a.* FROM @extschema@.letta_agents a
                                   WHERE a.organization_id = org
                                     AND (a.updated_at, a.id) > (lo_at, lo_id) AND (a.updated_at, a.id) < (hi_at, hi_id)
                                   ORDER BY a.updated_at, a.id LIMIT walk) w
                 WHERE @extschema@._letta_agent_kept(w.tags, w.name, w.project_id, w.hidden, wanted, match_all_tags, name, query_text, project_id, include_hidden,
                                                     w.metadata, exclude_tags, all_tags, metadata)
                 ORDER BY w.updated_at, w.id LIMIT n);
            SELECT a.updated_at, a.id INTO edge_at, edge_id FROM @extschema@.letta_agents a
             WHERE a.organization_id = org
               AND (a.updated_at, a.id) > (lo_at, lo_id) AND (a.updated_at, a.id) < (hi_at, hi_id)
             ORDER BY a.updated_at, a.id OFFSET walk - 1 LIMIT 1;
            lo_at := edge_at;
            lo_id := edge_id;
        END IF;
        -- (No walk-th agent: the walk read them all.)
        IF cardinality(page) < n AND edge_id IS NOT NULL THEN
            page := page || ARRAY(
                WITH m AS MATERIALIZED (
                    SELECT a.updated_at, a.id FROM @extschema@.letta_agents a
                     WHERE a.organization_id = org
                       -- (&&& for any tag, @>> for all: one operand is NULL, its scan empty.)
                       AND (a.tags OPERATOR(@extschema@.&&&) CASE WHEN NOT match_all_tags THEN wanted END
                            OR a.tags OPERATOR(@extschema@.@>>) CASE WHEN match_all_tags THEN wanted END)
                       AND ((a.updated_at, a.id) > (lo_at, lo_id)) IS TRUE AND ((a.updated_at, a.id) < (hi_at, hi_id)) IS TRUE
                       AND @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, wanted, match_all_tags, name, query_text, project_id, include_hidden,
                                                         a.metadata, exclude_tags, all_tags, metadata))
                SELECT m.id FROM m
                 ORDER BY CASE WHEN newest THEN m.updated_at END DESC, CASE WHEN newest THEN m.id END DESC,
                          m.updated_at, m.id
                 LIMIT n - cardinality(page));
        END IF;
    ELSIF newest THEN
        page := ARRAY(
            SELECT a.id FROM @extschema@.letta_agents a
             WHERE a.organization_id = org
               AND (a.updated_at, a.id) > (lo_at, lo_id) AND (a.updated_at, a.id) < (hi_at, hi_id)
               AND (SELECT @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, name, query_text, project_id, include_hidden,
                                                         a.metadata, exclude_tags, all_tags, metadata))
             ORDER BY a.updated_at DESC, a.id DESC
             LIMIT n);
    ELSE
        page := ARRAY(
            SELECT a.id FROM @extschema@.letta_agents a
             WHERE a.organization_id = org
               AND (a.updated_at, a.id) > (lo_at, lo_id) AND (a.updated_at, a.id) < (hi_at, hi_id)
               AND (SELECT @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, name, query_text, project_id, include_hidden,
                                                         a.metadata, exclude_tags, all_tags, metadata))
             ORDER BY a.updated_at, a.id
             LIMIT n);
    END IF;
    RETURN page;
END
$$;

CREATE OR REPLACE FUNCTION _letta_agents_all_tags(org uuid, wanted text[], lo_at timestamptz, lo_id uuid,
                                       hi_at timestamptz, hi_id uuid, newest boolean, n integer,
                                       name text, query_text text, project_id text, include_hidden boolean,
                                       exclude_tags text[], all_tags text[], metadata jsonb)
RETURNS uuid[]
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_variable
DECLARE
    driver text;
    other  text;
    seen   integer;
    page   uuid[];
    -- A tag with fewer entries than rare (in the bounds) is rare; the rarest tag's entries are
    -- walked in list order while at most walk.
    rare   constant integer := 1000;
    walk   constant integer := 500;
BEGIN
    -- All of the tags: the rarest, counted up to rare.
    SELECT w.tag, (SELECT count(*) FROM @extschema@._letta_tag_entries(org, w.tag, lo_at, lo_id,
                                            hi_at, hi_id, true, 0, rare))
      INTO driver, seen
      FROM unnest(wanted) w(tag)
     ORDER BY 2, 1
     LIMIT 1;
    other := (SELECT w.tag FROM unnest(wanted) w(tag) WHERE w.tag <> driver LIMIT 1);
    page := '{}';
    IF seen = rare AND cardinality(wanted) = 2 THEN
        page := ARRAY(
            SELECT p.id FROM @extschema@._letta_two_tags_page(org, driver, other, lo_at, lo_id, hi_at, hi_id,
                                 true, walk, n, name, query_text, project_id, include_hidden,
                           exclude_tags, all_tags, metadata) p WHERE newest
            UNION ALL
            SELECT p.id FROM @extschema@._letta_two_tags_page(org, driver, other, lo_at, lo_id, hi_at, hi_id,
                                 false, walk, n, name, query_text, project_id, include_hidden,
                           exclude_tags, all_tags, metadata) p WHERE NOT newest);
    ELSIF seen = rare THEN
        page := ARRAY(
            SELECT p.id FROM @extschema@._letta_all_tags_page(org, driver, wanted, lo_at, lo_id, hi_at, hi_id,
                                 true, walk, n, name, query_text, project_id, include_hidden,
                           exclude_tags, all_tags, metadata) p WHERE newest
            UNION ALL
            SELECT p.id FROM @extschema@._letta_all_tags_page(org, driver, wanted, lo_at, lo_id, hi_at, hi_id,
                                 false, walk, n, name, query_text, project_id, include_hidden,
                           exclude_tags, all_tags, metadata) p WHERE NOT newest);
    END IF;
    IF seen = rare AND cardinality(page) < n THEN
        -- The rest of the page lies beyond the last entry walked.
        IF newest THEN
            SELECT e.created_at, e.agent_id INTO hi_at, hi_id
              FROM @extschema@._letta_tag_entries(org, driver, lo_at, lo_id, hi_at, hi_id, true, walk - 1, 1) e;
        ELSE
            SELECT e.created_at, e.agent_id INTO lo_at, lo_id
              FROM @extschema@._letta_tag_entries(org, driver, lo_at, lo_id, hi_at, hi_id, false, walk - 1, 1) e;
        END IF;
    END IF;
    IF cardinality(page) < n THEN
        -- (Materialized, and the bounds a filter (IS TRUE), so that it is the GIN index
        -- that finds them: the matches are few here, and an ordered scan would wait long
        -- for each.)
        page := page || ARRAY(
            WITH m AS MATERIALIZED (
                SELECT a.created_at, a.id FROM @extschema@.letta_agents a
                 WHERE a.organization_id = org AND a.tags OPERATOR(@extschema@.@>>) wanted
                   AND ((a.created_at, a.id) > (lo_at, lo_id)) IS TRUE AND ((a.created_at, a.id) < (hi_at, hi_id)) IS TRUE
                   AND @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, name, query_text, project_id, include_hidden,
                                             a.metadata, exclude_tags, all_tags, metadata))
            SELECT m.id FROM m
             ORDER BY CASE WHEN newest THEN m.created_at END DESC, CASE WHEN newest THEN m.id END DESC,
                      m.created_at, m.id
             LIMIT n - cardinality(page));
    END IF;
    RETURN page;
END
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
    ascending       boolean DEFAULT false,
    include_memory  boolean DEFAULT false,
    include_identities boolean DEFAULT false,
    exclude_tags    text[]  DEFAULT NULL,
    all_tags        text[]  DEFAULT NULL,
    metadata        jsonb   DEFAULT NULL,
    order_by        text    DEFAULT 'created_at'
)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_variable
DECLARE
    org    uuid    := @extschema@._letta_org();
    n      integer := @extschema@._letta_page_size(page_size);
    -- Pages are read from the cursor outwards: newest first unless ascending, and the other
    -- way when paging backwards (before without after); then put in order.
    newest boolean := (ascending IS TRUE) = (before IS NOT NULL AND after IS NULL);
    -- Listed by created_at, or by updated_at (order_by).
    by_update boolean := @extschema@._letta_by_update(order_by);
    -- The page lies strictly between two (created_at, id) bounds, or (updated_at, id) ones
    -- (_letta_page_bounds).
    lo_at  timestamptz;
    lo_id  uuid;
    hi_at  timestamptz;
    hi_id  uuid;
    wanted text[];
    linked uuid[];
    page   uuid[];
    filters @extschema@._letta_agent_list_filters;
    checked boolean;  -- the input checks, as assignments: short error context
BEGIN
    checked := @extschema@._letta_check_list(tags, 'tags', false)
               AND @extschema@._letta_check_list(identifier_keys, 'identifier_keys', false)
               AND @extschema@._letta_check_list(exclude_tags, 'exclude_tags', false)
               AND @extschema@._letta_check_list(all_tags, 'all_tags', false);
    IF metadata IS NOT NULL THEN
        metadata := @extschema@._letta_metadata(metadata);
    END IF;
    filters := @extschema@._letta_agent_list_filters(tags, match_all_tags, identifier_keys, identity_id,
                                                     exclude_tags, all_tags, metadata);
    wanted := filters.wanted;
    match_all_tags := filters.match_all_tags;
    exclude_tags := filters.exclude_tags;
    all_tags := filters.all_tags;
    metadata := filters.metadata;
    linked := filters.linked;
    SELECT * INTO lo_at, lo_id, hi_at, hi_id
      FROM @extschema@._letta_page_bounds('agent', before, after, ascending IS TRUE, by_update);

    IF by_update THEN
        page := @extschema@._letta_agents_by_update(org, filters, lo_at, lo_id, hi_at, hi_id, newest, n,
                                                    name, query_text, project_id, include_hidden);
        -- In the order asked for: the final statements sort by the position in page.
        IF newest = (ascending IS TRUE) THEN
            page := ARRAY(SELECT x FROM unnest(page) WITH ORDINALITY u(x, k) ORDER BY u.k DESC);
        END IF;
    ELSIF linked IS NOT NULL THEN
        -- Of some identities: their agents by primary key, sorted.
        page := ARRAY(
            SELECT a.id FROM @extschema@.letta_agents a
             WHERE a.organization_id = org AND a.id = ANY (linked)
               AND (a.created_at, a.id) > (lo_at, lo_id) AND (a.created_at, a.id) < (hi_at, hi_id)
               AND @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, wanted, match_all_tags, name, query_text, project_id, include_hidden,
                                                 a.metadata, exclude_tags, all_tags, metadata)
             ORDER BY CASE WHEN newest THEN a.created_at END DESC, CASE WHEN newest THEN a.id END DESC,
                      a.created_at, a.id
             LIMIT n);
    ELSIF wanted IS NULL THEN
        -- No tags: the organization's agents in list order, from the bound.
        page := CASE WHEN newest
                THEN ARRAY(SELECT p.id FROM @extschema@._letta_recent_page(org, lo_at, lo_id, hi_at, hi_id,
                               true, n, name, query_text, project_id, include_hidden,
                               exclude_tags, all_tags, metadata) p)
                ELSE ARRAY(SELECT p.id FROM @extschema@._letta_recent_page(org, lo_at, lo_id, hi_at, hi_id,
                               false, n, name, query_text, project_id, include_hidden,
                               exclude_tags, all_tags, metadata) p) END;
    ELSIF NOT match_all_tags OR cardinality(wanted) = 1 THEN
        -- Any of the tags: each tag's first n agents that pass the other filters, read in list
        -- order from the ordered tag index, then merged: at most n per tag, however common.
        page := ARRAY(
            SELECT m.id FROM (
                SELECT DISTINCT p.created_at, p.id
                  FROM unnest(wanted) w(tag)
                 CROSS JOIN LATERAL (
                       SELECT * FROM @extschema@._letta_tag_page(org, w.tag, lo_at, lo_id, hi_at, hi_id,
                                         true, n, name, query_text, project_id, include_hidden,
                               exclude_tags, all_tags, metadata)
                        WHERE newest
                       UNION ALL
                       SELECT * FROM @extschema@._letta_tag_page(org, w.tag, lo_at, lo_id, hi_at, hi_id,
                                         false, n, name, query_text, project_id, include_hidden,
                               exclude_tags, all_tags, metadata)
                        WHERE NOT newest) p) m
             ORDER BY CASE WHEN newest THEN m.created_at END DESC, CASE WHEN newest THEN m.id END DESC,
                      m.created_at, m.id
             LIMIT n);
    ELSE
        -- All of the tags (_letta_agents_all_tags).
        page := @extschema@._letta_agents_all_tags(org, wanted, lo_at, lo_id, hi_at, hi_id, newest, n,
                                                   name, query_text, project_id, include_hidden,
                                                   exclude_tags, all_tags, metadata);
    END IF;

    IF include_memory OR include_identities THEN
        -- The memory and identities read only when asked for (a CASE branch not taken is not
        -- evaluated); OFFSET 0 keeps the row whole, so that (r.agent).* computes it once.
        RETURN QUERY
        SELECT (r.agent).*
          FROM (SELECT @extschema@._letta_agent_with(a.shown, CASE WHEN include_memory THEN a.memory END,
                                                     CASE WHEN include_identities THEN a.identities END) AS agent,
                       a.created_at, a.id
                  FROM @extschema@._letta_agent_rows(org, page) a
                OFFSET 0) r
         ORDER BY CASE WHEN by_update THEN array_position(page, r.id) END,
                  CASE WHEN ascending THEN r.created_at END, CASE WHEN ascending THEN r.id END,
                  r.created_at DESC, r.id DESC;
    ELSE
        -- (A statement of its own: the row built whole and taken apart again cost 15-20%.)
        RETURN QUERY
        SELECT (a.shown).*
          FROM @extschema@._letta_agent_rows(org, page) a
         ORDER BY CASE WHEN by_update THEN array_position(page, a.id) END,
                  CASE WHEN ascending THEN a.created_at END, CASE WHEN ascending THEN a.id END,
                  a.created_at DESC, a.id DESC;
    END IF;
END
$$;

COMMENT ON FUNCTION letta_list_agents(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean, boolean, boolean, text[], text[], jsonb, text) IS
'Agents of the current organization, newest first (ascending: oldest first) by created_at, or by updated_at with order_by => ''updated_at'', one page. Filters, ANDed, NULL or empty not filtering: any of tags (all if match_all_tags), linked to any of identifier_keys or to identity_id, name exact, query_text case-insensitive substring of name, project_id, none of exclude_tags, all of all_tags (with tags: any of tags and all of all_tags), metadata containing metadata; hidden agents only with include_hidden. Cursors before/after are agent ids. memory_blocks is NULL unless include_memory, identities unless include_identities.';

CREATE OR REPLACE FUNCTION letta_count_agents(
    tags            text[]  DEFAULT NULL,
    match_all_tags  boolean DEFAULT false,
    identifier_keys text[]  DEFAULT NULL,
    identity_id     text    DEFAULT NULL,
    name            text    DEFAULT NULL,
    query_text      text    DEFAULT NULL,
    project_id      text    DEFAULT NULL,
    include_hidden  boolean DEFAULT false,
    exclude_tags    text[]  DEFAULT NULL,
    all_tags        text[]  DEFAULT NULL,
    metadata        jsonb   DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_variable
-- As letta_list_agents: one statement per way in (identities, tags any or all, none).
DECLARE
    org    uuid := @extschema@._letta_org();
    wanted text[];
    linked uuid[];
    filters @extschema@._letta_agent_list_filters;
    checked boolean;  -- the input checks, as assignments: short error context
BEGIN
    checked := @extschema@._letta_check_list(tags, 'tags', false)
               AND @extschema@._letta_check_list(identifier_keys, 'identifier_keys', false)
               AND @extschema@._letta_check_list(exclude_tags, 'exclude_tags', false)
               AND @extschema@._letta_check_list(all_tags, 'all_tags', false);
    IF metadata IS NOT NULL THEN
        metadata := @extschema@._letta_metadata(metadata);
    END IF;
    filters := @extschema@._letta_agent_list_filters(tags, match_all_tags, identifier_keys, identity_id,
                                                     exclude_tags, all_tags, metadata);
    wanted := filters.wanted;
    match_all_tags := filters.match_all_tags;
    exclude_tags := filters.exclude_tags;
    all_tags := filters.all_tags;
    metadata := filters.metadata;
    linked := filters.linked;
    IF linked IS NOT NULL THEN
        RETURN (SELECT count(*) FROM @extschema@.letta_agents a
                 WHERE a.organization_id = org AND a.id = ANY (linked)
                   AND @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, wanted, match_all_tags, name, query_text, project_id, include_hidden,
                                                 a.metadata, exclude_tags, all_tags, metadata));
    ELSIF wanted IS NULL THEN
        RETURN (SELECT count(*) FROM @extschema@.letta_agents a
                 WHERE a.organization_id = org
                   AND @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, name, query_text, project_id, include_hidden,
                                                 a.metadata, exclude_tags, all_tags, metadata));
    ELSIF match_all_tags THEN
        RETURN (SELECT count(*) FROM @extschema@.letta_agents a
                 WHERE a.organization_id = org AND a.tags OPERATOR(@extschema@.@>>) wanted
                   AND @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, name, query_text, project_id, include_hidden,
                                                 a.metadata, exclude_tags, all_tags, metadata));
    END IF;
    RETURN (SELECT count(*) FROM @extschema@.letta_agents a
             WHERE a.organization_id = org AND a.tags OPERATOR(@extschema@.&&&) wanted
               AND @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, name, query_text, project_id, include_hidden,
                                                 a.metadata, exclude_tags, all_tags, metadata));
END
$$;

COMMENT ON FUNCTION letta_count_agents(text[], boolean, text[], text, text, text, text, boolean, text[], text[], jsonb) IS
'The number of agents of the current organization matching the filters of letta_list_agents.';

CREATE OR REPLACE FUNCTION letta_agents_by_key(identifier_keys text[], include_hidden boolean DEFAULT false,
                                    include_memory boolean DEFAULT false, include_identities boolean DEFAULT false)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
-- PL/pgSQL with generic plans: statements of fixed shape (the keys' identities and their
-- links, then the agents by primary key), right for every key, planned once per connection in
-- either protocol (inlined SQL was planned at every simple-protocol call). The organization is
-- a value; the linked agents are one too (on Citus a function called inside the statement
-- would run on the worker, and could not query from there).
DECLARE
    org    uuid := @extschema@._letta_org();
    linked uuid[];
    checked boolean;  -- the input checks, as assignments: short error context
BEGIN
    checked := @extschema@._letta_check_list(identifier_keys, 'identifier_keys', true);
    linked := @extschema@._letta_linked_agents(identifier_keys, NULL);
    IF include_memory OR include_identities THEN
        -- (As letta_list_agents: the memory and identities in a statement of their own.)
        RETURN QUERY
        SELECT (r.agent).*
          FROM (SELECT @extschema@._letta_agent_with(a.shown, CASE WHEN include_memory THEN a.memory END,
                                                     CASE WHEN include_identities THEN a.identities END) AS agent,
                       a.created_at, a.id
                  FROM @extschema@._letta_agent_rows(org, linked) a
                 WHERE (include_hidden IS TRUE OR NOT a.hidden)
                OFFSET 0) r
         ORDER BY r.created_at DESC, r.id DESC;
    ELSE
        RETURN QUERY
        SELECT (a.shown).*
          FROM @extschema@._letta_agent_rows(org, linked) a
         WHERE (include_hidden IS TRUE OR NOT a.hidden)
         ORDER BY a.created_at DESC, a.id DESC;
    END IF;
END
$$;

COMMENT ON FUNCTION letta_agents_by_key(text[], boolean, boolean, boolean) IS
'Agents linked to any identity with one of these identifier keys (any project), each once, newest first; hidden agents only with include_hidden; memory_blocks NULL unless include_memory, identities unless include_identities.';

CREATE OR REPLACE FUNCTION letta_create_block(
    label        text,
    value        text    DEFAULT '',
    char_limit   integer DEFAULT NULL,
    description  text    DEFAULT NULL,
    metadata     jsonb   DEFAULT '{}',
    identity_ids text[]  DEFAULT '{}',
    read_only    boolean DEFAULT false,
    project_id   text    DEFAULT NULL,
    hidden       boolean DEFAULT false,
    tags         text[]  DEFAULT '{}'
)
RETURNS @extschema@.letta_block
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org        uuid   := @extschema@._letta_org();
    identities uuid[] := @extschema@._letta_uuids(identity_ids, 'identity', 'identity_ids');
    new_id     uuid   := gen_random_uuid();
    -- The input checks, as assignments (an error's context is then this function's line).
    checked    text   := @extschema@._letta_check_block(value, char_limit)::text;
BEGIN
    label := @extschema@._letta_required(label, 'label');
    metadata := @extschema@._letta_metadata(metadata);
    project_id := @extschema@._letta_project_id(project_id);
    tags := @extschema@._letta_tags(tags);
    INSERT INTO @extschema@.letta_blocks (organization_id, id, label, value, "limit", description, metadata, read_only,
                                          project_id, hidden, tags)
    VALUES (org, new_id, label, coalesce(value, ''), coalesce(char_limit, @extschema@._letta_default_limit()),
            description, metadata, coalesce(read_only, false),
            project_id, coalesce(hidden, false), tags);
    IF @extschema@._letta_end_user() IS NOT NULL THEN
        -- An end user's new block is theirs in this transaction: to read, and to attach.
        PERFORM @extschema@._letta_end_user_wrote('block', ARRAY[new_id]);
    END IF;
    PERFORM @extschema@._letta_link(org, 'block', identities, ARRAY[new_id]);
    RETURN (SELECT v.shown FROM @extschema@._letta_block_rows(org, ARRAY[new_id]) v);
END
$$;

COMMENT ON FUNCTION letta_create_block(text, text, integer, text, jsonb, text[], boolean, text, boolean, text[]) IS
'Create a memory block (label, value, char_limit: the characters value should keep to, advisory, default 100000) owned by identity_ids; read_only => true marks it for agents'' own memory tools (the API still changes it); project_id, hidden and tags (a set) as agents have them.';

CREATE OR REPLACE FUNCTION letta_get_block(block_id text)
RETURNS @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org    uuid := @extschema@._letta_org();
    block  uuid := @extschema@._letta_uuid(block_id, 'block', 'block_id');
    result @extschema@.letta_block;
BEGIN
    SELECT (v.shown).* INTO result FROM @extschema@._letta_block_rows(org, ARRAY[block]) v;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('block', block_id)::text;
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_get_block(text) IS
'The block with this id in the current organization; P0002 if there is none.';

CREATE OR REPLACE FUNCTION letta_update_block(
    block_id    text,
    label       text    DEFAULT NULL,
    value       text    DEFAULT NULL,
    char_limit  integer DEFAULT NULL,
    description text    DEFAULT NULL,
    metadata    jsonb   DEFAULT NULL,
    read_only   boolean DEFAULT NULL,
    project_id  text    DEFAULT NULL,
    hidden      boolean DEFAULT NULL,
    tags        text[]  DEFAULT NULL
)
RETURNS @extschema@.letta_block
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_variable
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org     uuid := @extschema@._letta_org();
    stamp   timestamptz := @extschema@._letta_stamp();
    block   uuid := @extschema@._letta_uuid(block_id, 'block', 'block_id');
    existing @extschema@.letta_blocks;
    clash   uuid;
    checked text;
BEGIN
    SELECT * INTO existing FROM @extschema@.letta_blocks b
     WHERE b.organization_id = org AND b.id = block FOR UPDATE;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('block', block_id)::text;
    END IF;
    -- Checked here, not in the UPDATE: an error's context is then this function's line, and
    -- Citus evaluates the functions of an UPDATE before it runs, whichever CASE branch they
    -- sit in.
    checked := @extschema@._letta_check_block(coalesce(value, existing.value), coalesce(char_limit, existing."limit"))::text;
    IF label IS NOT NULL THEN
        label := @extschema@._letta_required(label, 'label');
    END IF;
    IF metadata IS NOT NULL THEN
        metadata := @extschema@._letta_metadata(metadata);
    END IF;
    project_id := @extschema@._letta_project_id(project_id);
    IF tags IS NOT NULL THEN
        tags := @extschema@._letta_tags(tags);
    END IF;
    -- A new label goes to the block's links to agents too; an agent has one block per label.
    IF label <> existing.label THEN
        SELECT l.agent_id INTO clash FROM @extschema@.letta_blocks_agents l
         WHERE l.organization_id = org AND l.block_label = label
           AND l.agent_id IN (SELECT m.agent_id FROM @extschema@.letta_blocks_agents m
                               WHERE m.organization_id = org AND m.block_id = block)
         LIMIT 1;
        IF clash IS NOT NULL THEN
            RAISE EXCEPTION 'agent "agent-%" already has a block labelled "%"', clash, label
                  USING ERRCODE = 'unique_violation',
                        DETAIL = format('%s is in that agent''s memory, and an agent has one block per label.', block_id),
                        HINT = 'Detach one of the blocks from the agent, or choose another label.';
        END IF;
        UPDATE @extschema@.letta_blocks_agents l SET block_label = label
         WHERE l.organization_id = org AND l.block_id = block;
    END IF;
    UPDATE @extschema@.letta_blocks b
       SET label = coalesce(label, b.label),
           value = coalesce(value, b.value),
           "limit" = coalesce(char_limit, b."limit"),
           description = coalesce(description, b.description),
           metadata = coalesce(metadata, b.metadata),
           read_only = coalesce(read_only, b.read_only),
           project_id = coalesce(project_id, b.project_id),
           hidden = coalesce(hidden, b.hidden),
           tags = coalesce(tags, b.tags),
           updated_at = stamp
     WHERE b.organization_id = org AND b.id = block;
    RETURN (SELECT v.shown FROM @extschema@._letta_block_rows(org, ARRAY[block]) v);
END
$$;

COMMENT ON FUNCTION letta_update_block(text, text, text, integer, text, jsonb, boolean, text, boolean, text[]) IS
'Update a block; NULL keeps a value; tags given replace them (an empty list clears). A read-only block is updated too (read_only is for agents'' own memory tools, as in Letta), and a value longer than the limit is kept (the limit is advisory). 22023 for a limit that is not positive; 23505 if an agent that has it has another block with the new label.';

CREATE OR REPLACE FUNCTION letta_identity_blocks(
    identity_id text,
    before      text    DEFAULT NULL,
    after       text    DEFAULT NULL,
    page_size   integer DEFAULT 50,
    ascending   boolean DEFAULT false
)
RETURNS SETOF @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
-- PL/pgSQL with a generic plan, like letta_agents_by_key: planned once per connection. Pages
-- as letta_list_agents': read from the cursor outwards, then put in the order asked for.
DECLARE
    org      uuid    := @extschema@._letta_org();
    identity uuid    := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
    n        integer := @extschema@._letta_page_size(page_size);
    newest   boolean := (ascending IS TRUE) = (before IS NOT NULL AND after IS NULL);
    lo_at    timestamptz;
    lo_id    uuid;
    hi_at    timestamptz;
    hi_id    uuid;
    page     uuid[];
BEGIN
    IF ascending IS NULL THEN
        RAISE EXCEPTION 'ascending must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM @extschema@._letta_exists(org, 'identity', identity);
    SELECT * INTO lo_at, lo_id, hi_at, hi_id FROM @extschema@._letta_page_bounds('block', before, after, ascending);
    page := ARRAY(
        SELECT b.id
          FROM @extschema@.letta_identities_blocks l
          JOIN @extschema@.letta_blocks b ON b.organization_id = l.organization_id AND b.id = l.block_id
         WHERE l.organization_id = org AND l.identity_id = identity
           AND (b.created_at, b.id) > (lo_at, lo_id) AND (b.created_at, b.id) < (hi_at, hi_id)
         ORDER BY CASE WHEN newest THEN b.created_at END DESC, CASE WHEN newest THEN b.id END DESC,
                  b.created_at, b.id
         LIMIT n);
    RETURN QUERY
    SELECT (v.shown).*
      FROM @extschema@._letta_block_rows(org, page) v
     ORDER BY CASE WHEN ascending THEN v.created_at END, CASE WHEN ascending THEN v.id END,
              v.created_at DESC, v.id DESC;
END
$$;

COMMENT ON FUNCTION letta_identity_blocks(text, text, text, integer, boolean) IS
'The blocks of one identity, newest first (ascending: oldest first), one page (page_size, default 50); cursors before/after are block ids. P0002 if the identity is missing.';

CREATE OR REPLACE FUNCTION letta_blocks_by_key(identifier_keys text[])
RETURNS SETOF @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
-- PL/pgSQL with a generic plan, like letta_agents_by_key: planned once per connection.
DECLARE
    org    uuid := @extschema@._letta_org();
    linked uuid[];
    checked boolean;  -- the input checks, as assignments: short error context
BEGIN
    checked := @extschema@._letta_check_list(identifier_keys, 'identifier_keys', true);
    -- (The ids in a statement of their own, as in letta_agents_by_key: on Citus a statement
    -- that reads the tables goes to the worker whole, the rows' function with it.)
    linked := ARRAY(SELECT l.block_id
                      FROM @extschema@.letta_identities i
                      JOIN @extschema@.letta_identities_blocks l
                        ON l.organization_id = i.organization_id AND l.identity_id = i.id
                     WHERE i.organization_id = org
                       AND i.identifier_key = ANY (identifier_keys));
    RETURN QUERY
    SELECT (b.shown).*
      FROM @extschema@._letta_block_rows(org, linked) b
     ORDER BY b.created_at DESC, b.id DESC;
END
$$;

COMMENT ON FUNCTION letta_blocks_by_key(text[]) IS
'Blocks of any identity with one of these identifier keys (any project), each once, newest first.';

CREATE OR REPLACE FUNCTION letta_list_blocks(
    label                        text      DEFAULT NULL,
    label_search                 text      DEFAULT NULL,
    value_search                 text      DEFAULT NULL,
    description_search           text      DEFAULT NULL,
    identity_id                  text      DEFAULT NULL,
    identifier_keys              text[]    DEFAULT NULL,
    project_id                   text      DEFAULT NULL,
    tags                         text[]    DEFAULT NULL,
    match_all_tags               boolean   DEFAULT false,
    connected_to_agents_count_gt integer   DEFAULT NULL,
    connected_to_agents_count_lt integer   DEFAULT NULL,
    connected_to_agents_count_eq integer[] DEFAULT NULL,
    include_hidden               boolean   DEFAULT false,
    before                       text      DEFAULT NULL,
    after                        text      DEFAULT NULL,
    page_size                    integer   DEFAULT 50,
    ascending                    boolean   DEFAULT true
)
RETURNS SETOF @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_variable
DECLARE
    org     uuid    := @extschema@._letta_org();
    n       integer := @extschema@._letta_page_size(page_size);
    newest  boolean := (ascending IS TRUE) = (before IS NOT NULL AND after IS NULL);
    lo_at   timestamptz;
    lo_id   uuid;
    hi_at   timestamptz;
    hi_id   uuid;
    wanted  text[];
    linked  uuid[];
    cap     integer;
    seen    integer;
    page    uuid[];
    rare    constant integer := 1000;  -- tags with fewer blocks than this (in the bounds) are read by GIN
    checked boolean;  -- the input checks, as assignments: short error context
BEGIN
    IF label IS NOT NULL THEN
        label_search := NULL;  -- (Letta's rule: label given, label_search does not apply)
    END IF;
    checked := @extschema@._letta_check_list(tags, 'tags', false)
               AND @extschema@._letta_check_list(identifier_keys, 'identifier_keys', false);
    IF ascending IS NULL OR match_all_tags IS NULL THEN
        RAISE EXCEPTION '% must not be NULL', CASE WHEN ascending IS NULL THEN 'ascending' ELSE 'match_all_tags' END
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF cardinality(tags) > 0 THEN
        wanted := ARRAY(SELECT DISTINCT t FROM unnest(tags) t);
    END IF;
    cap := @extschema@._letta_agents_count_cap(connected_to_agents_count_gt, connected_to_agents_count_lt,
                                               connected_to_agents_count_eq);
    linked := @extschema@._letta_linked_blocks_filter(identifier_keys, identity_id);
    SELECT * INTO lo_at, lo_id, hi_at, hi_id FROM @extschema@._letta_page_bounds('block', before, after, ascending);

    IF linked IS NOT NULL THEN
        -- Of some identities: their blocks by primary key, sorted.
        page := ARRAY(
            SELECT b.id FROM @extschema@.letta_blocks b
             WHERE b.organization_id = org AND b.id = ANY (linked)
               AND (b.created_at, b.id) > (lo_at, lo_id) AND (b.created_at, b.id) < (hi_at, hi_id)
               AND @extschema@._letta_block_kept(b.label, b.value, b.description, b.project_id, b.hidden, b.tags,
                                                 label, label_search, value_search, description_search,
                                                 project_id, wanted, match_all_tags, include_hidden)
               AND (cap IS NULL OR @extschema@._letta_agents_count_kept(
                        (SELECT count(*) FROM (SELECT FROM @extschema@.letta_blocks_agents l
                                                WHERE l.organization_id = org AND l.block_id = b.id LIMIT cap) c),
                        connected_to_agents_count_gt, connected_to_agents_count_lt, connected_to_agents_count_eq))
             ORDER BY CASE WHEN newest THEN b.created_at END DESC, CASE WHEN newest THEN b.id END DESC,
                      b.created_at, b.id
             LIMIT n);
    ELSIF label IS NOT NULL THEN
        -- A label: its blocks on the label's index, in list order.
        page := CASE WHEN newest
                THEN ARRAY(SELECT p.id FROM @extschema@._letta_recent_blocks(org, lo_at, lo_id, hi_at, hi_id, true, n,
                               true, label, label_search, value_search, description_search, project_id, wanted,
                               match_all_tags, include_hidden, cap, connected_to_agents_count_gt,
                               connected_to_agents_count_lt, connected_to_agents_count_eq) p)
                ELSE ARRAY(SELECT p.id FROM @extschema@._letta_recent_blocks(org, lo_at, lo_id, hi_at, hi_id, false, n,
                               true, label, label_search, value_search, description_search, project_id, wanted,
                               match_all_tags, include_hidden, cap, connected_to_agents_count_gt,
                               connected_to_agents_count_lt, connected_to_agents_count_eq) p) END;
    ELSE
        IF wanted IS NOT NULL THEN
            -- Tags: how many blocks have them (in the bounds), up to rare, by the GIN index.
            seen := (SELECT count(*) FROM (
                         SELECT FROM @extschema@.letta_blocks b
                          WHERE b.organization_id = org
                            AND CASE WHEN match_all_tags THEN b.tags OPERATOR(@extschema@.@>>) wanted
                                     ELSE b.tags OPERATOR(@extschema@.&&&) wanted END
                            AND ((b.created_at, b.id) > (lo_at, lo_id)) IS TRUE
                            AND ((b.created_at, b.id) < (hi_at, hi_id)) IS TRUE
                          LIMIT rare) r);
        END IF;
        IF wanted IS NOT NULL AND seen < rare THEN
            -- Rare tags: their blocks by the GIN index, then sorted. (Materialized, so that
            -- it is the GIN index that finds them.)
            page := ARRAY(
                WITH m AS MATERIALIZED (
                    SELECT b.created_at, b.id FROM @extschema@.letta_blocks b
                     WHERE b.organization_id = org
                       AND CASE WHEN match_all_tags THEN b.tags OPERATOR(@extschema@.@>>) wanted
                                ELSE b.tags OPERATOR(@extschema@.&&&) wanted END
                       AND ((b.created_at, b.id) > (lo_at, lo_id)) IS TRUE
                       AND ((b.created_at, b.id) < (hi_at, hi_id)) IS TRUE
                       AND @extschema@._letta_block_kept(b.label, b.value, b.description, b.project_id, b.hidden, b.tags,
                                                         NULL, label_search, value_search, description_search,
                                                         project_id, NULL, false, include_hidden)
                       AND (cap IS NULL OR @extschema@._letta_agents_count_kept(
                                (SELECT count(*) FROM (SELECT FROM @extschema@.letta_blocks_agents l
                                                        WHERE l.organization_id = org AND l.block_id = b.id LIMIT cap) c),
                                connected_to_agents_count_gt, connected_to_agents_count_lt, connected_to_agents_count_eq)))
                SELECT m.id FROM m
                 ORDER BY CASE WHEN newest THEN m.created_at END DESC, CASE WHEN newest THEN m.id END DESC,
                          m.created_at, m.id
                 LIMIT n);
        ELSE
            -- No tags, or common ones: the organization's blocks in list order, from the bound.
            page := CASE WHEN newest
                    THEN ARRAY(SELECT p.id FROM @extschema@._letta_recent_blocks(org, lo_at, lo_id, hi_at, hi_id, true, n,
                                   false, NULL, label_search, value_search, description_search, project_id, wanted, match_all_tags,
                                   include_hidden, cap, connected_to_agents_count_gt, connected_to_agents_count_lt,
                                   connected_to_agents_count_eq) p)
                    ELSE ARRAY(SELECT p.id FROM @extschema@._letta_recent_blocks(org, lo_at, lo_id, hi_at, hi_id, false, n,
                                   false, NULL, label_search, value_search, description_search, project_id, wanted, match_all_tags,
                                   include_hidden, cap, connected_to_agents_count_gt, connected_to_agents_count_lt,
                                   connected_to_agents_count_eq) p) END;
        END IF;
    END IF;

    RETURN QUERY
    SELECT (v.shown).*
      FROM @extschema@._letta_block_rows(org, page) v
     ORDER BY CASE WHEN ascending THEN v.created_at END, CASE WHEN ascending THEN v.id END,
              v.created_at DESC, v.id DESC;
END
$$;

COMMENT ON FUNCTION letta_list_blocks(text, text, text, text, text, text[], text, text[], boolean, integer, integer, integer[], boolean, text, text, integer, boolean) IS
'Blocks of the current organization, oldest first (ascending => false: newest first), one page, with Letta''s filters, ANDed, NULL not filtering: label exact; label_search (when no label is given), value_search, description_search case-insensitive substrings; shared by identity_id or by an identity with one of identifier_keys; project_id; any of tags (all if match_all_tags); in the memory of more than connected_to_agents_count_gt agents, fewer than _lt, or exactly one of the numbers _eq; hidden blocks only with include_hidden. Cursors before/after are block ids.';

CREATE OR REPLACE FUNCTION letta_agent_blocks(agent_id text)
RETURNS SETOF @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    org   uuid := @extschema@._letta_org();
    agent uuid := @extschema@._letta_uuid(agent_id, 'agent', 'agent_id');
    attached uuid[];
BEGIN
    PERFORM @extschema@._letta_exists(org, 'agent', agent);
    attached := ARRAY(SELECT l.block_id FROM @extschema@.letta_blocks_agents l
                       WHERE l.organization_id = org AND l.agent_id = agent);
    RETURN QUERY
    SELECT (v.shown).*
      FROM @extschema@._letta_block_rows(org, attached) v
     ORDER BY v.created_at, v.id;
END
$$;

COMMENT ON FUNCTION letta_agent_blocks(text) IS
'The blocks in an agent''s own memory (attached to it), oldest first. P0002 if the agent is missing.';

CREATE OR REPLACE FUNCTION letta_get_agent_block(agent_id text, block_label text)
RETURNS @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    org    uuid := @extschema@._letta_org();
    agent  uuid := @extschema@._letta_uuid(agent_id, 'agent', 'agent_id');
    result @extschema@.letta_block;
    attached uuid[];
BEGIN
    PERFORM @extschema@._letta_exists(org, 'agent', agent);
    attached := ARRAY(SELECT l.block_id FROM @extschema@.letta_blocks_agents l
                       WHERE l.organization_id = org AND l.agent_id = agent
                         AND l.block_label = letta_get_agent_block.block_label);
    SELECT (v.shown).* INTO result FROM @extschema@._letta_block_rows(org, attached) v;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'agent "%" has no block labelled "%"', agent_id, block_label
              USING ERRCODE = 'no_data_found';
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_get_agent_block(text, text) IS
'The block with this label in an agent''s own memory. P0002 if the agent is missing or has none.';

CREATE OR REPLACE FUNCTION letta_agent_memory(agent_id text)
RETURNS SETOF @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
-- What the agent remembers: its own blocks and the blocks of every identity it is linked to
-- (memory shared by all of one user's agents), one block per label. Labels collide: the
-- agent's own block wins; between identities' blocks, the oldest block.
DECLARE
    org    uuid := @extschema@._letta_org();
    agent  uuid := @extschema@._letta_uuid(agent_id, 'agent', 'agent_id');
    own    uuid[];
    shared uuid[];
BEGIN
    PERFORM @extschema@._letta_exists(org, 'agent', agent);
    own := ARRAY(SELECT l.block_id FROM @extschema@.letta_blocks_agents l
                  WHERE l.organization_id = org AND l.agent_id = agent);
    shared := ARRAY(SELECT ib.block_id
                      FROM @extschema@.letta_identities_agents ia
                      JOIN @extschema@.letta_identities_blocks ib
                        ON ib.organization_id = ia.organization_id AND ib.identity_id = ia.identity_id
                     WHERE ia.organization_id = org AND ia.agent_id = agent);
    RETURN QUERY
    SELECT (m.shown).*
      FROM (SELECT DISTINCT ON ((v.shown).label) v.shown, v.id = ANY (own) AS is_own, v.created_at, v.id
              FROM @extschema@._letta_block_rows(org, own || shared) v
             ORDER BY (v.shown).label, v.id = ANY (own) DESC, v.created_at, v.id) m
     ORDER BY m.is_own DESC, m.created_at, m.id;
END
$$;

COMMENT ON FUNCTION letta_agent_memory(text) IS
'An agent''s whole memory: its own blocks, then the blocks of the identities it is linked to (shared by one user''s agents), one per label (its own block wins a label, then the oldest), oldest first. P0002 if the agent is missing.';

CREATE OR REPLACE FUNCTION letta_block_agents(
    block_id       text,
    include_hidden boolean DEFAULT true,
    before         text    DEFAULT NULL,
    after          text    DEFAULT NULL,
    page_size      integer DEFAULT 50,
    ascending      boolean DEFAULT false,
    include_memory boolean DEFAULT false,
    include_identities boolean DEFAULT false
)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
-- Pages as letta_identity_blocks', two ways: a block in the memory of fewer than `many`
-- agents has its agents read and sorted (at most `many` rows); a block in more walks the
-- agents in list order (an index scan, a statement per direction), keeping those that have it,
-- so that a page costs about page_size / (its share of the agents) probes, not the block's
-- popularity.
DECLARE
    org      uuid    := @extschema@._letta_org();
    block    uuid    := @extschema@._letta_uuid(block_id, 'block', 'block_id');
    n        integer := @extschema@._letta_page_size(page_size);
    newest   boolean := (ascending IS TRUE) = (before IS NOT NULL AND after IS NULL);
    many     constant integer := 10000;
    lo_at    timestamptz;
    lo_id    uuid;
    hi_at    timestamptz;
    hi_id    uuid;
    page     uuid[];
BEGIN
    IF ascending IS NULL OR include_hidden IS NULL THEN
        RAISE EXCEPTION '% must not be NULL', CASE WHEN ascending IS NULL THEN 'ascending' ELSE 'include_hidden' END
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM @extschema@._letta_exists(org, 'block', block);
    SELECT * INTO lo_at, lo_id, hi_at, hi_id FROM @extschema@._letta_page_bounds('agent', before, after, ascending);
    IF (SELECT count(*) FROM (SELECT FROM @extschema@.letta_blocks_agents l
                               WHERE l.organization_id = org AND l.block_id = block LIMIT many) few) < many THEN
        page := ARRAY(
            SELECT a.id
              FROM @extschema@.letta_blocks_agents l
              JOIN @extschema@.letta_agents a ON a.organization_id = l.organization_id AND a.id = l.agent_id
             WHERE l.organization_id = org AND l.block_id = block
               AND (include_hidden OR NOT a.hidden)
               AND (a.created_at, a.id) > (lo_at, lo_id) AND (a.created_at, a.id) < (hi_at, hi_id)
             ORDER BY CASE WHEN newest THEN a.created_at END DESC, CASE WHEN newest THEN a.id END DESC,
                      a.created_at, a.id
             LIMIT n);
    ELSIF newest THEN
        page := ARRAY(
            SELECT a.id FROM @extschema@.letta_agents a
             WHERE a.organization_id = org AND (include_hidden OR NOT a.hidden)
               AND (a.created_at, a.id) > (lo_at, lo_id) AND (a.created_at, a.id) < (hi_at, hi_id)
               AND EXISTS (SELECT FROM @extschema@.letta_blocks_agents l
                            WHERE l.organization_id = org AND l.agent_id = a.id AND l.block_id = block)
             ORDER BY a.created_at DESC, a.id DESC
             LIMIT n);
    ELSE
        page := ARRAY(
            SELECT a.id FROM @extschema@.letta_agents a
             WHERE a.organization_id = org AND (include_hidden OR NOT a.hidden)
               AND (a.created_at, a.id) > (lo_at, lo_id) AND (a.created_at, a.id) < (hi_at, hi_id)
               AND EXISTS (SELECT FROM @extschema@.letta_blocks_agents l
                            WHERE l.organization_id = org AND l.agent_id = a.id AND l.block_id = block)
             ORDER BY a.created_at, a.id
             LIMIT n);
    END IF;
    IF include_memory OR include_identities THEN
        -- (As letta_list_agents: the memory and identities in a statement of their own.)
        RETURN QUERY
        SELECT (r.agent).*
          FROM (SELECT @extschema@._letta_agent_with(v.shown, CASE WHEN include_memory THEN v.memory END,
                                                     CASE WHEN include_identities THEN v.identities END) AS agent,
                       v.created_at, v.id
                  FROM @extschema@._letta_agent_rows(org, page) v
                OFFSET 0) r
         ORDER BY CASE WHEN ascending THEN r.created_at END, CASE WHEN ascending THEN r.id END,
                  r.created_at DESC, r.id DESC;
    ELSE
        RETURN QUERY
        SELECT (v.shown).*
          FROM @extschema@._letta_agent_rows(org, page) v
         ORDER BY CASE WHEN ascending THEN v.created_at END, CASE WHEN ascending THEN v.id END,
                  v.created_at DESC, v.id DESC;
    END IF;
END
$$;

COMMENT ON FUNCTION letta_block_agents(text, boolean, text, text, integer, boolean, boolean, boolean) IS
'The agents that have a block in their memory, hidden ones too (as in Letta; include_hidden => false leaves them out), newest first (ascending: oldest first), one page (page_size, default 50; memory_blocks NULL unless include_memory, identities unless include_identities); cursors before/after are agent ids. P0002 if the block is missing.';

CREATE OR REPLACE FUNCTION _letta_distributed_tables()
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
      USING @extschema@._letta_tenant_tables() || '@extschema@.letta_role_organizations'::regclass;
    RETURN found;
END
$$;

CREATE OR REPLACE FUNCTION _letta_prepare_for_citus()
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t      regclass;
    f      regprocedure;
    policy name;
BEGIN
    FOREACH t IN ARRAY @extschema@._letta_tenant_tables() LOOP
        EXECUTE format('ALTER POLICY letta_organization ON %s USING (organization_id = @extschema@._letta_org())', t);
        -- The end users' policies read other tables, which Citus refuses in a policy: on Citus
        -- a transaction cannot act for an end user (src/end_user.rs refuses it, 0A000).
        FOR policy IN SELECT p.polname FROM pg_catalog.pg_policy p
                       WHERE p.polrelid = t AND p.polname IN ('letta_end_user', 'letta_end_user_delete', 'letta_end_user_update') LOOP
            EXECUTE format('DROP POLICY %I ON %s', policy, t);
        END LOOP;
    END LOOP;
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

CREATE OR REPLACE FUNCTION _letta_citus_agent_rows(org uuid, ids uuid[])
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
            SELECT array_agg('identity-' || i.id::text ORDER BY i.id) AS identity_ids,
                   jsonb_agg(@extschema@._letta_identity_object(i.id, i.identifier_key, i.name, i.identity_type,
                                                                i.project_id, i.organization_id, i.properties)
                             ORDER BY i.id) AS identities
              FROM @extschema@.letta_identities_agents k
              JOIN @extschema@.letta_identities i ON i.organization_id = org AND i.id = k.identity_id
             WHERE k.organization_id = org AND k.agent_id = a.id) n ON true
     WHERE a.organization_id = org AND a.id = ANY (ids);
END
$$;

CREATE OR REPLACE FUNCTION _letta_citus_identity_rows(org uuid, ids uuid[])
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

CREATE OR REPLACE FUNCTION _letta_citus_block_rows(org uuid, ids uuid[])
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

CREATE OR REPLACE FUNCTION _letta_citus_tag_entries(org uuid, tag text, lo_at timestamptz, lo_id uuid,
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

CREATE OR REPLACE FUNCTION _letta_citus_tag_page(org uuid, tag text, lo_at timestamptz, lo_id uuid,
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

CREATE OR REPLACE FUNCTION _letta_citus_all_tags_page(org uuid, driver text, wanted text[], lo_at timestamptz, lo_id uuid,
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

CREATE OR REPLACE FUNCTION _letta_citus_two_tags_page(org uuid, driver text, other text, lo_at timestamptz, lo_id uuid,
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

CREATE OR REPLACE FUNCTION _letta_citus_recent_page(org uuid, lo_at timestamptz, lo_id uuid,
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

CREATE OR REPLACE FUNCTION _letta_citus_recent_identities(org uuid, lo_at timestamptz, lo_id uuid,
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

CREATE OR REPLACE FUNCTION _letta_citus_recent_blocks(org uuid, lo_at timestamptz, lo_id uuid, hi_at timestamptz, hi_id uuid,
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

CREATE OR REPLACE FUNCTION _letta_use_citus_variants()
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

CREATE OR REPLACE FUNCTION letta_distribute(shard_count integer DEFAULT NULL)
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
    IF EXISTS (SELECT FROM @extschema@.letta_role_end_users) THEN
        RAISE EXCEPTION 'cannot distribute: role "%" acts for end users', (SELECT min(e.role_name) FROM @extschema@.letta_role_end_users e)
              USING ERRCODE = 'feature_not_supported',
                    DETAIL = 'End-user scoping (letta.identifier_key) works on one node only in this version.',
                    HINT = 'Lift it first: letta_require_end_user(role, false).';
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
    -- Every node reads the role bindings: _letta_org() runs where the policies run.
    EXECUTE 'SELECT pg_catalog.create_reference_table($1)' USING '@extschema@.letta_role_organizations'::regclass;
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
    -- tables already empty are left out).
    level := pg_catalog.current_setting('client_min_messages');
    PERFORM pg_catalog.set_config('client_min_messages', 'warning', true);
    FOR t IN SELECT u.t FROM unnest('@extschema@.letta_role_organizations'::regclass || tables) WITH ORDINALITY u(t, n)
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
'Administrators, on a Citus coordinator: distribute the tables by organization (colocated, shard_count shards or Citus''s default; the role bindings a reference table) and make the database propagate SET LOCAL to the workers; returns the tables Citus now manages.';

CREATE OR REPLACE FUNCTION letta_drop_distributed_tables()
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
               FROM unnest('@extschema@.letta_role_organizations'::regclass || @extschema@._letta_tenant_tables())
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

CREATE OR REPLACE FUNCTION letta_list_organizations()
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

CREATE OR REPLACE FUNCTION letta_delete_organization(organization_id text, dry_run boolean DEFAULT false)
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

CREATE OR REPLACE FUNCTION letta_require_end_user(role_name text, required boolean DEFAULT true)
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
        RAISE EXCEPTION 'cannot require end users on Citus' USING ERRCODE = 'feature_not_supported',
              DETAIL = 'End-user scoping (letta.identifier_key) works on one node only in this version.';
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

CREATE OR REPLACE FUNCTION _letta_for_apps(f regprocedure)
RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT p.prorettype NOT IN ('pg_catalog.trigger'::pg_catalog.regtype, 'pg_catalog.event_trigger'::pg_catalog.regtype)
           AND p.proname NOT IN ('letta_bind_role', 'letta_allow_switching', 'letta_unbind_role',
                                 'letta_require_end_user', '_letta_grant', '_letta_for_apps',
                                 'letta_distribute', 'letta_drop_distributed_tables', '_letta_prepare_for_citus',
                                 'letta_list_organizations', 'letta_delete_organization')
           AND p.proname !~ '^_?letta_import_'  -- the import from Letta (sql/import.sql)
      FROM pg_catalog.pg_proc p
     WHERE p.oid = f
$$;
-- upgrade-draft: generated up to here

-- The row views and the lists' page helpers, re-created as they are (unchanged on one node):
-- 0.5.0's letta_distribute replaced the views with grouped forms and rewrote the helpers' text
-- into PL/pgSQL in place; a distributed database gets the originals back here, and the switch
-- at the end gives the Citus variants their names.
CREATE OR REPLACE VIEW _letta_identities_shown WITH (security_invoker = true) AS
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


CREATE OR REPLACE VIEW _letta_agents_shown WITH (security_invoker = true) AS
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


CREATE OR REPLACE VIEW _letta_blocks_shown WITH (security_invoker = true) AS
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


CREATE OR REPLACE FUNCTION _letta_tag_entries(org uuid, tag text, lo_at timestamptz, lo_id uuid,
                                   hi_at timestamptz, hi_id uuid, newest boolean, skip integer, lim integer)
RETURNS TABLE (created_at timestamptz, agent_id uuid, hidden boolean)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT s.created_at, s.agent_id, s.hidden
      FROM @extschema@.letta_agents_tags s
     WHERE s.organization_id = org AND s.tag = _letta_tag_entries.tag COLLATE "C"
       AND (s.created_at, s.agent_id) > (lo_at, lo_id) AND (s.created_at, s.agent_id) < (hi_at, hi_id)
     ORDER BY CASE WHEN newest THEN s.created_at END DESC, CASE WHEN newest THEN s.agent_id END DESC,
              CASE WHEN NOT newest THEN s.created_at END, CASE WHEN NOT newest THEN s.agent_id END
    OFFSET skip LIMIT lim
$$;

CREATE OR REPLACE FUNCTION _letta_tag_page(org uuid, tag text, lo_at timestamptz, lo_id uuid,
                                hi_at timestamptz, hi_id uuid, newest boolean, n integer,
                                name text, query_text text, project_id text, include_hidden boolean,
                                exclude_tags text[], all_tags text[], with_metadata jsonb)
RETURNS TABLE (created_at timestamptz, id uuid)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
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
     LIMIT n
$$;

CREATE OR REPLACE FUNCTION _letta_all_tags_page(org uuid, driver text, wanted text[], lo_at timestamptz, lo_id uuid,
                                     hi_at timestamptz, hi_id uuid, newest boolean, walk integer, n integer,
                                     name text, query_text text, project_id text, include_hidden boolean,
                                     exclude_tags text[], all_tags text[], with_metadata jsonb)
RETURNS TABLE (created_at timestamptz, id uuid)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
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
     LIMIT n
$$;

CREATE OR REPLACE FUNCTION _letta_two_tags_page(org uuid, driver text, other text, lo_at timestamptz, lo_id uuid,
                                     hi_at timestamptz, hi_id uuid, newest boolean, walk integer, n integer,
                                     name text, query_text text, project_id text, include_hidden boolean,
                                     exclude_tags text[], all_tags text[], with_metadata jsonb)
RETURNS TABLE (created_at timestamptz, id uuid)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
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
     LIMIT n
$$;

CREATE OR REPLACE FUNCTION _letta_recent_page(org uuid, lo_at timestamptz, lo_id uuid,
                                   hi_at timestamptz, hi_id uuid, newest boolean, n integer,
                                   name text, query_text text, project_id text, include_hidden boolean,
                                   exclude_tags text[], all_tags text[], with_metadata jsonb)
RETURNS TABLE (created_at timestamptz, id uuid)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT a.created_at, a.id
      FROM @extschema@.letta_agents a
     WHERE a.organization_id = org
       AND (a.created_at, a.id) > (lo_at, lo_id) AND (a.created_at, a.id) < (hi_at, hi_id)
       AND (SELECT @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, _letta_recent_page.name, query_text,
                                                 _letta_recent_page.project_id, include_hidden, a.metadata, exclude_tags, all_tags, with_metadata))
     ORDER BY CASE WHEN newest THEN a.created_at END DESC, CASE WHEN newest THEN a.id END DESC,
              CASE WHEN NOT newest THEN a.created_at END, CASE WHEN NOT newest THEN a.id END
     LIMIT n
$$;

CREATE OR REPLACE FUNCTION _letta_recent_identities(org uuid, lo_at timestamptz, lo_id uuid,
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

CREATE OR REPLACE FUNCTION _letta_recent_blocks(org uuid, lo_at timestamptz, lo_id uuid, hi_at timestamptz, hi_id uuid,
                                     newest boolean, n integer, by_label boolean, label text, label_search text,
                                     value_search text, description_search text, project_id text,
                                     tags text[], match_all_tags boolean, include_hidden boolean,
                                     cap integer, gt integer, lt integer, eq integer[])
RETURNS TABLE (created_at timestamptz, id uuid)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
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
     LIMIT n
$$;

-- upgrade-draft: generated from here
REVOKE EXECUTE ON FUNCTION @extschema@._letta_agent_list_filters(tags text[], match_all_tags boolean, identifier_keys text[], identity_id text, exclude_tags text[], all_tags text[], metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_agent_rows(org uuid, ids uuid[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_agents_all_tags(org uuid, wanted text[], lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, n integer, name text, query_text text, project_id text, include_hidden boolean, exclude_tags text[], all_tags text[], metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_agents_by_update(org uuid, filters _letta_agent_list_filters, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, n integer, name text, query_text text, project_id text, include_hidden boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_block_rows(org uuid, ids uuid[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_agent_rows(org uuid, ids uuid[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_all_tags_page(org uuid, driver text, wanted text[], lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, walk integer, n integer, name text, query_text text, project_id text, include_hidden boolean, exclude_tags text[], all_tags text[], with_metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_block_rows(org uuid, ids uuid[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_identity_rows(org uuid, ids uuid[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_recent_blocks(org uuid, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, n integer, by_label boolean, label text, label_search text, value_search text, description_search text, project_id text, tags text[], match_all_tags boolean, include_hidden boolean, cap integer, gt integer, lt integer, eq integer[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_recent_identities(org uuid, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, n integer, name text, project_id text, identifier_key text, identity_type text, property jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_recent_page(org uuid, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, n integer, name text, query_text text, project_id text, include_hidden boolean, exclude_tags text[], all_tags text[], with_metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_tag_entries(org uuid, tag text, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, skip integer, lim integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_tag_page(org uuid, tag text, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, n integer, name text, query_text text, project_id text, include_hidden boolean, exclude_tags text[], all_tags text[], with_metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_two_tags_page(org uuid, driver text, other text, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, walk integer, n integer, name text, query_text text, project_id text, include_hidden boolean, exclude_tags text[], all_tags text[], with_metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_distributed_tables() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_identity_rows(org uuid, ids uuid[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_key_identities(org uuid, identifier_keys text[], arg text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_use_citus_variants() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_attach_agent_by_key(identifier_key text, agent_id text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_create_agent(name text, tags text[], identity_ids text[], model text, embedding text, context_window_limit integer, memory_blocks jsonb, project_id text, metadata jsonb, id text, hidden boolean, block_ids text[], identifier_keys text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_delete_organization(organization_id text, dry_run boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_detach_agent_by_key(identifier_key text, agent_id text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_forget_identity_kept(identity_id text, agents boolean, blocks boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_list_organizations() FROM PUBLIC;

-- Bound roles get what this update added, when it commits (tenancy.sql); on Citus
-- (letta_distribute), the re-created functions as distribution left them. On the coordinator
-- only: a Citus worker runs this script as the coordinator's update sends it, and the bindings
-- (a reference table) and the functions' forms are the coordinator's to change.
DO $$
DECLARE
    worker boolean := false;
BEGIN
    IF pg_catalog.to_regproc('pg_catalog.citus_is_coordinator') IS NOT NULL THEN
        EXECUTE 'SELECT NOT pg_catalog.citus_is_coordinator()' INTO worker;
    END IF;
    IF NOT worker THEN
        UPDATE @extschema@.letta_role_organizations SET may_switch = may_switch;
        IF cardinality(@extschema@._letta_distributed_tables()) > 0 THEN
            PERFORM @extschema@._letta_prepare_for_citus();
            PERFORM @extschema@._letta_use_citus_variants();
        END IF;
    END IF;
END
$$;
-- upgrade-draft: generated up to here
