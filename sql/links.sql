-- letta_identity: checks and links shared by the resources: rows locked or checked by id,
-- pagination cursors, the agents of identifier keys, and link writes. (Conventions: rows.sql.)

-- Lock the named rows of one kind against deletion (in id order, so concurrent callers cannot
-- deadlock on each other) and fail with P0002 naming the first one missing from this
-- organization. kind is 'identity', 'agent' or 'block'; any other is a bug (XX000), as in
-- every helper here that takes a kind.
CREATE FUNCTION _letta_lock_rows(org uuid, kind text, ids uuid[])
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

-- Guard for reads: true, or P0002 if the row is not in this organization.
CREATE FUNCTION _letta_exists(org uuid, kind text, id uuid)
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

-- A pagination cursor's created_at (by_update: its updated_at): the row of this kind
-- ('identity', 'agent' or 'block') with this id in this organization, or P0002. The lists call
-- it once per call.
CREATE FUNCTION _letta_cursor_at(kind text, cursor text, arg text, by_update boolean DEFAULT false)
RETURNS timestamptz
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    org    uuid := @extschema@._letta_org();
    wanted uuid := @extschema@._letta_uuid(cursor, kind, arg);
    at     timestamptz;
BEGIN
    IF kind = 'identity' THEN
        SELECT CASE WHEN by_update THEN r.updated_at ELSE r.created_at END INTO at
          FROM @extschema@.letta_identities r
         WHERE r.organization_id = org AND r.id = wanted;
    ELSIF kind = 'agent' THEN
        SELECT CASE WHEN by_update THEN r.updated_at ELSE r.created_at END INTO at
          FROM @extschema@.letta_agents r
         WHERE r.organization_id = org AND r.id = wanted;
    ELSIF kind = 'block' THEN
        SELECT CASE WHEN by_update THEN r.updated_at ELSE r.created_at END INTO at
          FROM @extschema@.letta_blocks r
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

-- The bounds a page lies strictly between, as (created_at, id) pairs (by_update: (updated_at,
-- id)): the cursors of kind ('identity', 'agent' or 'block'), each on its side of the list's
-- order, or the ends of time where there is none. (Values, not "NULL or" conditions: the lists'
-- index scans start at them.)
CREATE FUNCTION _letta_page_bounds(kind text, before text, after text, ascending boolean,
                                   by_update boolean DEFAULT false,
                                   OUT lo_at timestamptz, OUT lo_id uuid, OUT hi_at timestamptz, OUT hi_id uuid)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
BEGIN
    lo_at := '-infinity';
    lo_id := '00000000-0000-0000-0000-000000000000';
    hi_at := 'infinity';
    hi_id := 'ffffffff-ffff-ffff-ffff-ffffffffffff';
    -- Ascending, after is the lower bound and before the upper; newest first, the reverse.
    IF after IS NOT NULL AND ascending THEN
        lo_at := @extschema@._letta_cursor_at(kind, after, 'after', by_update);
        lo_id := @extschema@._letta_uuid(after, kind, 'after');
    ELSIF after IS NOT NULL THEN
        hi_at := @extschema@._letta_cursor_at(kind, after, 'after', by_update);
        hi_id := @extschema@._letta_uuid(after, kind, 'after');
    END IF;
    IF before IS NOT NULL AND ascending THEN
        hi_at := @extschema@._letta_cursor_at(kind, before, 'before', by_update);
        hi_id := @extschema@._letta_uuid(before, kind, 'before');
    ELSIF before IS NOT NULL THEN
        lo_at := @extschema@._letta_cursor_at(kind, before, 'before', by_update);
        lo_id := @extschema@._letta_uuid(before, kind, 'before');
    END IF;
END
$$;

-- The blocks of any identity with one of identifier_keys, or (identifier_keys NULL) of identity:
-- as _letta_linked_agents, for the block list.
CREATE FUNCTION _letta_linked_blocks(identifier_keys text[], identity uuid)
RETURNS uuid[]
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    org uuid := @extschema@._letta_org();
BEGIN
    IF identifier_keys IS NULL THEN
        -- Through the identity's row: one not the end user's finds nothing, though a shared
        -- block's link to it is in sight.
        RETURN ARRAY(SELECT l.block_id
                       FROM @extschema@.letta_identities i
                       JOIN @extschema@.letta_identities_blocks l
                         ON l.organization_id = i.organization_id AND l.identity_id = i.id
                      WHERE i.organization_id = org AND i.id = identity);
    END IF;
    RETURN ARRAY(SELECT l.block_id
                   FROM @extschema@.letta_identities i
                   JOIN @extschema@.letta_identities_blocks l
                     ON l.organization_id = i.organization_id AND l.identity_id = i.id
                  WHERE i.organization_id = org
                    AND i.identifier_key = ANY (identifier_keys));
END
$$;

-- The agents that identifier_keys and identity_id restrict a list to (both: those of both),
-- and the end user to theirs (src/end_user.rs): a list of theirs probes their agents by key
-- rather than walking the organization's past everyone else's. NULL when none applies.
CREATE FUNCTION _letta_linked_filter(identifier_keys text[], identity_id text)
RETURNS uuid[]
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    by_keys     uuid[];
    by_identity uuid[];
    linked      uuid[];
BEGIN
    IF identifier_keys IS NOT NULL THEN
        by_keys := @extschema@._letta_linked_agents(identifier_keys, NULL);
    END IF;
    IF identity_id IS NOT NULL THEN
        by_identity := @extschema@._letta_linked_agents(
            NULL, @extschema@._letta_uuid(identity_id, 'identity', 'identity_id'));
    END IF;
    linked := CASE WHEN by_keys IS NOT NULL AND by_identity IS NOT NULL
                   THEN ARRAY(SELECT unnest(by_keys) INTERSECT SELECT unnest(by_identity))
                   ELSE coalesce(by_keys, by_identity) END;
    IF @extschema@._letta_end_user() IS NOT NULL THEN
        linked := CASE WHEN linked IS NULL THEN @extschema@._letta_end_user_agents()
                       ELSE ARRAY(SELECT unnest(linked) INTERSECT SELECT unnest(@extschema@._letta_end_user_agents())) END;
    END IF;
    RETURN linked;
END
$$;

-- The block list's identity filters: the blocks of identity_id, of identifier_keys, or (both
-- given) of both, and the end user's, as _letta_linked_filter for agents; NULL when none applies.
CREATE FUNCTION _letta_linked_blocks_filter(identifier_keys text[], identity_id text)
RETURNS uuid[]
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    by_keys     uuid[];
    by_identity uuid[];
    linked      uuid[];
BEGIN
    IF identifier_keys IS NOT NULL THEN
        by_keys := @extschema@._letta_linked_blocks(identifier_keys, NULL);
    END IF;
    IF identity_id IS NOT NULL THEN
        by_identity := @extschema@._letta_linked_blocks(
            NULL, @extschema@._letta_uuid(identity_id, 'identity', 'identity_id'));
    END IF;
    linked := CASE WHEN by_keys IS NOT NULL AND by_identity IS NOT NULL
                   THEN ARRAY(SELECT unnest(by_keys) INTERSECT SELECT unnest(by_identity))
                   ELSE coalesce(by_keys, by_identity) END;
    IF @extschema@._letta_end_user() IS NOT NULL THEN
        linked := CASE WHEN linked IS NULL THEN @extschema@._letta_end_user_blocks()
                       ELSE ARRAY(SELECT unnest(linked) INTERSECT SELECT unnest(@extschema@._letta_end_user_blocks())) END;
    END IF;
    RETURN linked;
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
DECLARE
    org uuid := @extschema@._letta_org();
BEGIN
    IF identifier_keys IS NULL THEN
        -- Through the identity's row: one not the end user's finds nothing, though a shared
        -- agent's link to it is in sight.
        RETURN ARRAY(SELECT l.agent_id
                       FROM @extschema@.letta_identities i
                       JOIN @extschema@.letta_identities_agents l
                         ON l.organization_id = i.organization_id AND l.identity_id = i.id
                      WHERE i.organization_id = org AND i.id = identity);
    END IF;
    RETURN ARRAY(SELECT l.agent_id
                   FROM @extschema@.letta_identities i
                   JOIN @extschema@.letta_identities_agents l
                     ON l.organization_id = i.organization_id AND l.identity_id = i.id
                  WHERE i.organization_id = org
                    AND i.identifier_key = ANY (identifier_keys));
END
$$;

-- The identities with these identifier keys (any project: a key names every identity it is
-- the key of, as letta_agents_by_key reads it), for the writes by key; P0002 naming the first
-- key with none (an end user's session finds only theirs). Two statements: on Citus, one
-- reading a table is routed whole to a worker.
CREATE FUNCTION _letta_key_identities(org uuid, identifier_keys text[], arg text)
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

-- Link every given identity to every given agent (or block); returns the number of new links.
CREATE FUNCTION _letta_link(org uuid, kind text, identity_ids uuid[], ids uuid[])
RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    added integer;
BEGIN
    PERFORM @extschema@._letta_lock_rows(org, 'identity', identity_ids);
    PERFORM @extschema@._letta_lock_rows(org, kind, ids);
    -- The identities are read from their table (they exist: locked above), so that on Citus
    -- the insert runs beside them on the organization's shard (an INSERT ... SELECT from
    -- arrays alone would pass through the coordinator as a COPY, which row-level security
    -- refuses).
    IF kind = 'agent' THEN
        INSERT INTO @extschema@.letta_identities_agents (organization_id, identity_id, agent_id)
        SELECT i.organization_id, i.id, x
          FROM @extschema@.letta_identities i, unnest(ids) x
         WHERE i.organization_id = org AND i.id = ANY (identity_ids)
        ON CONFLICT DO NOTHING;
    ELSIF kind = 'block' THEN
        INSERT INTO @extschema@.letta_identities_blocks (organization_id, identity_id, block_id)
        SELECT i.organization_id, i.id, x
          FROM @extschema@.letta_identities i, unnest(ids) x
         WHERE i.organization_id = org AND i.id = ANY (identity_ids)
        ON CONFLICT DO NOTHING;
    ELSE
        RAISE EXCEPTION 'letta_identity: no such kind "%"', kind USING ERRCODE = 'internal_error';
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

-- Make an identity's agents (or blocks) exactly these.
CREATE FUNCTION _letta_set_identity_links(org uuid, kind text, identity uuid, ids uuid[])
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
