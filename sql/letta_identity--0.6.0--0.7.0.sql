-- letta_identity 0.6.0 -> 0.7.0: end users on Citus. The end users' policies are declared
-- once for both kinds of deployment (_letta_end_user_policies): on one node the same rules as
-- 0.6.0's (the links' WITH CHECK names the end user's agents and blocks, where it read them with
-- EXISTS: the same rows); on Citus the end user's rule joins the organization's in permissive
-- policies of plain calls that the workers run beside the shards (0.6.0 dropped it at
-- distribution). The end users' requirements become a reference table at distribution (or at
-- the first letta_require_end_user on a database distributed before). The agents' GIN index is
-- rebuilt with the organization in each entry (_letta_org_tags): the update reads every agent
-- once (3.9 s at 1M agents), and writes to letta_agents wait for it; nothing else is
-- rewritten or scanned.
-- upgrade-draft: generated from here
-- Added: _letta_end_user_claim, _letta_end_user_policies, _letta_org_tags.
-- Changed: _letta_agents_all_tags, _letta_agents_by_update, _letta_citus_agent_rows,
-- Changed: _letta_distributed_tables, _letta_for_apps, _letta_identity_object, _letta_memory_block,
-- Changed: _letta_prepare_for_citus, letta_agents_by_key, letta_count_agents, letta_create_agent,
-- Changed: letta_create_agents, letta_distribute, letta_drop_distributed_tables,
-- Changed: letta_require_end_user.
-- upgrade-draft: generated up to here
\echo Use "ALTER EXTENSION letta_identity UPDATE TO '0.7.0'" to load this file. \quit

-- Types and tables the functions below need: the author's.

-- upgrade-draft: generated from here
CREATE OR REPLACE FUNCTION "_letta_end_user_claim"(
	"kind" TEXT, /* & str */
	"id" uuid /* pgrx :: Uuid */
) RETURNS bool /* bool */
STRICT STABLE PARALLEL UNSAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_end_user_claim_wrapper';

CREATE OR REPLACE FUNCTION "_letta_org_tags"(
	"org" uuid, /* pgrx :: Uuid */
	"tags" TEXT[] /* Array < & str > */
) RETURNS TEXT[] /* Vec < String > */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_org_tags_wrapper';

CREATE OR REPLACE FUNCTION _letta_identity_object(id uuid, identifier_key text, name text, identity_type text,
                                       project_id text, organization_id uuid, properties jsonb)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
RETURN jsonb_build_object('id', 'identity-' || id::text, 'identifier_key', identifier_key, 'name', name,
                          'identity_type', identity_type, 'project_id', project_id,
                          'agent_ids', '[]'::jsonb, 'block_ids', '[]'::jsonb,
                          'organization_id', 'org-' || organization_id::text, 'properties', properties);

CREATE OR REPLACE FUNCTION _letta_memory_block(id uuid, label text, value text, block_limit integer,
                                    description text, metadata jsonb, read_only boolean)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
RETURN jsonb_build_object('id', 'block-' || id::text, 'label', label, 'value', value,
                          'limit', block_limit, 'description', description,
                          'metadata', metadata, 'read_only', read_only);

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
      USING @extschema@._letta_tenant_tables() || '{@extschema@.letta_role_organizations, @extschema@.letta_role_end_users}'::regclass[];
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
    -- Before distribution, as Citus then gives each shard its table's policies: with end users
    -- required of a role, the Citus form of theirs (tenancy.sql); else the organization's
    -- alone (the end users' rule costs every call on Citus, 6-17% in bench/citus: its functions
    -- are evaluated as each statement is planned), until letta_require_end_user adds it. (An
    -- update of a database distributed before leaves its policies: the workers do not have
    -- this version's functions yet while the coordinator's script runs.)
    IF cardinality(@extschema@._letta_distributed_tables()) = 0 THEN
        IF EXISTS (SELECT FROM @extschema@.letta_role_end_users) THEN
            PERFORM @extschema@._letta_end_user_policies(citus => true);
        ELSE
            FOREACH t IN ARRAY @extschema@._letta_tenant_tables() LOOP
                EXECUTE format('ALTER POLICY letta_organization ON %s USING (organization_id = @extschema@._letta_org())', t);
                FOR policy IN SELECT p.polname FROM pg_catalog.pg_policy p
                               WHERE p.polrelid = t AND p.polname LIKE 'letta\_end\_user%' LOOP
                    EXECUTE format('DROP POLICY %I ON %s', policy, t);
                END LOOP;
            END LOOP;
        END IF;
    END IF;
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
            -- Every link's id; the identities whole where the caller sees them (an end user
            -- sees a shared agent's other links, not the other identities: tenancy.sql).
            SELECT array_agg('identity-' || k.identity_id::text ORDER BY k.identity_id) AS identity_ids,
                   jsonb_agg(@extschema@._letta_identity_object(i.id, i.identifier_key, i.name, i.identity_type,
                                                                i.project_id, i.organization_id, i.properties)
                             ORDER BY i.id) FILTER (WHERE i.id IS NOT NULL) AS identities
              FROM @extschema@.letta_identities_agents k
              LEFT JOIN @extschema@.letta_identities i ON i.organization_id = org AND i.id = k.identity_id
             WHERE k.organization_id = org AND k.agent_id = a.id) n ON true
     WHERE a.organization_id = org AND a.id = ANY (ids);
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
    -- (Citus's notices that the local rows are still on disk are left out: they are freed below.)
    level := pg_catalog.current_setting('client_min_messages');
    PERFORM pg_catalog.set_config('client_min_messages', 'warning', true);
    -- Every node reads the role bindings and which roles act for end users: _letta_org() and
    -- _letta_end_user() run where the policies run.
    EXECUTE 'SELECT pg_catalog.create_reference_table($1)' USING '@extschema@.letta_role_organizations'::regclass;
    EXECUTE 'SELECT pg_catalog.create_reference_table($1)' USING '@extschema@.letta_role_end_users'::regclass;
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
    -- tables already empty are left out too).
    FOR t IN SELECT u.t FROM unnest('{@extschema@.letta_role_organizations, @extschema@.letta_role_end_users}'::regclass[] || tables)
                             WITH ORDINALITY u(t, n)
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
'Administrators, on a Citus coordinator: distribute the tables by organization (colocated, shard_count shards or Citus''s default; the role bindings and end-user requirements reference tables) and make the database propagate SET LOCAL to the workers; returns the tables Citus now manages.';

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
               FROM unnest('{@extschema@.letta_role_organizations, @extschema@.letta_role_end_users}'::regclass[]
                           || @extschema@._letta_tenant_tables())
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

CREATE OR REPLACE FUNCTION _letta_end_user_policies(citus boolean)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t       text;
    seen    text;  -- the rows the end user reads
    written text;  -- the rows they may write
    removed text;  -- the rows they may delete or change (a link: theirs by their identity's end)
    token   text;  -- {E}: the end user; {I}, {A}, {B}: their identities', agents', blocks' ids
    called  text;
    policy  text;
BEGIN
    FOR t, seen, written, removed IN VALUES
        ('letta_identities', 'identifier_key = {E}', NULL, NULL),
        ('letta_agents', 'id = ANY ({A})', CASE WHEN citus THEN '@extschema@._letta_end_user_claim(''agent'', id)' ELSE 'true' END, NULL),
        ('letta_blocks', 'id = ANY ({B})', CASE WHEN citus THEN '@extschema@._letta_end_user_claim(''block'', id)' ELSE 'true' END, NULL),
        ('letta_agents_tags', 'agent_id = ANY ({A})', NULL, NULL),
        ('letta_identities_agents', 'identity_id = ANY ({I}) OR agent_id = ANY ({A})',
         'identity_id = ANY ({I}) AND agent_id = ANY ({A})', 'identity_id = ANY ({I})'),
        ('letta_identities_blocks', 'identity_id = ANY ({I}) OR block_id = ANY ({B})',
         'identity_id = ANY ({I}) AND block_id = ANY ({B})', 'identity_id = ANY ({I})'),
        ('letta_blocks_agents', 'agent_id = ANY ({A}) OR block_id = ANY ({B})',
         'agent_id = ANY ({A}) AND block_id = ANY ({B})', 'agent_id = ANY ({A})')
    LOOP
        FOR token, called IN VALUES ('{E}', '_letta_end_user()'), ('{I}', '_letta_end_user_identities()'),
                                    ('{A}', '_letta_end_user_agents()'), ('{B}', '_letta_end_user_blocks()') LOOP
            called := CASE WHEN citus THEN '@extschema@.' || called ELSE '(SELECT @extschema@.' || called || ')' END
                      || CASE WHEN token = '{E}' THEN '' ELSE '::uuid[]' END;
            seen := replace(seen, token, called);
            written := replace(written, token, called);
            removed := replace(removed, token, called);
        END LOOP;
        called := CASE WHEN citus THEN '@extschema@._letta_end_user()' ELSE '(SELECT @extschema@._letta_end_user())' END;
        FOR policy IN SELECT p.polname FROM pg_catalog.pg_policy p
                       WHERE p.polrelid = ('@extschema@.' || t)::regclass AND p.polname LIKE 'letta\_end\_user%' LOOP
            EXECUTE format('DROP POLICY IF EXISTS %I ON @extschema@.%I', policy, t);
        END LOOP;
        IF NOT citus THEN
            EXECUTE format('CREATE POLICY letta_end_user ON @extschema@.%I AS RESTRICTIVE TO letta_end_users USING (%s IS NULL OR %s)%s',
                           t, called, seen, CASE WHEN written = 'true' THEN ' WITH CHECK (true)'
                                                 WHEN written IS NOT NULL THEN format(' WITH CHECK (%s IS NULL OR %s)', called, written)
                                                 ELSE '' END);
            IF removed IS NOT NULL THEN
                EXECUTE format('CREATE POLICY letta_end_user_delete ON @extschema@.%I AS RESTRICTIVE FOR DELETE TO letta_end_users USING (%s IS NULL OR %s)',
                               t, called, removed);
                EXECUTE format('CREATE POLICY letta_end_user_update ON @extschema@.%I AS RESTRICTIVE FOR UPDATE TO letta_end_users USING (%s IS NULL OR %s)',
                               t, called, removed);
            END IF;
        ELSE
            -- The organization's rule, and the end user's for each command.
            FOR policy IN SELECT p.polname FROM pg_catalog.pg_policy p
                           WHERE p.polrelid = ('@extschema@.' || t)::regclass AND p.polname LIKE 'letta\_organization%' LOOP
                EXECUTE format('DROP POLICY IF EXISTS %I ON @extschema@.%I', policy, t);
            END LOOP;
            -- No end user: the setting empty (a built-in's test, cheap on every row: a role
            -- that must name one is refused by _letta_org() beside it), or one that is not
            -- this role's to use. (coalesce(...) = '', as Citus 13.2 cannot carry "f() IS NULL"
            -- to the shards of a table it already distributes; the end user is never ''. IF
            -- EXISTS above as its workers' copies of the tables do not have the shards' policies.)
            policy := 'organization_id = @extschema@._letta_org() AND (coalesce(pg_catalog.current_setting(''letta.identifier_key'', true), '''') = '''''
                      || ' OR coalesce(' || called || ', '''') = '''' OR %s)';
            EXECUTE format('CREATE POLICY letta_organization ON @extschema@.%I FOR SELECT USING (%s)',
                           t, format(policy, seen));
            EXECUTE format('CREATE POLICY letta_organization_insert ON @extschema@.%I FOR INSERT WITH CHECK (%s)',
                           t, format(policy, coalesce(written, seen)));
            EXECUTE format('CREATE POLICY letta_organization_update ON @extschema@.%I FOR UPDATE USING (%s) WITH CHECK (%s)',
                           t, format(policy, coalesce(removed, seen)),
                           format(policy, coalesce(written, seen) || coalesce(' AND ' || removed, '')));
            EXECUTE format('CREATE POLICY letta_organization_delete ON @extschema@.%I FOR DELETE USING (%s)',
                           t, format(policy, coalesce(removed, seen)));
        END IF;
    END LOOP;
END
$$;

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
        IF NOT '@extschema@.letta_role_end_users'::regclass = ANY (@extschema@._letta_distributed_tables()) THEN
            -- Distributed before 0.7.0: every node reads the requirements.
            EXECUTE 'SELECT pg_catalog.create_reference_table($1)' USING '@extschema@.letta_role_end_users'::regclass;
        END IF;
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_policy p WHERE p.polrelid = '@extschema@.letta_agents'::regclass
                                                            AND p.polname = 'letta_organization_insert') THEN
            -- The first end users on Citus: the shards get the end users' policies (Citus
            -- carries them there; citus.sql says why they wait until now).
            PERFORM @extschema@._letta_end_user_policies(citus => true);
        END IF;
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
                                 'letta_require_end_user', '_letta_end_user_policies', '_letta_grant', '_letta_for_apps',
                                 'letta_distribute', 'letta_drop_distributed_tables', '_letta_prepare_for_citus',
                                 'letta_list_organizations', 'letta_delete_organization')
           AND p.proname !~ '^_?letta_import_'  -- the import from Letta (sql/import.sql)
      FROM pg_catalog.pg_proc p
     WHERE p.oid = f
$$;
-- upgrade-draft: generated up to here

-- The agents' GIN index keyed by organization and tag (tags.sql). Not on a distributed
-- database: the coordinator's CREATE INDEX reaches the shards before the workers have
-- _letta_org_tags (they update after the coordinator's script); there an administrator
-- rebuilds it after the update (CHANGELOG, 0.7.0), and until then tag filters read without it.
ALTER FUNCTION @extschema@._letta_org_tags(uuid, text[]) LEAKPROOF;
DO $$
BEGIN
    IF cardinality(@extschema@._letta_distributed_tables()) = 0 THEN
        EXECUTE 'DROP INDEX @extschema@.letta_agents_tags_idx';
        EXECUTE 'CREATE INDEX letta_agents_tags_idx ON @extschema@.letta_agents USING gin '
                '(@extschema@._letta_org_tags(organization_id, tags) @extschema@.letta_tags_ops) WITH (fastupdate = off)';
        EXECUTE 'ALTER INDEX @extschema@.letta_agents_tags_idx ALTER COLUMN 1 SET STATISTICS 0';
    END IF;
END
$$;

-- The end users' policies in their one-node form (on a distributed database the closing block's
-- _letta_prepare_for_citus makes the Citus form).
DO $$
BEGIN
    IF cardinality(@extschema@._letta_distributed_tables()) = 0 THEN
        PERFORM @extschema@._letta_end_user_policies(citus => false);
    END IF;
END
$$;

-- upgrade-draft: generated from here
REVOKE EXECUTE ON FUNCTION @extschema@._letta_end_user_claim(kind text, id uuid) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_end_user_policies(citus boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_org_tags(org uuid, tags text[]) FROM PUBLIC;

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
