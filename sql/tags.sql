-- letta_identity: tags. The leakproof tag operators with their estimator (src/tags.rs) and
-- the GIN index on letta_agents.tags, then the functions that edit and list tags.
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
CREATE INDEX letta_agents_tags_idx ON letta_agents USING gin (tags letta_tags_ops) WITH (fastupdate = off);

-- Tag edits and the list of tags.

CREATE FUNCTION letta_add_agent_tags(agent_id text, tags text[])
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

CREATE FUNCTION letta_remove_agent_tags(agent_id text, tags text[])
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

CREATE FUNCTION letta_list_tags(
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
