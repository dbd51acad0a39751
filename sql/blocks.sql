-- letta_identity: memory blocks, which identities and agents share, and an agent's memory.
-- (Conventions: rows.sql.)

CREATE FUNCTION letta_create_block(
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

CREATE FUNCTION letta_get_block(block_id text)
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

CREATE FUNCTION letta_update_block(
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

CREATE FUNCTION letta_delete_block(block_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org   uuid := @extschema@._letta_org();
    block uuid := @extschema@._letta_uuid(block_id, 'block', 'block_id');
BEGIN
    DELETE FROM @extschema@.letta_blocks b WHERE b.organization_id = org AND b.id = block;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('block', block_id)::text;
    END IF;
END
$$;

COMMENT ON FUNCTION letta_delete_block(text) IS
'Delete a block and its links to identities and agents. P0002 if there is none.';

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

CREATE FUNCTION letta_identity_blocks(
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

CREATE FUNCTION letta_blocks_by_key(identifier_keys text[])
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

-- The block list, with Letta's filters. As the agent lists: one of a few fixed-shape
-- statements per call, chosen by which filters are given (the identities' blocks; a label, on
-- its index; tags, by the GIN index when they are rare, else in list order; else the
-- organization's blocks in list order), with the other filters applied as the rows are read.

-- The filters that do not choose the statement, on a block's columns (a row would reach a
-- Citus worker typed as its shard). Searches are case-insensitive substrings (Letta's are
-- full-text on some backends, substrings on others).
CREATE FUNCTION _letta_block_kept(block_label text, block_value text, block_description text,
                                  block_project_id text, block_hidden boolean, block_tags text[],
                                  label text, label_search text, value_search text,
                                  description_search text, project_id text, tags text[],
                                  match_all_tags boolean, include_hidden boolean)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT (label IS NULL OR block_label = label)
       AND (label_search IS NULL OR strpos(lower(block_label), lower(label_search)) > 0)
       AND (value_search IS NULL OR strpos(lower(block_value), lower(value_search)) > 0)
       AND (description_search IS NULL OR strpos(lower(block_description), lower(description_search)) > 0)
       AND (_letta_block_kept.project_id IS NULL OR block_project_id = _letta_block_kept.project_id)
       AND (tags IS NULL OR CASE WHEN match_all_tags THEN block_tags OPERATOR(@extschema@.@>>) tags
                                 ELSE block_tags OPERATOR(@extschema@.&&&) tags END)
       AND (include_hidden IS TRUE OR NOT block_hidden)
$$;

-- Letta's connected_to_agents_count_gt / _lt / _eq on a block's number of agents, counted up to
-- cap (one more than any bound needs), so that a block in 100,000 agents' memory costs cap.
CREATE FUNCTION _letta_agents_count_kept(agents bigint, gt integer, lt integer, eq integer[])
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT (gt IS NULL OR agents > gt) AND (lt IS NULL OR agents < lt) AND (eq IS NULL OR agents = ANY (eq))
$$;

-- The organization's blocks in list order from a bound (newest: backwards), at most n, that pass
-- the filters; by_label: only blocks with that label, on the label's index (organization_id,
-- label, created_at, id). Inlined into letta_list_blocks with constant newest and by_label, so
-- that each call keeps one index order. (Parameters that share a column's name are qualified:
-- in SQL functions the column wins.)
CREATE FUNCTION _letta_recent_blocks(org uuid, lo_at timestamptz, lo_id uuid, hi_at timestamptz, hi_id uuid,
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

CREATE FUNCTION letta_list_blocks(
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

-- How far to count a block's agents for connected_to_agents_count_* (NULL: no such filter);
-- 22023 for a negative bound or a NULL in eq.
CREATE FUNCTION _letta_agents_count_cap(gt integer, lt integer, eq integer[])
RETURNS integer
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    IF gt < 0 OR lt < 0 OR 0 > ANY (eq) OR array_position(eq, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'connected_to_agents_count_% must be a number of agents (0 or more), got %',
                        CASE WHEN gt < 0 THEN 'gt' WHEN lt < 0 THEN 'lt' ELSE 'eq' END,
                        CASE WHEN gt < 0 THEN gt::text WHEN lt < 0 THEN lt::text ELSE eq::text END
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF gt IS NULL AND lt IS NULL AND eq IS NULL THEN
        RETURN NULL;
    END IF;
    -- (At most the largest integer: no block is in that many agents' memory.)
    RETURN least(greatest(gt::bigint + 1, lt, (SELECT max(x)::bigint + 1 FROM unnest(eq) x), 1), 2147483647)::integer;
END
$$;

CREATE FUNCTION letta_count_blocks(
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
    include_hidden               boolean   DEFAULT false
)
RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_variable
-- The blocks letta_list_blocks would list, all pages: the identities' blocks, or the
-- organization's (by the label's index when a label is given), filtered.
DECLARE
    org     uuid := @extschema@._letta_org();
    wanted  text[];
    linked  uuid[];
    cap     integer;
    checked boolean;  -- the input checks, as assignments: short error context
BEGIN
    IF label IS NOT NULL THEN
        label_search := NULL;  -- (Letta's rule: label given, label_search does not apply)
    END IF;
    checked := @extschema@._letta_check_list(tags, 'tags', false)
               AND @extschema@._letta_check_list(identifier_keys, 'identifier_keys', false);
    IF match_all_tags IS NULL THEN
        RAISE EXCEPTION 'match_all_tags must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF cardinality(tags) > 0 THEN
        wanted := ARRAY(SELECT DISTINCT t FROM unnest(tags) t);
    END IF;
    cap := @extschema@._letta_agents_count_cap(connected_to_agents_count_gt, connected_to_agents_count_lt,
                                               connected_to_agents_count_eq);
    linked := @extschema@._letta_linked_blocks_filter(identifier_keys, identity_id);
    IF linked IS NOT NULL THEN
        RETURN (SELECT count(*) FROM @extschema@.letta_blocks b
                 WHERE b.organization_id = org AND b.id = ANY (linked)
                   AND @extschema@._letta_block_kept(b.label, b.value, b.description, b.project_id, b.hidden, b.tags,
                                                     label, label_search, value_search, description_search,
                                                     project_id, wanted, match_all_tags, include_hidden)
                   AND (cap IS NULL OR @extschema@._letta_agents_count_kept(
                            (SELECT count(*) FROM (SELECT FROM @extschema@.letta_blocks_agents l
                                                    WHERE l.organization_id = org AND l.block_id = b.id LIMIT cap) c),
                            connected_to_agents_count_gt, connected_to_agents_count_lt, connected_to_agents_count_eq)));
    ELSIF label IS NOT NULL THEN
        RETURN (SELECT count(*) FROM @extschema@.letta_blocks b
                 WHERE b.organization_id = org AND b.label = label
                   AND @extschema@._letta_block_kept(b.label, b.value, b.description, b.project_id, b.hidden, b.tags,
                                                     NULL, label_search, value_search, description_search,
                                                     project_id, wanted, match_all_tags, include_hidden)
                   AND (cap IS NULL OR @extschema@._letta_agents_count_kept(
                            (SELECT count(*) FROM (SELECT FROM @extschema@.letta_blocks_agents l
                                                    WHERE l.organization_id = org AND l.block_id = b.id LIMIT cap) c),
                            connected_to_agents_count_gt, connected_to_agents_count_lt, connected_to_agents_count_eq)));
    END IF;
    RETURN (SELECT count(*) FROM @extschema@.letta_blocks b
             WHERE b.organization_id = org
               AND @extschema@._letta_block_kept(b.label, b.value, b.description, b.project_id, b.hidden, b.tags,
                                                 NULL, label_search, value_search, description_search,
                                                 project_id, wanted, match_all_tags, include_hidden)
               AND (cap IS NULL OR @extschema@._letta_agents_count_kept(
                        (SELECT count(*) FROM (SELECT FROM @extschema@.letta_blocks_agents l
                                                WHERE l.organization_id = org AND l.block_id = b.id LIMIT cap) c),
                        connected_to_agents_count_gt, connected_to_agents_count_lt, connected_to_agents_count_eq)));
END
$$;

COMMENT ON FUNCTION letta_count_blocks(text, text, text, text, text, text[], text, text[], boolean, integer, integer, integer[], boolean) IS
'The number of blocks of the current organization matching the filters of letta_list_blocks.';

-- Agents' memory: blocks linked to agents (letta_blocks_agents), one block per label in an
-- agent, as in Letta.

-- The description a new human or persona block of memory_blocks gets when none is given (as
-- Letta's agents get one for the two blocks every agent had); NULL for other labels.
CREATE FUNCTION _letta_default_description(label text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE  -- (a searched CASE: Citus deparses an inlined simple CASE wrongly)
    WHEN label = 'human' THEN 'The human block: what the agent knows about the person it talks with (name, preferences, context), so that it can keep the conversation personal.'
    WHEN label = 'persona' THEN 'The persona block: who the agent is (its character, role and manner), so that it behaves and answers consistently.'
END;

-- An agent's memory written from memory_blocks (as _letta_memory_blocks returns it): a label
-- the agent has updates its block (keys not given keep their values), any other label is a new block in
-- its memory, in the list's order. replace (letta_update_agent): the agent's blocks with
-- labels not in the list leave its memory (and stay, as blocks do in Letta).
-- One statement per block (an agent has a few): routable to one shard on Citus.
CREATE FUNCTION _letta_write_memory(org uuid, agent uuid, blocks jsonb, replace boolean)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    e        record;
    existing @extschema@.letta_blocks;
    new_id   uuid;
    checked  text;
    stamp    timestamptz;
BEGIN
    FOR e IN SELECT * FROM jsonb_to_recordset(blocks) AS r(label text, value text, "limit" integer,
                                                          description text, metadata jsonb, read_only boolean)
    LOOP
        SELECT b.* INTO existing FROM @extschema@.letta_blocks b
         WHERE b.organization_id = org
           AND b.id = (SELECT l.block_id FROM @extschema@.letta_blocks_agents l
                        WHERE l.organization_id = org AND l.agent_id = agent AND l.block_label = e.label)
           FOR UPDATE;
        IF NOT FOUND THEN
            new_id := gen_random_uuid();
            INSERT INTO @extschema@.letta_blocks (organization_id, id, label, value, "limit", description, metadata, read_only)
            VALUES (org, new_id, e.label, e.value, coalesce(e."limit", @extschema@._letta_default_limit()),
                    coalesce(e.description, @extschema@._letta_default_description(e.label)),
                    coalesce(e.metadata, '{}'), coalesce(e.read_only, false));
            IF @extschema@._letta_end_user() IS NOT NULL THEN
                PERFORM @extschema@._letta_end_user_wrote('block', ARRAY[new_id]);  -- (as letta_create_block)
            END IF;
            INSERT INTO @extschema@.letta_blocks_agents (organization_id, agent_id, block_id, block_label)
            VALUES (org, agent, new_id, e.label);
        ELSIF e.value IS DISTINCT FROM existing.value
              OR coalesce(e."limit", existing."limit") IS DISTINCT FROM existing."limit"
              OR coalesce(e.description, existing.description) IS DISTINCT FROM existing.description
              OR coalesce(e.metadata, existing.metadata) IS DISTINCT FROM existing.metadata
              OR coalesce(e.read_only, existing.read_only) IS DISTINCT FROM existing.read_only THEN
            checked := @extschema@._letta_check_memory_block(e.label, e.value, coalesce(e."limit", existing."limit"))::text;
            stamp := @extschema@._letta_stamp();  -- (a value: Citus refuses a volatile function in an UPDATE)
            UPDATE @extschema@.letta_blocks b
               SET value = e.value,
                   "limit" = coalesce(e."limit", b."limit"),
                   description = coalesce(e.description, b.description),
                   metadata = coalesce(e.metadata, b.metadata),
                   read_only = coalesce(e.read_only, b.read_only),
                   updated_at = stamp
             WHERE b.organization_id = org AND b.id = existing.id;
        END IF;
    END LOOP;
    IF replace THEN
        DELETE FROM @extschema@.letta_blocks_agents l
         WHERE l.organization_id = org AND l.agent_id = agent
           AND l.block_label <> ALL (ARRAY(SELECT r.label FROM jsonb_to_recordset(blocks) AS r(label text)));
    END IF;
END
$$;

-- An agent's memory set to exactly these blocks (letta_update_agent's block_ids): the others
-- leave it (and stay), these are attached, each once. P0002 for a block that is not here;
-- 23505 when two have one label.
CREATE FUNCTION _letta_set_memory(org uuid, agent uuid, blocks uuid[])
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    clash record;
BEGIN
    blocks := ARRAY(SELECT DISTINCT b FROM unnest(blocks) b ORDER BY b);
    PERFORM @extschema@._letta_lock_rows(org, 'block', blocks);
    SELECT b.label, min(b.id::text) AS one, max(b.id::text) AS other INTO clash
      FROM @extschema@.letta_blocks b
     WHERE b.organization_id = org AND b.id = ANY (blocks)
     GROUP BY b.label HAVING count(*) > 1 ORDER BY b.label LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'block_ids has two blocks labelled "%"', clash.label
              USING ERRCODE = 'unique_violation',
                    DETAIL = format('block-%s and block-%s; an agent has one block per label.', clash.one, clash.other);
    END IF;
    DELETE FROM @extschema@.letta_blocks_agents l
     WHERE l.organization_id = org AND l.agent_id = agent AND l.block_id <> ALL (blocks);
    INSERT INTO @extschema@.letta_blocks_agents (organization_id, agent_id, block_id, block_label)
    SELECT org, agent, b.id, b.label FROM @extschema@.letta_blocks b
     WHERE b.organization_id = org AND b.id = ANY (blocks)
    ON CONFLICT ON CONSTRAINT letta_blocks_agents_pkey DO NOTHING;
END
$$;

-- Of these blocks, the ones no one else has: in the memory of no agent but these agents, and
-- shared by no identity but this one (NULL: by none); the blocks that go with deleted agents
-- or a forgotten identity. They are locked first, so that no one attaches them meanwhile.
CREATE FUNCTION _letta_unshared_blocks(org uuid, blocks uuid[], agents uuid[], identity uuid)
RETURNS uuid[]
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    IF cardinality(blocks) = 0 THEN
        RETURN '{}';
    END IF;
    PERFORM FROM @extschema@.letta_blocks b
     WHERE b.organization_id = org AND b.id = ANY (blocks) ORDER BY b.id FOR UPDATE;
    RETURN ARRAY(
        SELECT b.id FROM @extschema@.letta_blocks b
         WHERE b.organization_id = org AND b.id = ANY (blocks)
           AND NOT EXISTS (SELECT FROM @extschema@.letta_blocks_agents m
                            WHERE m.organization_id = org AND m.block_id = b.id AND m.agent_id <> ALL (agents))
           AND NOT EXISTS (SELECT FROM @extschema@.letta_identities_blocks l
                            WHERE l.organization_id = org AND l.block_id = b.id
                              AND l.identity_id IS DISTINCT FROM identity)
         ORDER BY b.id);
END
$$;

-- An agent locked for an update of its own row (attach and detach stamp it), P0002 if missing.
CREATE FUNCTION _letta_lock_agent_for_stamp(org uuid, agent uuid, agent_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM FROM @extschema@.letta_agents a WHERE a.organization_id = org AND a.id = agent FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        PERFORM @extschema@._letta_not_found('agent', agent_id);
    END IF;
END
$$;

CREATE FUNCTION letta_attach_agent_block(agent_id text, block_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org   uuid := @extschema@._letta_org();
    agent uuid := @extschema@._letta_uuid(agent_id, 'agent', 'agent_id');
    block uuid := @extschema@._letta_uuid(block_id, 'block', 'block_id');
    stamp timestamptz := @extschema@._letta_stamp();
    clash uuid;
    label text;
    added boolean;
BEGIN
    -- The agent locked for its stamp from the start (a lock taken weaker, then raised, could
    -- deadlock with a writer waiting between), then the block, then the link.
    PERFORM @extschema@._letta_lock_agent_for_stamp(org, agent, agent_id);
    PERFORM @extschema@._letta_lock_rows(org, 'block', ARRAY[block]);
    SELECT b.label INTO label FROM @extschema@.letta_blocks b WHERE b.organization_id = org AND b.id = block;
    -- Checked first to name both blocks; the unique key stops a racing attach all the same.
    SELECT l.block_id INTO clash FROM @extschema@.letta_blocks_agents l
     WHERE l.organization_id = org AND l.agent_id = agent AND l.block_label = label AND l.block_id <> block;
    IF clash IS NOT NULL THEN
        RAISE EXCEPTION 'agent "%" already has a block labelled "%"', agent_id, label
              USING ERRCODE = 'unique_violation',
                    DETAIL = format('block-%s has that label; an agent has one block per label.', clash),
                    HINT = 'Detach that block first, or give one of them another label.';
    END IF;
    INSERT INTO @extschema@.letta_blocks_agents (organization_id, agent_id, block_id, block_label)
    VALUES (org, agent, block, label)
    ON CONFLICT ON CONSTRAINT letta_blocks_agents_pkey DO NOTHING;
    added := FOUND;
    -- Its memory changed (or was asked to): the agent is stamped, as Letta stamps it.
    UPDATE @extschema@.letta_agents a SET updated_at = stamp WHERE a.organization_id = org AND a.id = agent;
    RETURN added;
END
$$;

COMMENT ON FUNCTION letta_attach_agent_block(text, text) IS
'Put a block in an agent''s memory and stamp the agent''s updated_at. Idempotent: true if the link is new. P0002 if either is missing; 23505 if the agent has another block with its label.';

CREATE FUNCTION letta_detach_agent_block(agent_id text, block_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org   uuid := @extschema@._letta_org();
    agent uuid := @extschema@._letta_uuid(agent_id, 'agent', 'agent_id');
    block uuid := @extschema@._letta_uuid(block_id, 'block', 'block_id');
    stamp timestamptz := @extschema@._letta_stamp();
BEGIN
    -- The agent locked for its stamp from the start (a lock taken weaker, then raised, could
    -- deadlock with a writer waiting between), then the block, then the link.
    PERFORM @extschema@._letta_lock_agent_for_stamp(org, agent, agent_id);
    PERFORM @extschema@._letta_lock_rows(org, 'block', ARRAY[block]);
    DELETE FROM @extschema@.letta_blocks_agents l
     WHERE l.organization_id = org AND l.agent_id = agent AND l.block_id = block;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'block "%" is not in the memory of agent "%"', block_id, agent_id
              USING ERRCODE = 'no_data_found';
    END IF;
    UPDATE @extschema@.letta_agents a SET updated_at = stamp WHERE a.organization_id = org AND a.id = agent;
    RETURN true;
END
$$;

COMMENT ON FUNCTION letta_detach_agent_block(text, text) IS
'Take a block out of an agent''s memory (the block stays) and stamp the agent''s updated_at; true. P0002 if either is missing or the block is not in its memory.';

CREATE FUNCTION letta_agent_blocks(agent_id text)
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

CREATE FUNCTION letta_get_agent_block(agent_id text, block_label text)
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

CREATE FUNCTION letta_agent_memory(agent_id text)
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

CREATE FUNCTION letta_block_agents(
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
