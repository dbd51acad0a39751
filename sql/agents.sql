-- letta_identity: agents, their links to identities, and the agent lists (by filters, by
-- identifier key, by identity). (Conventions: rows.sql.)

-- A new agent tagged role:subagent is hidden, whatever hidden says (Letta's rule: its coding
-- tools tag the helper agents they spawn so, and lists leave them out). Only at creation: a
-- tag added later, or hidden => false in an update, is the caller's choice.
CREATE FUNCTION _letta_created_hidden(tags text[], hidden boolean)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(hidden, false) OR coalesce('role:subagent' = ANY (tags), false);

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
    hidden               boolean DEFAULT false,
    block_ids            text[]  DEFAULT '{}',
    identifier_keys      text[]  DEFAULT NULL
)
RETURNS @extschema@.letta_agent
LANGUAGE plpgsql VOLATILE
-- Its statements' plans are kept: a custom plan for "id = ANY (identities)" won on cost and
-- was made again at every call (130 us of a create's 970 at 1M agents).
SET plan_cache_mode = force_generic_plan
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
    shown      jsonb := '[]';
    locked     integer := 0;
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
    IF cardinality(identities) > 0 THEN
        -- The identities locked until the links are in (_letta_lock_rows' lock) and read as the
        -- new agent shows them, in one statement; one missing is named by _letta_lock_rows.
        SELECT count(*), coalesce(jsonb_agg(@extschema@._letta_identity_object(i.id, i.identifier_key, i.name,
                   i.identity_type, i.project_id, i.organization_id, i.properties) ORDER BY i.id), '[]')
          INTO locked, shown
          FROM (SELECT r.* FROM @extschema@.letta_identities r
                 WHERE r.organization_id = org AND r.id = ANY (identities)
                 ORDER BY r.id FOR KEY SHARE) i;
        IF locked < cardinality(identities) THEN
            PERFORM @extschema@._letta_lock_rows(org, 'identity', identities);
        END IF;
    END IF;
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
    -- Without memory, three statements in all: the identities, the agent, its links; the
    -- result is built from what was written and read above, not read back (nor
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
                  hidden, stamp, stamp, shown)::@extschema@.letta_agent;
    -- From the identities' table, as _letta_link (links.sql) does (on Citus an INSERT ...
    -- SELECT from an array goes through the coordinator by COPY, which row-level security refuses).
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
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_create_agent(text, text[], text[], text, text, integer, jsonb, text, jsonb, text, boolean, text[], text[]) IS
'Create an agent in the current organization, with tags (a set), linked to identity_ids and to the identities with identifier_keys (P0002 naming a key no identity has), its memory a new block for each of memory_blocks plus the existing blocks of block_ids (one block per label). Every argument is optional; id keeps an agent id mirrored from a Letta server.';

-- The bulk path, for loads and imports: many agents in one call, set-based (one INSERT for the
-- agents, one for their links). Each element takes letta_create_agent's arguments as keys.
CREATE FUNCTION letta_create_agents(agents jsonb)
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
    IF theirs IS NOT NULL AND cardinality(theirs) = 0
       AND EXISTS (SELECT FROM unnest(new_agents) a WHERE a.id <> ALL (ARRAY(SELECT l.agent_id FROM unnest(new_links) l))) THEN
        RAISE EXCEPTION 'end user "%" has no identity to own the new agents', @extschema@._letta_end_user()
              USING ERRCODE = 'no_data_found',
                    HINT = 'Create the end user''s identity first (letta_create_identity).';
    END IF;
    IF cardinality(@extschema@._letta_distributed_tables()) = 0 THEN
        INSERT INTO @extschema@.letta_agents SELECT * FROM unnest(new_agents);
        IF theirs IS NOT NULL THEN
            -- An end user's: the new agents and blocks theirs before their links.
            PERFORM @extschema@._letta_end_user_wrote('agent', ARRAY(SELECT a.id FROM unnest(new_agents) a));
        END IF;
        INSERT INTO @extschema@.letta_identities_agents SELECT * FROM unnest(new_links);
        INSERT INTO @extschema@.letta_blocks SELECT * FROM unnest(new_blocks);
        IF theirs IS NOT NULL THEN
            PERFORM @extschema@._letta_end_user_wrote('block', ARRAY(SELECT b.id FROM unnest(new_blocks) b));
        END IF;
        INSERT INTO @extschema@.letta_blocks_agents SELECT * FROM unnest(new_memory);
    ELSE
        -- Citus moves the rows of an INSERT ... SELECT with COPY, which row-level security
        -- refuses (0A000). (An end user's new agents and blocks are theirs as the workers
        -- write them: tenancy.sql.)
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

CREATE FUNCTION letta_get_agent(agent_id text)
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

CREATE FUNCTION letta_delete_agent(agent_id text, delete_blocks boolean DEFAULT false)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org    uuid := @extschema@._letta_org();
    agent  uuid := @extschema@._letta_uuid(agent_id, 'agent', 'agent_id');
    memory uuid[];
BEGIN
    IF delete_blocks IS NULL THEN
        RAISE EXCEPTION 'delete_blocks must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF delete_blocks THEN
        -- Of the blocks in its memory, those no other agent or identity has: locked before the
        -- agent's links go (the lock order, README: agents, then blocks, then links).
        PERFORM FROM @extschema@.letta_agents a WHERE a.organization_id = org AND a.id = agent FOR UPDATE;
        -- (Read first, as a value: on Citus a helper given a query of a distributed table as its
        -- argument would run on a worker, where it could not query.)
        memory := ARRAY(SELECT l.block_id FROM @extschema@.letta_blocks_agents l
                         WHERE l.organization_id = org AND l.agent_id = agent);
        memory := @extschema@._letta_unshared_blocks(org, memory, ARRAY[agent], NULL);
    END IF;
    DELETE FROM @extschema@.letta_agents a WHERE a.organization_id = org AND a.id = agent;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('agent', agent_id)::text;
    END IF;
    IF cardinality(memory) > 0 THEN
        DELETE FROM @extschema@.letta_blocks b WHERE b.organization_id = org AND b.id = ANY (memory);
    END IF;
END
$$;

COMMENT ON FUNCTION letta_delete_agent(text, boolean) IS
'Delete an agent with its tags and links; its identities and the blocks of its memory stay, as in Letta (delete_blocks => true also deletes the blocks no other agent or identity has). P0002 if there is none.';

CREATE FUNCTION letta_attach_agent(identity_id text, agent_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    RETURN @extschema@._letta_link(
               @extschema@._letta_org(), 'agent',
               ARRAY[@extschema@._letta_uuid(identity_id, 'identity', 'identity_id')],
               ARRAY[@extschema@._letta_uuid(agent_id, 'agent', 'agent_id')]) > 0;
END
$$;

COMMENT ON FUNCTION letta_attach_agent(text, text) IS
'Link an agent to an identity. Idempotent: true if the link is new, false if it existed. P0002 if either is missing.';

CREATE FUNCTION letta_detach_agent(identity_id text, agent_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    RETURN @extschema@._letta_unlink(
               @extschema@._letta_org(), 'agent',
               ARRAY[@extschema@._letta_uuid(identity_id, 'identity', 'identity_id')],
               ARRAY[@extschema@._letta_uuid(agent_id, 'agent', 'agent_id')]) > 0;
END
$$;

COMMENT ON FUNCTION letta_detach_agent(text, text) IS
'Unlink an agent from an identity. Idempotent: true if a link was removed, false if there was none. P0002 if either is missing.';

-- By key: the identity named by the app's own key (every identity with it, in any project),
-- without a lookup first; the same rules and errors as by id.
CREATE FUNCTION letta_attach_agent_by_key(identifier_key text, agent_id text)
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

CREATE FUNCTION letta_detach_agent_by_key(identifier_key text, agent_id text)
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

-- The agent lists. Each call takes one of a few fixed-shape statements, chosen here by which
-- filters are given (and, for all of several tags, by how common the rarest is), so that the
-- generic plan each keeps for the connection is the right one: PL/pgSQL with plan_cache_mode
-- = force_generic_plan plans once per connection in either protocol. The organization is a
-- value in every statement, as a distributed table needs to route the call to one shard.

-- The filters that do not choose the statement, inlined into each: tags (NULL: none), name,
-- query_text, project_id, hidden. It takes the agent's columns, not its row: on Citus a row
-- reaches the worker typed as its shard, for which no such function exists.
CREATE FUNCTION _letta_agent_kept(agent_tags text[], agent_name text, agent_project_id text,
                                  agent_hidden boolean, tags text[], match_all_tags boolean,
                                  name text, query_text text, project_id text, include_hidden boolean,
                                  agent_metadata jsonb, exclude_tags text[], all_tags text[],
                                  with_metadata jsonb)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT (tags IS NULL OR CASE WHEN match_all_tags THEN agent_tags OPERATOR(@extschema@.@>>) tags
                                 ELSE agent_tags OPERATOR(@extschema@.&&&) tags END)
       AND (_letta_agent_kept.name IS NULL OR agent_name = _letta_agent_kept.name)
       AND (query_text IS NULL OR strpos(lower(agent_name), lower(query_text)) > 0)
       AND (_letta_agent_kept.project_id IS NULL OR agent_project_id = _letta_agent_kept.project_id)
       AND (include_hidden IS TRUE OR NOT agent_hidden)
       AND (exclude_tags IS NULL OR NOT agent_tags OPERATOR(@extschema@.&&&) exclude_tags)
       AND (all_tags IS NULL OR agent_tags OPERATOR(@extschema@.@>>) all_tags)
       AND (with_metadata IS NULL OR agent_metadata @> with_metadata)
$$;

-- The agent lists' tag filters (checked by the caller), in the form the statements take, for
-- letta_list_agents and letta_count_agents: wanted, the distinct tags (NULL: none); all_tags
-- becomes the tag filter itself (match_all_tags) unless any of tags is asked too, when it
-- filters the agents that have any of them (Letta's broadcast query); empty lists are none.
CREATE TYPE _letta_agent_filters AS (wanted text[], match_all_tags boolean, exclude_tags text[],
                                     all_tags text[]);
COMMENT ON TYPE _letta_agent_filters IS 'The agent lists'' tag filters, normalized (_letta_agent_filters).';

CREATE FUNCTION _letta_agent_filters(tags text[], match_all_tags boolean, exclude_tags text[], all_tags text[])
RETURNS @extschema@._letta_agent_filters
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
DECLARE
    result @extschema@._letta_agent_filters;
BEGIN
    IF cardinality(exclude_tags) > 0 THEN
        result.exclude_tags := exclude_tags;
    END IF;
    result.match_all_tags := match_all_tags;
    IF cardinality(all_tags) > 0 AND (coalesce(cardinality(tags), 0) = 0 OR match_all_tags) THEN
        tags := coalesce(tags, '{}') || all_tags;
        result.match_all_tags := true;
    ELSIF cardinality(all_tags) > 0 THEN
        result.all_tags := all_tags;
    END IF;
    IF cardinality(tags) > 0 THEN
        result.wanted := ARRAY(SELECT DISTINCT t FROM unnest(tags) t);
    END IF;
    RETURN result;
END
$$;

-- Pages read in list order from a bound, for letta_list_agents: inlined into its statements,
-- which pass newest (true: newest first) as a constant, so that the ORDER BY folds into the
-- order of an index and the scan stops after the page. lo and hi bound (created_at, id)
-- strictly. The ordered tag index carries hidden, so a page of visible agents with a tag is
-- read from the index alone. The other filters (name, query_text, project_id), when given,
-- are a subquery on the agent per entry: a generic plan estimates "NULL or equal" filters as
-- nearly never true, and would read every entry and sort rather than walk the index; a
-- subquery has nothing to estimate, and cannot be turned into a join.

-- A tag's entries in the ordered tag index, after skip, at most lim (NULL: all).
CREATE FUNCTION _letta_tag_entries(org uuid, tag text, lo_at timestamptz, lo_id uuid,
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

-- The first n agents with a tag that pass the other filters.
CREATE FUNCTION _letta_tag_page(org uuid, tag text, lo_at timestamptz, lo_id uuid,
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

-- The first n agents with every tag of wanted among the first walk entries of one of them
-- (driver), that pass the other filters: each entry's other tags are probed in the ordered
-- tag index (index-only), and the page stops at its n-th agent. The walk is
-- _letta_tag_entries' query written out, here and in _letta_two_tags_page: no helper calls
-- another, so that on Citus each can become a statement of its own (citus.sql).
CREATE FUNCTION _letta_all_tags_page(org uuid, driver text, wanted text[], lo_at timestamptz, lo_id uuid,
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

-- The same for two tags, the most common case: the other tag's entry is probed as a join
-- (a semi-join: an index probe or a merge of the two lists), not as a subquery per entry.
CREATE FUNCTION _letta_two_tags_page(org uuid, driver text, other text, lo_at timestamptz, lo_id uuid,
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

-- The first n agents of the organization that pass the filters (no tags).
CREATE FUNCTION _letta_recent_page(org uuid, lo_at timestamptz, lo_id uuid,
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

-- The agent lists' filters in the statements' form, once for letta_list_agents and
-- letta_count_agents (their inputs checked by them first: an input's error then has the public
-- function's line as context): the tag filters (_letta_agent_filters), metadata, and linked,
-- the agents that the identities and the end user restrict the list to (_letta_linked_filter).
CREATE TYPE _letta_agent_list_filters AS (wanted text[], match_all_tags boolean, exclude_tags text[],
                                          all_tags text[], metadata jsonb, linked uuid[]);
COMMENT ON TYPE _letta_agent_list_filters IS 'The agent lists'' filters in their statements'' form (_letta_agent_list_filters).';

CREATE FUNCTION _letta_agent_list_filters(tags text[], match_all_tags boolean, identifier_keys text[],
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

-- letta_list_agents by updated_at (order_by => 'updated_at'), on its index (the ordered tag
-- index is in creation order): the page's agents in walk order. Of some identities: their
-- agents by primary key, sorted. With tags: the first walk agents from the bound, each checked
-- (a common tag fills the page among them), then the rest of the page beyond the last walked
-- from the GIN index, sorted (a rare tag's agents are few). Else the organization's agents from
-- the bound, the filters a subquery as in _letta_recent_page.
CREATE FUNCTION _letta_agents_by_update(org uuid, filters @extschema@._letta_agent_list_filters,
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
                       AND (@extschema@._letta_org_tags(a.organization_id, a.tags) OPERATOR(@extschema@.&&&) @extschema@._letta_org_tags(org, CASE WHEN NOT match_all_tags THEN wanted END)
                            OR @extschema@._letta_org_tags(a.organization_id, a.tags) OPERATOR(@extschema@.@>>) @extschema@._letta_org_tags(org, CASE WHEN match_all_tags THEN wanted END))
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

-- letta_list_agents for all of several tags, the page's agents in list order. The rarest tag
-- (its entries in the bounds counted up to rare) says the way: a rare tag has few agents, which
-- the GIN index intersects with the others cheaply; a common one has many, among which the
-- matches come soon when the others are common too: its entries are walked in list order, at
-- most walk, each probed for the other tags, and the GIN index finds the rest of the page
-- beyond the last walked.
CREATE FUNCTION _letta_agents_all_tags(org uuid, wanted text[], lo_at timestamptz, lo_id uuid,
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
                 WHERE a.organization_id = org AND @extschema@._letta_org_tags(a.organization_id, a.tags) OPERATOR(@extschema@.@>>) @extschema@._letta_org_tags(org, wanted)
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

CREATE FUNCTION letta_count_agents(
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
                 WHERE a.organization_id = org AND @extschema@._letta_org_tags(a.organization_id, a.tags) OPERATOR(@extschema@.@>>) @extschema@._letta_org_tags(org, wanted)
                   AND @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, name, query_text, project_id, include_hidden,
                                                 a.metadata, exclude_tags, all_tags, metadata));
    END IF;
    RETURN (SELECT count(*) FROM @extschema@.letta_agents a
             WHERE a.organization_id = org AND @extschema@._letta_org_tags(a.organization_id, a.tags) OPERATOR(@extschema@.&&&) @extschema@._letta_org_tags(org, wanted)
               AND @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, name, query_text, project_id, include_hidden,
                                                 a.metadata, exclude_tags, all_tags, metadata));
END
$$;

COMMENT ON FUNCTION letta_count_agents(text[], boolean, text[], text, text, text, text, boolean, text[], text[], jsonb) IS
'The number of agents of the current organization matching the filters of letta_list_agents.';

CREATE FUNCTION letta_agents_by_key(identifier_keys text[], include_hidden boolean DEFAULT false,
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
    -- _letta_linked_agents' query written out: a call of a PL/pgSQL function with its own
    -- settings was up to 16% of a call's time (1M agents, by 1 and 10 keys, prepared).
    linked := ARRAY(SELECT l.agent_id
                      FROM @extschema@.letta_identities i
                      JOIN @extschema@.letta_identities_agents l
                        ON l.organization_id = i.organization_id AND l.identity_id = i.id
                     WHERE i.organization_id = org
                       AND i.identifier_key = ANY (identifier_keys));
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

CREATE FUNCTION letta_identity_agents(
    identity_id    text,
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
AS $$
BEGIN
    PERFORM @extschema@._letta_exists(@extschema@._letta_org(), 'identity',
                                      @extschema@._letta_uuid(identity_id, 'identity', 'identity_id'));
    RETURN QUERY
    SELECT * FROM @extschema@.letta_list_agents(identity_id => identity_id, include_hidden => include_hidden,
                                                before => before, after => after,
                                                page_size => page_size, ascending => ascending,
                                                include_memory => include_memory, include_identities => include_identities);
END
$$;

COMMENT ON FUNCTION letta_identity_agents(text, boolean, text, text, integer, boolean, boolean, boolean) IS
'The agents of one identity, hidden ones too (as in Letta; include_hidden => false leaves them out), newest first, paginated like letta_list_agents; P0002 if the identity is missing; memory_blocks NULL unless include_memory, identities unless include_identities.';
