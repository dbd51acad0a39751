-- letta_identity: the tag operators and their index. Runs after schema.sql and the Rust
-- estimator _letta_tags_sel (src/tags.rs).
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
CREATE OPERATOR @>> (
    LEFTARG = text[], RIGHTARG = text[], FUNCTION = _letta_tags_contain,
    COMMUTATOR = <<@, RESTRICT = _letta_tags_sel, JOIN = arraycontjoinsel);
CREATE OPERATOR <<@ (
    LEFTARG = text[], RIGHTARG = text[], FUNCTION = _letta_tags_contained,
    COMMUTATOR = @>>, RESTRICT = _letta_tags_sel, JOIN = arraycontjoinsel);

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

-- Tag filters (any of: &&&, all of: @>>). fastupdate is off: a growing pending list slowed
-- rare-tag queries ~20x between vacuums (../shared/pgrx-notes.md).
CREATE INDEX letta_agents_tags_idx ON letta_agents USING gin (tags letta_tags_ops) WITH (fastupdate = off);
