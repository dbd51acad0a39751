-- letta_identity 0.3.0 -> 0.4.0: tenancy that holds behind a connection pooler.
--
-- _letta_org() (src/organization.rs, same symbol) now accepts, for a role allowed to switch,
-- only a letta.organization_id set in the current transaction, and ignores for a bound role a
-- value that another role left on the connection. Whether a value was set in this transaction
-- is backend-local state that parallel workers do not receive, so _letta_org() is PARALLEL
-- RESTRICTED, and so is every function that calls it or reads the tables (whose policies call
-- it). A deferred trigger on the bindings grants bound roles the API at commit, as ordinary
-- grants (kept by pg_dump): this script and later ones touch the bindings instead of writing
-- system catalogs, and a restore grants bound roles afresh. No table changes; every
-- table, type, operator and operator class gets a comment. Each input rule lives once, in
-- Rust (_letta_positive, _letta_check_block, _letta_required_properties); the helpers that
-- take a kind fail on an unknown one; _letta_require is now _letta_lock_rows; one not-found
-- error, _letta_not_found.
-- Drafted by scripts/upgrade-draft 0.3.0; the trigger and the comments added by hand.
-- Added: _letta_grant_binding, _letta_lock_rows, _letta_not_found, _letta_positive,
-- Added: _letta_required_properties.
-- Changed: _letta_agent_out, _letta_agent_row, _letta_agents_matching, _letta_block_out,
-- Changed: _letta_block_row, _letta_check_block, _letta_cursor_at, _letta_exists, _letta_grant,
-- Changed: _letta_identities_matching, _letta_identity_out, _letta_identity_row, _letta_link,
-- Changed: _letta_linked_agents, _letta_org, _letta_set_identity_links, _letta_unlink,
-- Changed: letta_add_agent_tags, letta_agents_by_key, letta_blocks_by_key, letta_count_agents,
-- Changed: letta_count_identities, letta_create_agent, letta_create_agents,
-- Changed: letta_current_organization, letta_delete_agent, letta_delete_block,
-- Changed: letta_delete_identity, letta_get_agent, letta_get_block, letta_get_identity,
-- Changed: letta_identity_agents, letta_identity_blocks, letta_list_agents, letta_list_agents_page,
-- Changed: letta_list_identities, letta_list_identities_page, letta_list_tags,
-- Changed: letta_remove_agent_tags, letta_update_agent, letta_update_block, letta_update_identity,
-- Changed: letta_upsert_identity_properties.
-- Removed: _letta_require.
\echo Use "ALTER EXTENSION letta_identity UPDATE TO '0.4.0'" to load this file. \quit

DROP FUNCTION @extschema@._letta_require(org uuid, kind text, ids uuid[]);
CREATE OR REPLACE FUNCTION "_letta_check_block"(
	"value" TEXT, /* Option < & str > */
	"char_limit" INT /* Option < i32 > */
) RETURNS void
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_check_block_wrapper';

CREATE OR REPLACE FUNCTION "_letta_not_found"(
	"kind" TEXT, /* Option < & str > */
	"id" TEXT /* Option < & str > */
) RETURNS void
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_not_found_wrapper';

CREATE OR REPLACE FUNCTION "_letta_org"() RETURNS uuid /* PgUuid */
STRICT STABLE PARALLEL RESTRICTED 
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', 'current_organization_wrapper';

CREATE OR REPLACE FUNCTION "_letta_positive"(
	"value" INT, /* Option < i32 > */
	"arg" TEXT /* Option < & str > */
) RETURNS INT /* Option < i32 > */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_positive_wrapper';

CREATE OR REPLACE FUNCTION "_letta_required_properties"(
	"properties" jsonb /* Option < JsonB > */
) RETURNS jsonb /* JsonB */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_required_properties_wrapper';

CREATE OR REPLACE FUNCTION _letta_identity_out(i @extschema@.letta_identities)
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

CREATE OR REPLACE FUNCTION _letta_agent_out(a @extschema@.letta_agents)
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

CREATE OR REPLACE FUNCTION _letta_block_out(b @extschema@.letta_blocks)
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

CREATE OR REPLACE FUNCTION _letta_identity_row(org uuid, identity uuid)
RETURNS SETOF @extschema@.letta_identity
LANGUAGE sql STABLE PARALLEL RESTRICTED ROWS 1
AS $$
    SELECT o.*
      FROM @extschema@.letta_identities i
     CROSS JOIN LATERAL @extschema@._letta_identity_out(i) o
     WHERE i.organization_id = org AND i.id = identity
$$;

CREATE OR REPLACE FUNCTION _letta_agent_row(org uuid, agent uuid)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE sql STABLE PARALLEL RESTRICTED ROWS 1
AS $$
    SELECT o.*
      FROM @extschema@.letta_agents a
     CROSS JOIN LATERAL @extschema@._letta_agent_out(a) o
     WHERE a.organization_id = org AND a.id = agent
$$;

CREATE OR REPLACE FUNCTION _letta_block_row(org uuid, block uuid)
RETURNS SETOF @extschema@.letta_block
LANGUAGE sql STABLE PARALLEL RESTRICTED ROWS 1
AS $$
    SELECT o.*
      FROM @extschema@.letta_blocks b
     CROSS JOIN LATERAL @extschema@._letta_block_out(b) o
     WHERE b.organization_id = org AND b.id = block
$$;

CREATE OR REPLACE FUNCTION _letta_lock_rows(org uuid, kind text, ids uuid[])
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    missing uuid;
BEGIN
    IF cardinality(ids) = 0 AND kind IN ('identity', 'agent', 'block') THEN
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
    ELSIF kind = 'block' THEN
        SELECT x INTO missing FROM unnest(ids) x
          LEFT JOIN (SELECT r.id FROM @extschema@.letta_blocks r
                      WHERE r.organization_id = org AND r.id = ANY (ids)
                      ORDER BY r.id FOR KEY SHARE) found ON found.id = x
         WHERE found.id IS NULL LIMIT 1;
    ELSE
        RAISE EXCEPTION 'letta_identity: no such kind "%"', kind USING ERRCODE = 'internal_error';
    END IF;
    IF missing IS NOT NULL THEN
        PERFORM @extschema@._letta_not_found(kind, kind || '-' || missing);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION _letta_exists(org uuid, kind text, id uuid)
RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
BEGIN
    IF kind NOT IN ('identity', 'agent', 'block') THEN
        RAISE EXCEPTION 'letta_identity: no such kind "%"', kind USING ERRCODE = 'internal_error';
    END IF;
    IF (kind = 'identity' AND NOT EXISTS (SELECT FROM @extschema@.letta_identities r
                                          WHERE r.organization_id = org AND r.id = _letta_exists.id))
       OR (kind = 'agent' AND NOT EXISTS (SELECT FROM @extschema@.letta_agents r
                                          WHERE r.organization_id = org AND r.id = _letta_exists.id))
       OR (kind = 'block' AND NOT EXISTS (SELECT FROM @extschema@.letta_blocks r
                                          WHERE r.organization_id = org AND r.id = _letta_exists.id)) THEN
        PERFORM @extschema@._letta_not_found(kind, kind || '-' || id);
    END IF;
    RETURN true;
END
$$;

CREATE OR REPLACE FUNCTION _letta_cursor_at(kind text, cursor text, arg text)
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
    ELSIF kind = 'agent' THEN
        SELECT r.created_at INTO at FROM @extschema@.letta_agents r
         WHERE r.organization_id = org AND r.id = wanted;
    ELSE
        RAISE EXCEPTION 'letta_identity: no such kind "%"', kind USING ERRCODE = 'internal_error';
    END IF;
    IF at IS NULL THEN
        PERFORM @extschema@._letta_not_found(arg || ' cursor', cursor);
    END IF;
    RETURN at;
END
$$;

CREATE OR REPLACE FUNCTION _letta_linked_agents(identifier_keys text[], identity uuid)
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

CREATE OR REPLACE FUNCTION _letta_link(org uuid, kind text, identity_ids uuid[], ids uuid[])
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    added integer;
BEGIN
    PERFORM @extschema@._letta_lock_rows(org, 'identity', identity_ids);
    PERFORM @extschema@._letta_lock_rows(org, kind, ids);
    IF kind = 'agent' THEN
        INSERT INTO @extschema@.letta_identities_agents (organization_id, identity_id, agent_id)
        SELECT org, i, x FROM unnest(identity_ids) i, unnest(ids) x
        ON CONFLICT DO NOTHING;
    ELSIF kind = 'block' THEN
        INSERT INTO @extschema@.letta_identities_blocks (organization_id, identity_id, block_id)
        SELECT org, i, x FROM unnest(identity_ids) i, unnest(ids) x
        ON CONFLICT DO NOTHING;
    ELSE
        RAISE EXCEPTION 'letta_identity: no such kind "%"', kind USING ERRCODE = 'internal_error';
    END IF;
    GET DIAGNOSTICS added = ROW_COUNT;
    RETURN added;
END
$$;

CREATE OR REPLACE FUNCTION _letta_unlink(org uuid, kind text, identity_ids uuid[], ids uuid[])
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    removed integer;
BEGIN
    PERFORM @extschema@._letta_lock_rows(org, 'identity', identity_ids);
    PERFORM @extschema@._letta_lock_rows(org, kind, ids);
    IF kind = 'agent' THEN
        DELETE FROM @extschema@.letta_identities_agents l
         WHERE l.organization_id = org AND l.identity_id = ANY (identity_ids) AND l.agent_id = ANY (ids);
    ELSIF kind = 'block' THEN
        DELETE FROM @extschema@.letta_identities_blocks l
         WHERE l.organization_id = org AND l.identity_id = ANY (identity_ids) AND l.block_id = ANY (ids);
    ELSE
        RAISE EXCEPTION 'letta_identity: no such kind "%"', kind USING ERRCODE = 'internal_error';
    END IF;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END
$$;

CREATE OR REPLACE FUNCTION _letta_set_identity_links(org uuid, kind text, identity uuid, ids uuid[])
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM @extschema@._letta_lock_rows(org, kind, ids);
    IF kind = 'agent' THEN
        DELETE FROM @extschema@.letta_identities_agents l
         WHERE l.organization_id = org AND l.identity_id = identity AND l.agent_id <> ALL (ids);
    ELSIF kind = 'block' THEN
        DELETE FROM @extschema@.letta_identities_blocks l
         WHERE l.organization_id = org AND l.identity_id = identity AND l.block_id <> ALL (ids);
    ELSE
        RAISE EXCEPTION 'letta_identity: no such kind "%"', kind USING ERRCODE = 'internal_error';
    END IF;
    PERFORM @extschema@._letta_link(org, kind, ARRAY[identity], ids);
END
$$;

CREATE OR REPLACE FUNCTION letta_add_agent_tags(agent_id text, tags text[])
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
        PERFORM @extschema@._letta_not_found('agent', agent_id);
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_add_agent_tags(text, text[]) IS
'Add tags to an agent without rewriting the rest; returns the agent''s tags.';

CREATE OR REPLACE FUNCTION letta_remove_agent_tags(agent_id text, tags text[])
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
        PERFORM @extschema@._letta_not_found('agent', agent_id);
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_remove_agent_tags(text, text[]) IS
'Remove tags from an agent (absent ones are ignored); returns the agent''s tags.';

CREATE OR REPLACE FUNCTION letta_list_tags(
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

CREATE OR REPLACE FUNCTION letta_get_identity(identity_id text)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    result @extschema@.letta_identity;
BEGIN
    SELECT * INTO result FROM @extschema@._letta_identity_row(
        (SELECT @extschema@._letta_org()), @extschema@._letta_uuid(identity_id, 'identity', 'identity_id'));
    IF NOT FOUND THEN
        PERFORM @extschema@._letta_not_found('identity', identity_id);
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_get_identity(text) IS
'The identity with this id in the current organization; P0002 if there is none.';

CREATE OR REPLACE FUNCTION _letta_identities_matching(
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

CREATE OR REPLACE FUNCTION letta_count_identities(
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
    org      uuid   := @extschema@._letta_org();
    identity uuid   := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
    agents   uuid[] := @extschema@._letta_uuids(agent_ids, 'agent', 'agent_ids');
    blocks   uuid[] := @extschema@._letta_uuids(block_ids, 'block', 'block_ids');
    existing @extschema@.letta_identities;
BEGIN
    SELECT * INTO existing FROM @extschema@.letta_identities r
     WHERE r.organization_id = org AND r.id = identity FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM @extschema@._letta_not_found('identity', identity_id);
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

CREATE OR REPLACE FUNCTION letta_upsert_identity_properties(identity_id text, properties jsonb)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_variable
DECLARE
    org      uuid := @extschema@._letta_org();
    identity uuid := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
BEGIN
    UPDATE @extschema@.letta_identities r
       SET properties = @extschema@._letta_required_properties(properties), updated_at = now()
     WHERE r.organization_id = org AND r.id = identity;
    IF NOT FOUND THEN
        PERFORM @extschema@._letta_not_found('identity', identity_id);
    END IF;
    RETURN @extschema@._letta_identity_row(org, identity);
END
$$;

COMMENT ON FUNCTION letta_upsert_identity_properties(text, jsonb) IS
'Replace the whole property list of an identity.';

CREATE OR REPLACE FUNCTION letta_delete_identity(identity_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    DELETE FROM @extschema@.letta_identities r
     WHERE r.organization_id = (SELECT @extschema@._letta_org())
       AND r.id = @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
    IF NOT FOUND THEN
        PERFORM @extschema@._letta_not_found('identity', identity_id);
    END IF;
END
$$;

COMMENT ON FUNCTION letta_delete_identity(text) IS
'Delete an identity. Its links go; its agents and blocks stay. P0002 if there is none.';

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

CREATE OR REPLACE FUNCTION letta_create_agents(agents jsonb)
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

CREATE OR REPLACE FUNCTION letta_get_agent(agent_id text)
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

CREATE OR REPLACE FUNCTION letta_delete_agent(agent_id text)
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

CREATE OR REPLACE FUNCTION _letta_agents_matching(
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

CREATE OR REPLACE FUNCTION letta_count_agents(
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

CREATE OR REPLACE FUNCTION letta_agents_by_key(identifier_keys text[], include_hidden boolean DEFAULT false)
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

CREATE OR REPLACE FUNCTION letta_identity_agents(
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

CREATE OR REPLACE FUNCTION letta_get_block(block_id text)
RETURNS @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    result @extschema@.letta_block;
BEGIN
    SELECT * INTO result FROM @extschema@._letta_block_row(
        (SELECT @extschema@._letta_org()), @extschema@._letta_uuid(block_id, 'block', 'block_id'));
    IF NOT FOUND THEN
        PERFORM @extschema@._letta_not_found('block', block_id);
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
        PERFORM @extschema@._letta_not_found('block', block_id);
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

CREATE OR REPLACE FUNCTION letta_delete_block(block_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    DELETE FROM @extschema@.letta_blocks b
     WHERE b.organization_id = (SELECT @extschema@._letta_org())
       AND b.id = @extschema@._letta_uuid(block_id, 'block', 'block_id');
    IF NOT FOUND THEN
        PERFORM @extschema@._letta_not_found('block', block_id);
    END IF;
END
$$;

COMMENT ON FUNCTION letta_delete_block(text) IS
'Delete a block and its links to identities. P0002 if there is none.';

CREATE OR REPLACE FUNCTION letta_identity_blocks(identity_id text)
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

CREATE OR REPLACE FUNCTION letta_blocks_by_key(identifier_keys text[])
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

CREATE OR REPLACE FUNCTION letta_list_agents_page(
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

CREATE OR REPLACE FUNCTION letta_list_identities_page(
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

CREATE OR REPLACE FUNCTION letta_current_organization()
RETURNS text
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$ SELECT 'org-' || @extschema@._letta_org() $$;

COMMENT ON FUNCTION letta_current_organization() IS
'The organization every letta_* function works in: the role''s binding; for a role allowed to switch, letta.organization_id as set in this transaction; for a superuser, letta.organization_id (default Letta''s default org).';

CREATE OR REPLACE FUNCTION _letta_grant(role_name text, give boolean)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    f regprocedure;
    t regclass;
BEGIN
    role_name := @extschema@._letta_required(role_name, 'role_name');
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = role_name) THEN
        RAISE EXCEPTION 'role "%" does not exist', role_name USING ERRCODE = 'undefined_object';
    END IF;
    FOR f IN SELECT p.oid::regprocedure
               FROM pg_catalog.pg_proc p
               JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
              WHERE d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'letta_identity')
                AND p.proname NOT IN ('letta_bind_role', 'letta_allow_switching', 'letta_unbind_role', '_letta_grant',
                                      '_letta_grant_binding')
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

CREATE OR REPLACE FUNCTION _letta_grant_binding()
RETURNS trigger
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    -- Still bound at commit, and the role exists (a restore may precede its CREATE ROLE).
    IF EXISTS (SELECT FROM @extschema@.letta_role_organizations b WHERE b.role_name = NEW.role_name)
       AND EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = NEW.role_name) THEN
        PERFORM @extschema@._letta_grant(NEW.role_name, true);
    END IF;
    RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION @extschema@._letta_grant_binding() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_lock_rows(org uuid, kind text, ids uuid[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_not_found(kind text, id text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_positive(value integer, arg text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_required_properties(properties jsonb) FROM PUBLIC;


CREATE CONSTRAINT TRIGGER letta_role_organizations_grant
    AFTER INSERT OR UPDATE ON @extschema@.letta_role_organizations
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION @extschema@._letta_grant_binding();

-- Every table, type, operator and operator class says what it is.
COMMENT ON TABLE letta_identities IS
'Identities: an application''s users or organizations (Letta''s identities), found by identifier_key (unique per organization and project_id); properties is Letta''s list of typed key/value pairs.';
COMMENT ON TABLE letta_agents IS
'Agents (Letta''s agents) with their tags, a set of text kept sorted; memory_blocks is the agent''s own memory, as Letta''s JSON.';
COMMENT ON TABLE letta_identities_agents IS
'Which identities own which agents (many to many); both rows in the same organization.';
COMMENT ON TABLE letta_blocks IS
'Memory blocks that identities share (Letta''s blocks); "limit" is the most characters value may have.';
COMMENT ON TABLE letta_identities_blocks IS
'Which identities share which blocks (many to many); both rows in the same organization.';
COMMENT ON TYPE letta_identity IS
'An identity as the functions return it: Letta''s JSON field order, text ids (identity-<uuid>).';
COMMENT ON TYPE letta_agent IS
'An agent as the functions return it: Letta''s JSON field order, text ids (agent-<uuid>).';
COMMENT ON TYPE letta_block IS
'A block as the functions return it: Letta''s JSON field order, text ids (block-<uuid>).';
COMMENT ON TYPE letta_page IS
'One page of a list: its items as JSON, whether more follow, and the cursor of the next page.';
COMMENT ON OPERATOR &&& (text[], text[]) IS 'Tags any of: the tag arrays overlap (as &&, leakproof).';
COMMENT ON OPERATOR @>> (text[], text[]) IS 'Tags all of: the left tags contain the right ones (as @>, leakproof).';
COMMENT ON OPERATOR <<@ (text[], text[]) IS 'Tags contained in: the left tags are among the right ones (as <@, leakproof).';
COMMENT ON OPERATOR CLASS letta_tags_ops USING gin IS
'GIN on tag arrays for the leakproof &&&, @>> and <<@ (the built-in array_ops, leakproof).';
COMMENT ON TABLE letta_role_organizations IS
'Which organization each database role works in (or may_switch: it names one in each transaction). Written by letta_bind_role, letta_allow_switching and letta_unbind_role; each role reads its own row.';

-- Bound roles get what this update added, when it commits (tenancy.sql).
UPDATE @extschema@.letta_role_organizations SET may_switch = may_switch;
