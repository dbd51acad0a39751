-- letta_identity: tags. The leakproof tag operators with their estimator (src/tags.rs), the
-- GIN index on letta_agents.tags, the ordered tag index letta_agents_tags, then the functions
-- that edit and list tags.
-- (Conventions: rows.sql.)
--
-- Under row-level security PostgreSQL puts a condition into an index scan only if its
-- operator is leakproof (it could otherwise leak rows of other organizations through errors).
-- The built-in array operators are not marked leakproof, so a bound role filtering by tags
-- with them reads every agent. These are the same operators on text[], declared leakproof
-- (they compare text, and cannot fail on any pair of text arrays), with a GIN operator class
-- built on the built-in array support functions: &&& is &&, @>> is @>, <<@ is <@. Their
-- names are their own: named && they would be an exact match for every text[] && text[] in
-- the database and take such queries away from their existing array_ops indexes.

CREATE FUNCTION _letta_tags_overlap(text[], text[]) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'arrayoverlap';
CREATE FUNCTION _letta_tags_contain(text[], text[]) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'arraycontains';
CREATE FUNCTION _letta_tags_contained(text[], text[]) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'arraycontained';

CREATE OPERATOR &&& (
    LEFTARG = text[], RIGHTARG = text[], FUNCTION = _letta_tags_overlap,
    COMMUTATOR = &&&, RESTRICT = _letta_tags_sel, JOIN = arraycontjoinsel);
COMMENT ON OPERATOR &&& (text[], text[]) IS 'Tags any of: the tag arrays overlap (as &&, leakproof).';
CREATE OPERATOR @>> (
    LEFTARG = text[], RIGHTARG = text[], FUNCTION = _letta_tags_contain,
    COMMUTATOR = <<@, RESTRICT = _letta_tags_sel, JOIN = arraycontjoinsel);
COMMENT ON OPERATOR @>> (text[], text[]) IS 'Tags all of: the left tags contain the right ones (as @>, leakproof).';
CREATE OPERATOR <<@ (
    LEFTARG = text[], RIGHTARG = text[], FUNCTION = _letta_tags_contained,
    COMMUTATOR = @>>, RESTRICT = _letta_tags_sel, JOIN = arraycontjoinsel);
COMMENT ON OPERATOR <<@ (text[], text[]) IS 'Tags contained in: the left tags are among the right ones (as <@, leakproof).';

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
COMMENT ON OPERATOR CLASS letta_tags_ops USING gin IS
'GIN on tag arrays for the leakproof &&&, @>> and <<@ (the built-in array_ops, leakproof).';

-- Tag filters (any of: &&&, all of: @>>). fastupdate is off: a growing pending list slowed
-- rare-tag queries ~20x between vacuums (BENCHMARKS.md measures fastupdate on against off).
-- Keyed by organization: each entry is a tag with its organization (_letta_org_tags,
-- "<uuid>:<tag>"), and the functions search _letta_org_tags(org, wanted), so that a scan reads
-- and finds the current organization's rows only. Keyed by tag alone, a bound role's EXPLAIN
-- ANALYZE showed how many rows of all organizations have a tag (the index scan's count, before
-- the policy's filter); keyed (organization_id, tags), btree_gin matched the organization as a
-- partial match and read its whole entry at every search (two middling tags at 1M agents: 16.8
-- ms, against 1.9 ms so). No statistics on the entries: ANALYZE would keep organizations' tags.
-- LEAKPROOF (it cannot fail on any organization and tags), so that under row-level security a
-- filter on it stays an index condition, as the tag operators' do.
ALTER FUNCTION _letta_org_tags(uuid, text[]) LEAKPROOF;
CREATE INDEX letta_agents_tags_idx ON letta_agents
    USING gin (_letta_org_tags(organization_id, tags) letta_tags_ops) WITH (fastupdate = off);
ALTER INDEX letta_agents_tags_idx ALTER COLUMN 1 SET STATISTICS 0;
-- Blocks' tags: the GIN index finds a tag's blocks (letta_list_blocks).
CREATE INDEX letta_blocks_tags_idx ON letta_blocks USING gin (organization_id, tags letta_tags_ops) WITH (fastupdate = off);

-- The ordered tag index: one row per agent and tag, sorted as the lists are (by created_at,
-- then id), so that "the 50 newest agents with tag X" reads 50 entries whatever X's
-- popularity (GIN finds every agent with X, then sorts them all). Kept by the triggers below
-- in the statement that writes letta_agents, whoever writes it (the functions, COPY, a
-- restore, an UPDATE by hand): never behind, never apart. Not dumped: a restore rebuilds it
-- from the agents. Tags sort bytewise (COLLATE "C"), as letta_list_tags lists them. hidden
-- is the agent's, in the index too: a page of visible agents is read from the index alone.
-- Index-only scans need the visibility map: autovacuum visits this table after 1% of it is
-- new (the default, 20%, leaves a million entries for the heap at 5M entries).
CREATE TABLE letta_agents_tags (
    organization_id uuid        NOT NULL,
    tag             text        COLLATE "C" NOT NULL,
    created_at      timestamptz NOT NULL,
    agent_id        uuid        NOT NULL,
    hidden          boolean     NOT NULL,
    CONSTRAINT letta_agents_tags_pkey PRIMARY KEY (organization_id, tag, created_at, agent_id) INCLUDE (hidden)
) WITH (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.05);
COMMENT ON TABLE letta_agents_tags IS
'Derived from letta_agents (one row per agent and tag, in list order, with the agent''s hidden), kept by triggers; read-only for roles.';

-- The triggers run as the extension's owner: roles read letta_agents_tags but never write it.
-- No role is granted EXECUTE on them (PostgreSQL asks for it to attach a trigger, not to fire
-- one), and each refuses any table but letta_agents and its shards (_letta_tags_shard).
-- On Citus they fire on the workers, on a shard of letta_agents, and write the colocated shard
-- of letta_agents_tags with the same statements (Citus refuses a distributed statement inside
-- a shard's, and the transition tables are the shard's).

-- Where a trigger of the tag index writes: NULL for letta_agents itself, or on Citus the shard
-- of letta_agents_tags beside the shard of letta_agents that fired it (colocated shards cover
-- the same hash range). Any other table is refused (42501): the triggers run as the owner, so
-- a table of a caller's (one named letta_agents in pg_temp, say) must never get them to write
-- the index. The table is known by its OID, a shard by its schema and its name in Citus's
-- catalog; nothing a caller can name or create passes.
CREATE FUNCTION _letta_tags_shard(agents regclass, agents_schema name, agents_table name)
RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shard text;
BEGIN
    IF agents = '@extschema@.letta_agents'::regclass THEN
        RETURN NULL;
    END IF;
    IF to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL
       AND agents_schema = (SELECT n.nspname FROM pg_catalog.pg_class c
                              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                             WHERE c.oid = '@extschema@.letta_agents'::regclass) THEN
        EXECUTE $q$SELECT '@extschema@.' || quote_ident('letta_agents_tags_' || t.shardid)
                     FROM pg_catalog.pg_dist_shard a
                     JOIN pg_catalog.pg_dist_shard t ON t.shardminvalue = a.shardminvalue
                                                    AND t.logicalrelid = '@extschema@.letta_agents_tags'::regclass
                    WHERE a.logicalrelid = '@extschema@.letta_agents'::regclass
                      AND $1 = 'letta_agents_' || a.shardid$q$
           INTO shard
          USING agents_table;
    END IF;
    IF shard IS NULL THEN
        RAISE EXCEPTION 'the tag index''s triggers fire on letta_agents only, not on %.%', agents_schema, agents_table
              USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN shard;
END
$$;

CREATE FUNCTION _letta_agents_tags_insert()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shard text := @extschema@._letta_tags_shard(TG_RELID, TG_TABLE_SCHEMA, TG_TABLE_NAME);
BEGIN
    IF shard IS NOT NULL THEN
        EXECUTE format('INSERT INTO %s (organization_id, tag, created_at, agent_id, hidden)
            SELECT n.organization_id, t, n.created_at, n.id, n.hidden FROM new_agents n, unnest(n.tags) t', shard);
        RETURN NULL;
    END IF;
    INSERT INTO @extschema@.letta_agents_tags (organization_id, tag, created_at, agent_id, hidden)
    SELECT n.organization_id, t, n.created_at, n.id, n.hidden FROM new_agents n, unnest(n.tags) t;
    RETURN NULL;
END
$$;

CREATE FUNCTION _letta_agents_tags_update()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shard text := @extschema@._letta_tags_shard(TG_RELID, TG_TABLE_SCHEMA, TG_TABLE_NAME);
BEGIN
    IF shard IS NOT NULL THEN
        EXECUTE format('DELETE FROM %s s
             USING (SELECT o.organization_id, t AS tag, o.created_at, o.id, o.hidden FROM old_agents o, unnest(o.tags) t
                    EXCEPT
                    SELECT n.organization_id, t, n.created_at, n.id, n.hidden FROM new_agents n, unnest(n.tags) t) g
             WHERE s.organization_id = g.organization_id AND s.tag = g.tag COLLATE "C"
               AND s.created_at = g.created_at AND s.agent_id = g.id', shard);
        EXECUTE format('INSERT INTO %s (organization_id, tag, created_at, agent_id, hidden)
            SELECT n.organization_id, t, n.created_at, n.id, n.hidden FROM new_agents n, unnest(n.tags) t
            EXCEPT
            SELECT o.organization_id, t, o.created_at, o.id, o.hidden FROM old_agents o, unnest(o.tags) t', shard);
        RETURN NULL;
    END IF;
    -- Only what changed: an update that leaves tags, created_at and hidden alone writes nothing.
    DELETE FROM @extschema@.letta_agents_tags s
     USING (SELECT o.organization_id, t AS tag, o.created_at, o.id, o.hidden FROM old_agents o, unnest(o.tags) t
            EXCEPT
            SELECT n.organization_id, t, n.created_at, n.id, n.hidden FROM new_agents n, unnest(n.tags) t) g
     WHERE s.organization_id = g.organization_id AND s.tag = g.tag COLLATE "C"
       AND s.created_at = g.created_at AND s.agent_id = g.id;
    INSERT INTO @extschema@.letta_agents_tags (organization_id, tag, created_at, agent_id, hidden)
    SELECT n.organization_id, t, n.created_at, n.id, n.hidden FROM new_agents n, unnest(n.tags) t
    EXCEPT
    SELECT o.organization_id, t, o.created_at, o.id, o.hidden FROM old_agents o, unnest(o.tags) t;
    RETURN NULL;
END
$$;

CREATE FUNCTION _letta_agents_tags_delete()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shard text := @extschema@._letta_tags_shard(TG_RELID, TG_TABLE_SCHEMA, TG_TABLE_NAME);
BEGIN
    IF shard IS NOT NULL THEN
        EXECUTE format('DELETE FROM %s s
             USING old_agents o, unnest(o.tags) t
             WHERE s.organization_id = o.organization_id AND s.tag = t COLLATE "C"
               AND s.created_at = o.created_at AND s.agent_id = o.id', shard);
        RETURN NULL;
    END IF;
    DELETE FROM @extschema@.letta_agents_tags s
     USING old_agents o, unnest(o.tags) t
     WHERE s.organization_id = o.organization_id AND s.tag = t COLLATE "C"
       AND s.created_at = o.created_at AND s.agent_id = o.id;
    RETURN NULL;
END
$$;

CREATE FUNCTION _letta_agents_tags_truncate()
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

CREATE TRIGGER letta_agents_tags_insert AFTER INSERT ON letta_agents
    REFERENCING NEW TABLE AS new_agents
    FOR EACH STATEMENT EXECUTE FUNCTION _letta_agents_tags_insert();
CREATE TRIGGER letta_agents_tags_update AFTER UPDATE ON letta_agents
    REFERENCING OLD TABLE AS old_agents NEW TABLE AS new_agents
    FOR EACH STATEMENT EXECUTE FUNCTION _letta_agents_tags_update();
CREATE TRIGGER letta_agents_tags_delete AFTER DELETE ON letta_agents
    REFERENCING OLD TABLE AS old_agents
    FOR EACH STATEMENT EXECUTE FUNCTION _letta_agents_tags_delete();
CREATE TRIGGER letta_agents_tags_truncate AFTER TRUNCATE ON letta_agents
    FOR EACH STATEMENT EXECUTE FUNCTION _letta_agents_tags_truncate();

-- Tag edits and the list of tags.

CREATE FUNCTION letta_add_agent_tags(agent_id text, tags text[])
RETURNS text[]
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_variable
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org    uuid   := @extschema@._letta_org();
    stamp  timestamptz := @extschema@._letta_stamp();
    agent  uuid   := @extschema@._letta_uuid(agent_id, 'agent', 'agent_id');
    added  text[] := @extschema@._letta_tags(tags);
    result text[];
BEGIN
    UPDATE @extschema@.letta_agents a
       SET tags = @extschema@._letta_tags(a.tags || added), updated_at = stamp
     WHERE a.organization_id = org AND a.id = agent
    RETURNING a.tags INTO result;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('agent', agent_id)::text;
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_add_agent_tags(text, text[]) IS
'Add tags to an agent without rewriting the rest; returns the agent''s tags.';

CREATE FUNCTION letta_remove_agent_tags(agent_id text, tags text[])
RETURNS text[]
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_variable
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org     uuid   := @extschema@._letta_org();
    stamp   timestamptz := @extschema@._letta_stamp();
    agent   uuid   := @extschema@._letta_uuid(agent_id, 'agent', 'agent_id');
    removed text[] := @extschema@._letta_tags(tags);
    result  text[];
BEGIN
    UPDATE @extschema@.letta_agents a
       SET tags = ARRAY(SELECT t FROM unnest(a.tags) WITH ORDINALITY u(t, n)
                         WHERE t <> ALL (removed) ORDER BY n),
           updated_at = stamp
     WHERE a.organization_id = org AND a.id = agent
    RETURNING a.tags INTO result;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('agent', agent_id)::text;
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_remove_agent_tags(text, text[]) IS
'Remove tags from an agent (absent ones are ignored); returns the agent''s tags.';

CREATE FUNCTION letta_list_tags(
    query_text text    DEFAULT NULL,
    before     text    DEFAULT NULL,
    after      text    DEFAULT NULL,
    page_size  integer DEFAULT 50,
    name       text    DEFAULT NULL,
    ascending  boolean DEFAULT true
)
RETURNS TABLE (tag text)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_variable
-- The distinct tags of agents and blocks, as Letta lists them. Agents' tags: one index probe
-- each in the ordered tag index (the next tag past the last, however many agents carry it),
-- from the cursor outwards, a page's worth; blocks' tags: read from the tagged blocks (a
-- partial index finds them; none tagged, one probe). A cursor is a tag. Tags
-- sort bytewise (COLLATE "C"), as they are stored. The walk goes up or down the index: up for
-- an ascending page after a cursor (or from the start) and for a descending page before one;
-- down for the other two, whose pages are then put in the order asked for. name (Letta's name
-- for the filter) and query_text are case-insensitive substrings; given both, name wins.
DECLARE
    org  uuid    := @extschema@._letta_org();
    n    integer := @extschema@._letta_page_size(page_size);
    -- The cursor the walk starts from, exclusive (NULL: an end of the index), and the one it
    -- stops at, exclusive (NULL: none).
    up   boolean := ascending = (before IS NULL OR after IS NOT NULL);
    from_tag text := CASE WHEN ascending = up THEN after ELSE before END;
    to_tag   text := CASE WHEN ascending = up THEN before END;
    -- The page's bounds, exclusive, in tag order (a descending page's after is below it).
    lo   text    := CASE WHEN ascending THEN after ELSE before END;
    hi   text    := CASE WHEN ascending THEN before ELSE after END;
    walked     text[];
    block_tags text[];
BEGIN
    IF ascending IS NULL THEN
        RAISE EXCEPTION 'ascending must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF name IS NOT NULL THEN
        -- Given both, name wins, as in Letta.
        query_text := name;
        name := NULL;
    END IF;
    IF @extschema@._letta_end_user() IS NOT NULL THEN
        -- An end user's tags: those of their agents, read by key (the index walk would pass
        -- over everyone else's entries).
        walked := ARRAY(
            SELECT DISTINCT t FROM @extschema@.letta_agents a, unnest(a.tags) t
             WHERE a.organization_id = org AND a.id = ANY (@extschema@._letta_end_user_agents())
               AND (lo IS NULL OR t > lo COLLATE "C") AND (hi IS NULL OR t < hi COLLATE "C")
               AND (query_text IS NULL OR strpos(lower(t), lower(query_text)) > 0)
               AND (name IS NULL OR strpos(lower(t), lower(name)) > 0));
    ELSIF up THEN
        walked := ARRAY(
            WITH RECURSIVE walk AS (
                (SELECT s.tag FROM @extschema@.letta_agents_tags s
                  WHERE s.organization_id = org AND s.tag > coalesce(from_tag, '') COLLATE "C"
                  ORDER BY s.tag LIMIT 1)
                UNION ALL
                SELECT (SELECT s.tag FROM @extschema@.letta_agents_tags s
                         WHERE s.organization_id = org AND s.tag > w.tag ORDER BY s.tag LIMIT 1)
                  FROM walk w WHERE w.tag IS NOT NULL AND (to_tag IS NULL OR w.tag < to_tag COLLATE "C"))
            SELECT w.tag::text FROM walk w
             WHERE w.tag IS NOT NULL AND (to_tag IS NULL OR w.tag < to_tag COLLATE "C")
               AND (query_text IS NULL OR strpos(lower(w.tag COLLATE "default"), lower(query_text)) > 0)
               AND (name IS NULL OR strpos(lower(w.tag COLLATE "default"), lower(name)) > 0)
             LIMIT n);
    ELSIF from_tag IS NULL THEN
        -- Down from the top of the index (a descending page from the start).
        walked := ARRAY(
            WITH RECURSIVE walk AS (
                (SELECT s.tag FROM @extschema@.letta_agents_tags s
                  WHERE s.organization_id = org ORDER BY s.tag DESC LIMIT 1)
                UNION ALL
                SELECT (SELECT s.tag FROM @extschema@.letta_agents_tags s
                         WHERE s.organization_id = org AND s.tag < w.tag ORDER BY s.tag DESC LIMIT 1)
                  FROM walk w WHERE w.tag IS NOT NULL AND (to_tag IS NULL OR w.tag > to_tag COLLATE "C"))
            SELECT w.tag::text FROM walk w
             WHERE w.tag IS NOT NULL AND (to_tag IS NULL OR w.tag > to_tag COLLATE "C")
               AND (query_text IS NULL OR strpos(lower(w.tag COLLATE "default"), lower(query_text)) > 0)
               AND (name IS NULL OR strpos(lower(w.tag COLLATE "default"), lower(name)) > 0)
             LIMIT n);
    ELSE
        walked := ARRAY(
            WITH RECURSIVE walk AS (
                (SELECT s.tag FROM @extschema@.letta_agents_tags s
                  WHERE s.organization_id = org AND s.tag < from_tag COLLATE "C"
                  ORDER BY s.tag DESC LIMIT 1)
                UNION ALL
                SELECT (SELECT s.tag FROM @extschema@.letta_agents_tags s
                         WHERE s.organization_id = org AND s.tag < w.tag ORDER BY s.tag DESC LIMIT 1)
                  FROM walk w WHERE w.tag IS NOT NULL AND (to_tag IS NULL OR w.tag > to_tag COLLATE "C"))
            SELECT w.tag::text FROM walk w
             WHERE w.tag IS NOT NULL AND (to_tag IS NULL OR w.tag > to_tag COLLATE "C")
               AND (query_text IS NULL OR strpos(lower(w.tag COLLATE "default"), lower(query_text)) > 0)
               AND (name IS NULL OR strpos(lower(w.tag COLLATE "default"), lower(name)) > 0)
             LIMIT n);
    END IF;
    -- Blocks' tags between the cursors, with the same filters.
    block_tags := ARRAY(
        SELECT DISTINCT t FROM @extschema@.letta_blocks b, unnest(b.tags) t
         WHERE b.organization_id = org AND b.tags <> '{}'
           AND (lo IS NULL OR t > lo COLLATE "C") AND (hi IS NULL OR t < hi COLLATE "C")
           AND (query_text IS NULL OR strpos(lower(t), lower(query_text)) > 0)
           AND (name IS NULL OR strpos(lower(t), lower(name)) > 0));
    -- The page: the first n of both in the walk's order, then in the order asked for.
    RETURN QUERY
    SELECT p.tag FROM (
        SELECT u.tag FROM unnest(walked || block_tags) u(tag) GROUP BY u.tag
         ORDER BY CASE WHEN up THEN u.tag END COLLATE "C", u.tag COLLATE "C" DESC LIMIT n) p
    ORDER BY CASE WHEN ascending THEN p.tag END COLLATE "C", p.tag COLLATE "C" DESC;
END
$$;

COMMENT ON FUNCTION letta_list_tags(text, text, text, integer, text, boolean) IS
'Distinct tags of the current organization''s agents and blocks, one page, ascending (bytewise) or descending with ascending => false; name (Letta''s name) and query_text are case-insensitive substrings (given both, name wins, as in Letta); cursors before/after are tags.';

-- Facets: how many agents carry each tag, counted in the ordered tag index (index-only: it
-- holds each entry's hidden flag), every tag of the organization or the ones asked for (a tag
-- no agent carries counts 0).
CREATE FUNCTION letta_count_agents_by_tag(tags text[] DEFAULT NULL, include_hidden boolean DEFAULT false)
RETURNS TABLE (tag text, agents bigint)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_variable
DECLARE
    org    uuid   := @extschema@._letta_org();
    wanted text[] := CASE WHEN tags IS NOT NULL THEN @extschema@._letta_tags(tags) END;
BEGIN
    IF include_hidden IS NULL THEN
        RAISE EXCEPTION 'include_hidden must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF @extschema@._letta_end_user() IS NOT NULL THEN
        -- An end user's facets: counted over their agents, read by key.
        RETURN QUERY
        SELECT c.tag, max(c.agents)  -- (a tag asked for that none of them has: 0)
          FROM (SELECT t AS tag, count(*) AS agents
                  FROM @extschema@.letta_agents a, unnest(a.tags) t
                 WHERE a.organization_id = org AND a.id = ANY (@extschema@._letta_end_user_agents())
                   AND (include_hidden OR NOT a.hidden) AND (wanted IS NULL OR t = ANY (wanted))
                 GROUP BY t
                UNION ALL
                SELECT w.t, 0 FROM unnest(wanted) w(t)) c
         GROUP BY c.tag
         ORDER BY c.tag COLLATE "C";
    ELSIF wanted IS NULL THEN
        RETURN QUERY
        SELECT s.tag::text, count(*) FROM @extschema@.letta_agents_tags s
         WHERE s.organization_id = org AND (include_hidden OR NOT s.hidden)
         GROUP BY s.tag ORDER BY s.tag;
    ELSE
        RETURN QUERY
        SELECT w.t, (SELECT count(*) FROM @extschema@.letta_agents_tags s
                      WHERE s.organization_id = org AND s.tag = w.t COLLATE "C" AND (include_hidden OR NOT s.hidden))
          FROM unnest(wanted) w(t) ORDER BY w.t COLLATE "C";
    END IF;
END
$$;

COMMENT ON FUNCTION letta_count_agents_by_tag(text[], boolean) IS
'Facets: the number of agents with each tag (every tag of the current organization, or those given, 0 for a tag no agent has), ascending by tag; hidden agents only with include_hidden.';
