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
        PERFORM @extschema@._letta_not_found('identity', identity_id);
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

CREATE FUNCTION letta_delete_identity(identity_id text)
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
