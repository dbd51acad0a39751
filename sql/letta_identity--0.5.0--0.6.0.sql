-- letta_identity 0.5.0 -> 0.6.0 (in progress). Citus: agents' rows are read through
-- _letta_agent_rows(org, ids), the view filtered on one node (inlined) and, on Citus, a statement
-- with the organization in every table that Citus routes to one shard, each agent's memory and
-- identities read for it alone (the grouped view aggregated the organization's links on every
-- call). Citus variants are declared at install (_letta_citus_X beside _letta_X: the agents'
-- rows and the lists' page helpers) and switched by name (_letta_use_citus_variants), no longer
-- made by rewriting functions' text. Drafted by scripts/upgrade-draft 0.5.0.
-- Added: _letta_agent_rows, _letta_citus_agent_rows, _letta_citus_all_tags_page,
-- Added: _letta_citus_recent_blocks, _letta_citus_recent_identities, _letta_citus_recent_page,
-- Added: _letta_citus_tag_entries, _letta_citus_tag_page, _letta_citus_two_tags_page,
-- Added: _letta_use_citus_variants.
-- Changed: _letta_prepare_for_citus, letta_agents_by_key, letta_block_agents, letta_create_agent,
-- Changed: letta_distribute, letta_get_agent, letta_list_agents, letta_update_agent.
\echo Use "ALTER EXTENSION letta_identity UPDATE TO '0.6.0'" to load this file. \quit

CREATE OR REPLACE FUNCTION _letta_agent_rows(org uuid, ids uuid[])
RETURNS SETOF @extschema@._letta_agents_shown
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
    SELECT v.* FROM @extschema@._letta_agents_shown v WHERE v.organization_id = org AND v.id = ANY (ids)
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
    hidden               boolean DEFAULT false,
    block_ids            text[]  DEFAULT '{}'
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

COMMENT ON FUNCTION letta_create_agent(text, text[], text[], text, text, integer, jsonb, text, jsonb, text, boolean, text[]) IS
'Create an agent in the current organization, with tags (a set), linked to identity_ids, its memory a new block for each of memory_blocks plus the existing blocks of block_ids (one block per label). Every argument is optional; id keeps an agent id mirrored from a Letta server.';

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
    driver text;
    other  text;
    seen   integer;
    page   uuid[];
    edge_at timestamptz;  -- by updated_at with tags: the last agent walked
    edge_id uuid;
    -- All of several tags: a tag with fewer entries than rare (in the bounds) is rare; the
    -- rarest tag's entries are walked in list order while at most walk.
    rare   constant integer := 1000;
    walk   constant integer := 500;
    filters @extschema@._letta_agent_filters;
    checked boolean;  -- the input checks, as assignments: short error context
BEGIN
    checked := @extschema@._letta_check_list(tags, 'tags', false)
               AND @extschema@._letta_check_list(identifier_keys, 'identifier_keys', false)
               AND @extschema@._letta_check_list(exclude_tags, 'exclude_tags', false)
               AND @extschema@._letta_check_list(all_tags, 'all_tags', false);
    IF metadata IS NOT NULL THEN
        metadata := @extschema@._letta_metadata(metadata);
    END IF;
    filters := @extschema@._letta_agent_filters(tags, match_all_tags, exclude_tags, all_tags);
    wanted := filters.wanted;
    match_all_tags := filters.match_all_tags;
    exclude_tags := filters.exclude_tags;
    all_tags := filters.all_tags;
    linked := @extschema@._letta_linked_filter(identifier_keys, identity_id);
    SELECT * INTO lo_at, lo_id, hi_at, hi_id
      FROM @extschema@._letta_page_bounds('agent', before, after, ascending IS TRUE, by_update);

    IF by_update THEN
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
        -- All of the tags. The rarest tag (its entries in the bounds counted up to rare) says
        -- the way: a rare tag has few agents, which the GIN index intersects with the others
        -- cheaply; a common one has many, among which the matches come soon when the others
        -- are common too: its entries are walked in list order, at most walk, each probed for
        -- the other tags, and the GIN index finds the rest of the page beyond the last walked.
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
    -- The row views (rows.sql) read the links in correlated subqueries, which Citus runs on
    -- every shard (it does not see their organization as the outer one's): here, joins grouped
    -- by the row's key, which it routes to one shard. (Agents' rows: _letta_citus_agent_rows.)
    CREATE OR REPLACE VIEW @extschema@._letta_identities_shown WITH (security_invoker = true) AS
    SELECT i.organization_id, i.id, i.created_at,
           ROW('identity-' || i.id::text,
               i.identifier_key,
               i.name,
               i.identity_type,
               i.project_id,
               -- Two joins: each link of one kind comes once per link of the other, hence DISTINCT
               -- (the text of a uuid sorts bytewise as the uuid).
               coalesce(array_agg(DISTINCT ('agent-' || la.agent_id::text) COLLATE "C"
                                  ORDER BY ('agent-' || la.agent_id::text) COLLATE "C")
                          FILTER (WHERE la.agent_id IS NOT NULL), '{}'),
               coalesce(array_agg(DISTINCT ('block-' || lb.block_id::text) COLLATE "C"
                                  ORDER BY ('block-' || lb.block_id::text) COLLATE "C")
                          FILTER (WHERE lb.block_id IS NOT NULL), '{}'),
               'org-' || i.organization_id::text,
               i.properties,
               i.created_at,
               i.updated_at)::@extschema@.letta_identity AS shown
      FROM @extschema@.letta_identities i
      LEFT JOIN @extschema@.letta_identities_agents la ON la.organization_id = i.organization_id AND la.identity_id = i.id
      LEFT JOIN @extschema@.letta_identities_blocks lb ON lb.organization_id = i.organization_id AND lb.identity_id = i.id
     GROUP BY i.organization_id, i.id;

    CREATE OR REPLACE VIEW @extschema@._letta_blocks_shown WITH (security_invoker = true) AS
    SELECT b.organization_id, b.id, b.created_at,
           ROW('block-' || b.id::text,
               b.label,
               b.value,
               b."limit",
               b.description,
               b.metadata,
               coalesce(array_agg('identity-' || l.identity_id::text ORDER BY l.identity_id)
                          FILTER (WHERE l.identity_id IS NOT NULL), '{}'),
               'org-' || b.organization_id::text,
               b.created_at,
               b.updated_at,
               b.read_only,
               b.project_id,
               b.hidden,
               b.tags)::@extschema@.letta_block AS shown
      FROM @extschema@.letta_blocks b
      LEFT JOIN @extschema@.letta_identities_blocks l ON l.organization_id = b.organization_id AND l.block_id = b.id
     GROUP BY b.organization_id, b.id;
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
    name    text;
BEGIN
    FOR variant IN SELECT p.oid::regprocedure
                     FROM pg_catalog.pg_proc p
                     JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                    WHERE d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'letta_identity')
                      AND p.proname LIKE '\_letta\_citus\_%' AND p.proname <> '_letta_citus_tables'
    LOOP
        name := substr((SELECT p.proname FROM pg_catalog.pg_proc p WHERE p.oid = variant), length('_letta_citus_') + 1);
        -- (An update re-creates both forms under their install names: the one-node form an
        -- earlier switch renamed goes.)
        IF pg_catalog.to_regprocedure(format('@extschema@.%I(%s)', '_letta_one_node_' || name,
                                             (SELECT pg_catalog.oidvectortypes(p.proargtypes) FROM pg_catalog.pg_proc p
                                               WHERE p.oid = variant))) IS NOT NULL THEN
            EXECUTE format('DROP FUNCTION @extschema@.%I(%s)', '_letta_one_node_' || name,
                           pg_catalog.pg_get_function_identity_arguments(variant));
        END IF;
        EXECUTE format('ALTER FUNCTION @extschema@.%I(%s) RENAME TO %I', '_letta_' || name,
                       pg_catalog.pg_get_function_identity_arguments(variant), '_letta_one_node_' || name);
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
    IF cardinality(@extschema@._letta_citus_tables()) > 0 THEN
        RAISE EXCEPTION 'letta_identity''s tables are already distributed'
              USING ERRCODE = 'object_not_in_prerequisite_state',
                    DETAIL = format('Citus manages %s.', array_to_string(@extschema@._letta_citus_tables(), ', ')),
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
    RETURN @extschema@._letta_citus_tables();
END
$$;

COMMENT ON FUNCTION letta_distribute(integer) IS
'Administrators, on a Citus coordinator: distribute the tables by organization (colocated, shard_count shards or Citus''s default; the role bindings a reference table) and make the database propagate SET LOCAL to the workers; returns the tables Citus now manages.';

-- The lists' page helpers, re-created as they are (unchanged on one node): 0.5.0's
-- letta_distribute rewrote their text into PL/pgSQL in place; a distributed database gets the
-- SQL originals back here, and the switch at the end gives their Citus variants their names.
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

REVOKE EXECUTE ON FUNCTION @extschema@._letta_agent_rows(org uuid, ids uuid[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_agent_rows(org uuid, ids uuid[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_all_tags_page(org uuid, driver text, wanted text[], lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, walk integer, n integer, name text, query_text text, project_id text, include_hidden boolean, exclude_tags text[], all_tags text[], with_metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_recent_blocks(org uuid, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, n integer, by_label boolean, label text, label_search text, value_search text, description_search text, project_id text, tags text[], match_all_tags boolean, include_hidden boolean, cap integer, gt integer, lt integer, eq integer[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_recent_identities(org uuid, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, n integer, name text, project_id text, identifier_key text, identity_type text, property jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_recent_page(org uuid, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, n integer, name text, query_text text, project_id text, include_hidden boolean, exclude_tags text[], all_tags text[], with_metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_tag_entries(org uuid, tag text, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, skip integer, lim integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_tag_page(org uuid, tag text, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, n integer, name text, query_text text, project_id text, include_hidden boolean, exclude_tags text[], all_tags text[], with_metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_two_tags_page(org uuid, driver text, other text, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, walk integer, n integer, name text, query_text text, project_id text, include_hidden boolean, exclude_tags text[], all_tags text[], with_metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_use_citus_variants() FROM PUBLIC;

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
        IF cardinality(@extschema@._letta_citus_tables()) > 0 THEN
            PERFORM @extschema@._letta_prepare_for_citus();
            PERFORM @extschema@._letta_use_citus_variants();
        END IF;
    END IF;
END
$$;
