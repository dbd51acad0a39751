-- letta_identity: memory blocks that identities share. (Conventions: rows.sql.)

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
    RETURN (SELECT v.shown FROM @extschema@._letta_blocks_shown v WHERE v.organization_id = org AND v.id = new_id);
END
$$;

COMMENT ON FUNCTION letta_create_block(text, text, integer, text, jsonb, text[]) IS
'Create a memory block (label, value, an optional char_limit on the value) owned by identity_ids.';

CREATE FUNCTION letta_get_block(block_id text)
RETURNS @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    org    uuid := @extschema@._letta_org();
    result @extschema@.letta_block;
BEGIN
    SELECT (v.shown).* INTO result FROM @extschema@._letta_blocks_shown v
     WHERE v.organization_id = org AND v.id = @extschema@._letta_uuid(block_id, 'block', 'block_id');
    IF NOT FOUND THEN
        PERFORM @extschema@._letta_not_found('block', block_id);
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
    stamp   timestamptz := @extschema@._letta_stamp();
    block   uuid := @extschema@._letta_uuid(block_id, 'block', 'block_id');
    existing @extschema@.letta_blocks;
BEGIN
    SELECT * INTO existing FROM @extschema@.letta_blocks b
     WHERE b.organization_id = org AND b.id = block FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM @extschema@._letta_not_found('block', block_id);
    END IF;
    PERFORM @extschema@._letta_check_block(coalesce(value, existing.value), coalesce(char_limit, existing."limit"));
    -- Checked here, not in the UPDATE: Citus evaluates the functions of an UPDATE before it
    -- runs, whichever CASE branch they sit in.
    IF label IS NOT NULL THEN
        label := @extschema@._letta_required(label, 'label');
    END IF;
    UPDATE @extschema@.letta_blocks b
       SET label = coalesce(label, b.label),
           value = coalesce(value, b.value),
           "limit" = coalesce(char_limit, b."limit"),
           description = coalesce(description, b.description),
           metadata = CASE WHEN metadata IS NULL THEN b.metadata ELSE @extschema@._letta_metadata(metadata) END,
           updated_at = stamp
     WHERE b.organization_id = org AND b.id = block;
    RETURN (SELECT v.shown FROM @extschema@._letta_blocks_shown v WHERE v.organization_id = org AND v.id = block);
END
$$;

COMMENT ON FUNCTION letta_update_block(text, text, text, integer, text, jsonb) IS
'Update a block; NULL keeps a value. 22023 if the value would not fit the limit.';

CREATE FUNCTION letta_delete_block(block_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org uuid := @extschema@._letta_org();
BEGIN
    DELETE FROM @extschema@.letta_blocks b
     WHERE b.organization_id = org
       AND b.id = @extschema@._letta_uuid(block_id, 'block', 'block_id');
    IF NOT FOUND THEN
        PERFORM @extschema@._letta_not_found('block', block_id);
    END IF;
END
$$;

COMMENT ON FUNCTION letta_delete_block(text) IS
'Delete a block and its links to identities. P0002 if there is none.';

CREATE FUNCTION letta_attach_block(identity_id text, block_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    RETURN @extschema@._letta_link(
               @extschema@._letta_org(), 'block',
               ARRAY[@extschema@._letta_uuid(identity_id, 'identity', 'identity_id')],
               ARRAY[@extschema@._letta_uuid(block_id, 'block', 'block_id')]) > 0;
END
$$;

COMMENT ON FUNCTION letta_attach_block(text, text) IS
'Give an identity a block. Idempotent: true if the link is new. P0002 if either is missing.';

CREATE FUNCTION letta_detach_block(identity_id text, block_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    RETURN @extschema@._letta_unlink(
               @extschema@._letta_org(), 'block',
               ARRAY[@extschema@._letta_uuid(identity_id, 'identity', 'identity_id')],
               ARRAY[@extschema@._letta_uuid(block_id, 'block', 'block_id')]) > 0;
END
$$;

COMMENT ON FUNCTION letta_detach_block(text, text) IS
'Take a block from an identity. Idempotent: true if a link was removed. P0002 if either is missing.';

CREATE FUNCTION letta_identity_blocks(identity_id text)
RETURNS SETOF @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
-- PL/pgSQL with a generic plan, like letta_agents_by_key: planned once per connection.
DECLARE
    org      uuid := @extschema@._letta_org();
    identity uuid := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
BEGIN
    PERFORM @extschema@._letta_exists(org, 'identity', identity);
    RETURN QUERY
    SELECT (b.shown).*
      FROM @extschema@.letta_identities_blocks l
      JOIN @extschema@._letta_blocks_shown b ON b.organization_id = l.organization_id AND b.id = l.block_id
     WHERE l.organization_id = org AND l.identity_id = identity
     ORDER BY b.created_at DESC, b.id DESC;
END
$$;

COMMENT ON FUNCTION letta_identity_blocks(text) IS
'The blocks of one identity, newest first; P0002 if the identity is missing.';

CREATE FUNCTION letta_blocks_by_key(identifier_keys text[])
RETURNS SETOF @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
-- PL/pgSQL with a generic plan, like letta_agents_by_key: planned once per connection.
DECLARE
    org uuid := @extschema@._letta_org();
BEGIN
    PERFORM @extschema@._letta_check_list(identifier_keys, 'identifier_keys', true);
    RETURN QUERY
    SELECT (b.shown).*
      FROM @extschema@._letta_blocks_shown b
     WHERE b.organization_id = org
       AND b.id IN (SELECT l.block_id
                      FROM @extschema@.letta_identities i
                      JOIN @extschema@.letta_identities_blocks l
                        ON l.organization_id = i.organization_id AND l.identity_id = i.id
                     WHERE i.organization_id = org
                       AND i.identifier_key = ANY (identifier_keys))
     ORDER BY b.created_at DESC, b.id DESC;
END
$$;

COMMENT ON FUNCTION letta_blocks_by_key(text[]) IS
'Blocks of any identity with one of these identifier keys (any project), each once, newest first.';
