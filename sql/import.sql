-- letta_identity: the import from a Letta database. letta_import_from_letta(source) reads
-- Letta's own tables (identities, agents, agents_tags, identities_agents, block, blocks_tags,
-- identities_blocks, blocks_agents, as Letta's migrations create them) from a schema of this
-- database, for example one that Letta's pg_dump was restored into, and writes their multi-user
-- data into the extension's tables, ids and organizations kept. Administrators only.
--
-- Set-based: each source table is read once into a staging table (temporary, dropped at
-- commit) with the reason each row cannot be imported, if any; then one INSERT per table.
-- Every row Letta shows is kept: a value the API would refuse (an empty name, a property value
-- not of its type, a limit of 0, ...) is kept as it is and the row is reported as noted, with
-- the API's message (src/import.rs); a tag the API refuses leaves its agent or block, which is
-- kept. Skipped, never fatal: what is inconsistent in itself (soft-deleted rows, malformed ids,
-- links across organizations or to missing rows, a second block with one label in an agent,
-- an identifier_key given twice), what Letta cannot show either (an unknown identity_type), and
-- a key or label too long for its index. Duplicate rows collapse. Rows already imported (same id, same
-- organization) are left as they are, so an import run again changes nothing. (Conventions:
-- rows.sql.)

-- What the import reads must run nothing of the source's owner as the administrator who calls
-- it: each table of the source is locked before it is read (it cannot change before the import
-- ends) and must be a plain table without row-level security (a view, a foreign table or a
-- policy runs its owner's code) and without inheritance children, whose columns are all of
-- built-in types (a type of the owner's brings its casts and operators). Otherwise 42809 or
-- 42804, naming the relation. Every table is checked before anything is read, and each again
-- where it is read (_letta_import_table): one created after the first check is checked too.
CREATE FUNCTION _letta_import_check_table(rel regclass)
RETURNS void
LANGUAGE plpgsql VOLATILE STRICT SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    kind       "char";
    bad_column text;
BEGIN
    SELECT c.relkind INTO kind FROM pg_catalog.pg_class c WHERE c.oid = rel;
    IF kind = 'r' THEN
        EXECUTE format('LOCK TABLE ONLY %s IN ACCESS SHARE MODE', rel);
        SELECT c.relkind INTO kind FROM pg_catalog.pg_class c WHERE c.oid = rel;
    END IF;
    IF kind IS DISTINCT FROM 'r' THEN
        RAISE EXCEPTION '% is not a plain table: the import reads plain tables only', rel
              USING ERRCODE = 'wrong_object_type',
                    DETAIL = 'A view, a foreign or a partitioned table would run code of its owner''s as you.';
    ELSIF EXISTS (SELECT FROM pg_catalog.pg_inherits i WHERE i.inhparent = rel) THEN
        RAISE EXCEPTION 'table % has inheritance children: the import reads plain tables only', rel
              USING ERRCODE = 'wrong_object_type';
    ELSIF (SELECT c.relrowsecurity FROM pg_catalog.pg_class c WHERE c.oid = rel) THEN
        RAISE EXCEPTION 'table % has row-level security: its policies would run as you', rel
              USING ERRCODE = 'wrong_object_type',
                    HINT = format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY, then import again.', rel);
    END IF;
    SELECT format('%I (%s)', a.attname, format_type(a.atttypid, a.atttypmod)) INTO bad_column
      FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
       AND t.typnamespace <> 'pg_catalog'::regnamespace
     ORDER BY a.attnum LIMIT 1;
    IF bad_column IS NOT NULL THEN
        RAISE EXCEPTION 'column % of table % is not of a built-in type', bad_column, rel
              USING ERRCODE = 'datatype_mismatch',
                    DETAIL = 'A type of the source''s owner brings casts and operators that would run as you.',
                    HINT = 'Change the column to a built-in type (or drop it) in the restored copy, then import again.';
    END IF;
END
$$;

CREATE FUNCTION _letta_import_check_source(source name)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    source_table text;
BEGIN
    FOREACH source_table IN ARRAY ARRAY['identities', 'agents', 'agents_tags', 'identities_agents', 'block',
                                        'blocks_tags', 'identities_blocks', 'blocks_agents'] LOOP
        PERFORM @extschema@._letta_import_check_table(to_regclass(format('%I.%I', source, source_table)))
          WHERE to_regclass(format('%I.%I', source, source_table)) IS NOT NULL;
    END LOOP;
END
$$;

-- The expression for a column of a source table: s.<column>, or the fallback when an older
-- Letta has no such column; without a fallback the column is required (42703).
CREATE FUNCTION _letta_import_column(source name, source_table text, source_column text,
                                     fallback text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_attribute a
                WHERE a.attrelid = pg_catalog.to_regclass(pg_catalog.format('%I.%I', source, source_table))
                  AND a.attname = source_column AND a.attnum > 0 AND NOT a.attisdropped) THEN
        RETURN pg_catalog.format('s.%I', source_column);
    ELSIF fallback IS NULL THEN
        RAISE EXCEPTION 'column %.% of the Letta database in schema "%" does not exist', source_table, source_column, source
              USING ERRCODE = 'undefined_column',
                    HINT = 'letta_import_from_letta reads the tables of Letta''s own schema (see the README).';
    END IF;
    RETURN fallback;
END
$$;

-- A source table to read from: the table, checked (_letta_import_check_table), or (for a table
-- an older Letta did not have) no rows with the columns the import reads.
CREATE FUNCTION _letta_import_table(source name, source_table text, empty_columns text)
RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN r IS NULL THEN pg_catalog.format('(SELECT %s WHERE false) s', empty_columns)
                ELSE (SELECT pg_catalog.format('ONLY %s s', r) FROM @extschema@._letta_import_check_table(r)) END
      FROM pg_catalog.to_regclass(pg_catalog.format('%I.%I', source, source_table)) AS r
$$;

-- A staging table's rows against what is here already: present (the same id in the same
-- organization: left as it is), or skipped when another organization has the id.
CREATE FUNCTION _letta_import_existing(staging text, target regclass)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE pg_catalog.format($q$
        UPDATE pg_temp.%1$I s SET present = true
          FROM %2$s t
         WHERE t.organization_id = s.org AND t.id = s.id AND s.problem IS NULL$q$, staging, target);
    EXECUTE pg_catalog.format($q$
        UPDATE pg_temp.%1$I s SET problem = 'id taken in another organization', detail = NULL
          FROM %2$s t
         WHERE t.id = s.id AND t.organization_id <> s.org AND s.problem IS NULL$q$, staging, target);
    EXECUTE pg_catalog.format('ANALYZE pg_temp.%I', staging);
END
$$;

-- What happened to the rows staged for a source table (a relation with source_id, problem,
-- note, detail, present and copies), as report rows: imported; noted (imported, with what the
-- API would have refused or what was changed to keep it: the note); already present; or skipped
-- by reason (the first three source ids as examples, with the details if any); and the
-- duplicate rows that collapsed into one. One pass over the rows.
CREATE FUNCTION _letta_import_report(kind text, staged text)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE pg_catalog.format($q$
        WITH g AS (
            SELECT o.outcome, o.reason, count(*) AS n,
                   (array_agg(s.source_id || coalesce(': ' || s.detail, '') ORDER BY s.source_id)
                        FILTER (WHERE o.reason IS NOT NULL))[1:3] AS examples,
                   sum(s.copies - 1) FILTER (WHERE s.copies > 1) AS duplicates,
                   (array_agg(s.source_id ORDER BY s.source_id) FILTER (WHERE s.copies > 1))[1:3] AS duplicated
              FROM %2$s s,
                   LATERAL (SELECT CASE WHEN s.problem IS NOT NULL THEN 'skipped'
                                        WHEN s.present THEN 'present'
                                        WHEN s.note IS NOT NULL THEN 'noted' ELSE 'imported' END AS outcome,
                                   CASE WHEN s.problem IS NOT NULL THEN s.problem
                                        WHEN NOT s.present THEN s.note END AS reason) o
             GROUP BY o.outcome, o.reason)
        INSERT INTO pg_temp.letta_import_report (kind, outcome, reason, rows, examples)
        SELECT %1$L, u.* FROM (
            SELECT g.outcome, g.reason, g.n, g.examples FROM g
            UNION ALL
            SELECT 'collapsed', 'duplicate rows', sum(g.duplicates),
                   (SELECT array_agg(e ORDER BY e) FROM g, unnest(g.duplicated) e)[1:3]
              FROM g HAVING sum(g.duplicates) > 0) AS u(outcome, reason, rows, examples)
         ORDER BY array_position(ARRAY['imported', 'noted', 'present', 'collapsed', 'skipped'], u.outcome), u.reason$q$,
        kind, staged);
END
$$;

-- The notes on a row, in one text: NULL when there is none.
CREATE FUNCTION _letta_import_note(notes text[])
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT NULLIF(pg_catalog.array_to_string(notes, '; '), '')
$$;

-- The most bytes of a key or a label the import writes: B-tree index entries are capped at
-- about 2.7 kB (the API's own limit is 1000 bytes; the import keeps up to this).
CREATE FUNCTION _letta_import_indexable()
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$ SELECT 2600 $$;

-- An identity's properties as Letta holds them: kept, the ones Letta itself reads (an object
-- with a text key, one of the four types and a value of a property type), in their order, each
-- as it is (a value not of its type too: mistyped names them); dropped shows the others. A
-- value that is not a list is one property Letta cannot read.
CREATE FUNCTION _letta_import_properties(properties jsonb)
RETURNS TABLE (kept jsonb, mistyped text, dropped text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(jsonb_agg(p.e ORDER BY p.k) FILTER (WHERE p.readable), '[]'),
           string_agg(format('%s is a %s, its type %s', p.e -> 'key', jsonb_typeof(p.e -> 'value'), p.e ->> 'type'), ', ' ORDER BY p.k)
               FILTER (WHERE p.readable AND NOT p.fits),
           left(string_agg(p.e::text, ', ' ORDER BY p.k) FILTER (WHERE NOT p.readable), 200)
      FROM (SELECT e.e, e.k,
                   coalesce(jsonb_typeof(e.e) = 'object' AND jsonb_typeof(e.e -> 'key') = 'string'
                            AND e.e ->> 'type' IN ('string', 'number', 'boolean', 'json')
                            AND jsonb_typeof(e.e -> 'value') IN ('string', 'number', 'boolean', 'object'), false) AS readable,
                   coalesce(jsonb_typeof(e.e -> 'value') = CASE e.e ->> 'type' WHEN 'json' THEN 'object' ELSE e.e ->> 'type' END,
                            false) AS fits
              FROM jsonb_array_elements(CASE WHEN jsonb_typeof(properties) = 'array' THEN properties
                                             ELSE jsonb_build_array(properties) END) WITH ORDINALITY AS e(e, k)
             WHERE properties IS NOT NULL) p
$$;

CREATE FUNCTION letta_import_from_letta(source name, dry_run boolean DEFAULT false)
RETURNS TABLE (kind text, outcome text, reason text, "rows" bigint, examples text[])
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    report   jsonb;
    required text;
BEGIN
    IF source IS NULL THEN
        RAISE EXCEPTION 'source must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    ELSIF NOT EXISTS (SELECT FROM pg_catalog.pg_namespace n WHERE n.nspname = source) THEN
        RAISE EXCEPTION 'schema "%" does not exist', source
              USING ERRCODE = 'invalid_schema_name',
                    HINT = 'Restore Letta''s database into a schema of this database (pg_restore, then ALTER SCHEMA public RENAME), then name that schema.';
    END IF;
    FOREACH required IN ARRAY ARRAY['identities', 'agents'] LOOP
        IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', source, required)) IS NULL THEN
            RAISE EXCEPTION 'table %.% does not exist: schema "%" does not hold a Letta database', source, required, source
                  USING ERRCODE = 'undefined_table';
        END IF;
    END LOOP;
    PERFORM @extschema@._letta_import_check_source(source);
    -- A dry run does the whole import in a subtransaction, keeps the report, and rolls it back.
    BEGIN
        PERFORM @extschema@._letta_import_rows(source);
        report := (SELECT jsonb_agg(to_jsonb(r) ORDER BY r.n) FROM pg_temp.letta_import_report r);
        IF dry_run THEN
            RAISE EXCEPTION 'dry run' USING ERRCODE = 'LIDRY';
        END IF;
    EXCEPTION WHEN SQLSTATE 'LIDRY' THEN
        NULL;
    END;
    RETURN QUERY
        SELECT r.kind, r.outcome, r.reason, r.rows, r.examples
          FROM jsonb_to_recordset(report) AS r(kind text, outcome text, reason text, rows bigint, examples text[]);
END
$$;

COMMENT ON FUNCTION letta_import_from_letta(name, boolean) IS
'Administrators: import the identities, agents, tags, links and blocks of a Letta database in schema source (Letta''s tables), ids and organizations kept; every row Letta shows is kept (noted where the API would refuse a value), rows Letta''s data leaves inconsistent are skipped; each reported; what was already imported is left as it is; dry_run => true reports without writing. Returns one row per table, outcome (imported, noted, present, collapsed, skipped) and reason.';

-- The import itself (letta_import_from_letta): the staging tables, the inserts, the report in
-- pg_temp.letta_import_report.
CREATE FUNCTION _letta_import_rows(source name)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    col text;
BEGIN
    -- (Left by an import earlier in this transaction: they go at commit.)
    IF pg_catalog.to_regclass('pg_temp.letta_import_report') IS NOT NULL THEN
        DROP TABLE pg_temp.letta_import_report, pg_temp.letta_import_identities,
            pg_temp.letta_import_agents, pg_temp.letta_import_tags, pg_temp.letta_import_blocks,
            pg_temp.letta_import_block_tags, pg_temp.letta_import_identities_agents,
            pg_temp.letta_import_identities_blocks, pg_temp.letta_import_blocks_agents;
    END IF;
    CREATE TEMPORARY TABLE letta_import_report (
        n        serial,
        kind     text,
        outcome  text,
        reason   text,
        rows     bigint,
        examples text[]
    ) ON COMMIT DROP;

    -- The columns every Letta has (an older one may lack the others).
    PERFORM @extschema@._letta_import_column(source, t, c)
       FROM (VALUES ('identities', 'id'), ('identities', 'organization_id'), ('identities', 'identifier_key'),
                    ('identities', 'name'), ('identities', 'identity_type'),
                    ('agents', 'id'), ('agents', 'organization_id')) AS required(t, c);

    -- Identities. An identifier_key given twice in one organization and project (older Letta
    -- let NULL projects repeat it): the first created is imported. Properties are kept as
    -- Letta has them (a value not of its type too); one that Letta itself cannot read (no key,
    -- an unknown type, a value of no property type) is dropped, with a note.
    -- (Each staging statement reads the source row c, then judges it: OFFSET 0 keeps each
    -- level a subquery of its own, so that a cast or a check runs once per row, not once per
    -- place that uses it.)
    EXECUTE pg_catalog.format($q$
        CREATE TEMPORARY TABLE letta_import_identities ON COMMIT DROP AS
        SELECT r.*, false AS present, 1::bigint AS copies,
               CASE WHEN r.deleted THEN 'deleted in Letta'
                    WHEN r.id IS NULL THEN 'malformed id'
                    WHEN r.org IS NULL THEN 'malformed organization_id'
                    WHEN r.identifier_key IS NULL OR r.name IS NULL THEN 'no identifier_key or no name'
                    WHEN r.identity_type IS NULL OR r.identity_type NOT IN ('user', 'org', 'other')
                        THEN 'an identity_type Letta does not have'
                    WHEN octet_length(r.identifier_key) + coalesce(octet_length(r.project_id), 0) > %7$s
                        THEN 'identifier_key too long for the key''s index' END AS problem,
               @extschema@._letta_import_note(
                   ARRAY[CASE WHEN r.refused <> '{}' THEN 'kept with values the API refuses' END,
                         CASE WHEN p.mistyped IS NOT NULL THEN 'kept with property values not of their type' END,
                         CASE WHEN p.dropped IS NOT NULL THEN 'properties Letta cannot read dropped' END]) AS note,
               @extschema@._letta_import_note(
                   r.refused || ARRAY[p.mistyped, 'dropped ' || p.dropped]) AS detail,
               p.kept AS kept_properties
          FROM (SELECT c.*,
                       array_remove(ARRAY[@extschema@._letta_import_refusal('identifier_key', c.identifier_key),
                                          @extschema@._letta_import_refusal('name', c.name),
                                          @extschema@._letta_import_refusal('project_id', c.project_id)], NULL) AS refused
          FROM (SELECT s.id::text AS source_id, s.organization_id::text AS source_org,
                       @extschema@._letta_import_id(s.id, 'identity') AS id,
                       @extschema@._letta_import_id(s.organization_id, 'org') AS org,
                       s.identifier_key::text AS identifier_key, s.name::text AS name,
                       s.identity_type::text AS identity_type, %1$s::text AS project_id,
                       nullif(%2$s::jsonb, 'null') AS properties,
                       %3$s::timestamptz AS created_at, %4$s::timestamptz AS updated_at,
                       coalesce(%5$s, false) AS deleted
                  FROM ONLY %6$I.identities s OFFSET 0) c OFFSET 0) r,
               LATERAL @extschema@._letta_import_properties(r.properties) p$q$,
        @extschema@._letta_import_column(source, 'identities', 'project_id', 'NULL'),
        @extschema@._letta_import_column(source, 'identities', 'properties', 'NULL'),
        @extschema@._letta_import_column(source, 'identities', 'created_at', 'NULL'),
        @extschema@._letta_import_column(source, 'identities', 'updated_at', 'NULL'),
        @extschema@._letta_import_column(source, 'identities', 'is_deleted', 'NULL'),
        source, @extschema@._letta_import_indexable());
    UPDATE pg_temp.letta_import_identities s
       SET problem = 'identifier_key given twice', detail = 'identifier_key ' || pg_catalog.quote_literal(s.identifier_key) || ' is also ' || d.first || '''s'
      FROM (SELECT i.source_id, pg_catalog.first_value(i.source_id) OVER w AS first, pg_catalog.row_number() OVER w AS nth
              FROM pg_temp.letta_import_identities i
             WHERE i.problem IS NULL
            WINDOW w AS (PARTITION BY i.org, i.identifier_key, i.project_id ORDER BY i.created_at, i.source_id)) d
     WHERE d.nth > 1 AND s.source_id = d.source_id;
    -- Against what is here already: the same identity (present), its id or its key taken.
    PERFORM @extschema@._letta_import_existing('letta_import_identities', '@extschema@.letta_identities');
    UPDATE pg_temp.letta_import_identities s
       SET problem = 'identifier_key given twice', detail = 'identifier_key ' || pg_catalog.quote_literal(s.identifier_key) || ' is also identity-' || t.id || '''s'
      FROM @extschema@.letta_identities t
     WHERE t.organization_id = s.org AND t.identifier_key = s.identifier_key
       AND t.project_id IS NOT DISTINCT FROM s.project_id AND t.id <> s.id
       AND s.problem IS NULL AND NOT s.present;

    -- Agents with their tags (one per distinct agents_tags row). A tag the API refuses (empty,
    -- too long to index) leaves its agent, which is kept; a model is the handle Letta reports.
    -- metadata that is not an object (Letta cannot show it) is kept under the key "value".
    EXECUTE pg_catalog.format($q$
        CREATE TEMPORARY TABLE letta_import_tags ON COMMIT DROP AS
        SELECT g.*, @extschema@._letta_import_refusal('tag', g.tag) AS refusal
          FROM (SELECT s.agent_id::text AS owner, s.tag::text AS tag, count(*) AS copies
                  FROM %1$s
                 WHERE NOT coalesce(%2$s, false)
                 GROUP BY 1, 2) g$q$,
        @extschema@._letta_import_table(source, 'agents_tags', 'NULL::text AS agent_id, NULL::text AS tag'),
        @extschema@._letta_import_column(source, 'agents_tags', 'is_deleted', 'NULL'));
    ANALYZE pg_temp.letta_import_tags;
    EXECUTE pg_catalog.format($q$
        CREATE TEMPORARY TABLE letta_import_agents ON COMMIT DROP AS
        SELECT r.*, false AS present, 1::bigint AS copies,
               CASE WHEN r.deleted THEN 'deleted in Letta'
                    WHEN r.id IS NULL THEN 'malformed id'
                    WHEN r.org IS NULL THEN 'malformed organization_id' END AS problem,
               @extschema@._letta_import_note(
                   ARRAY[CASE WHEN r.refused <> '{}' THEN 'kept with values the API refuses' END,
                         CASE WHEN r.dropped_tags > 0 THEN 'tags the API refuses dropped (agents_tags says which)' END,
                         CASE WHEN jsonb_typeof(r.metadata) <> 'object' THEN 'metadata not an object: kept under "value"' END,
                         CASE WHEN r.context_window IS NOT NULL AND r.context_window_limit IS NULL
                              THEN 'llm_config.context_window not a positive integer: not kept' END]) AS note,
               @extschema@._letta_import_note(
                   r.refused || ARRAY[CASE WHEN jsonb_typeof(r.metadata) <> 'object' THEN 'metadata is a JSON ' || jsonb_typeof(r.metadata) END,
                                      CASE WHEN r.context_window IS NOT NULL AND r.context_window_limit IS NULL
                                           THEN 'context_window ' || r.context_window END]) AS detail
          FROM (SELECT c.*,
                       array_remove(ARRAY[@extschema@._letta_import_refusal('project_id', c.project_id),
                                          @extschema@._letta_import_tags_refusal(c.tags)], NULL) AS refused,
                       CASE WHEN jsonb_typeof(c.llm_config -> 'context_window') = 'number'
                             AND (c.llm_config ->> 'context_window') ~ '^[0-9]{1,10}$'
                             AND (c.llm_config ->> 'context_window')::bigint BETWEEN 1 AND 2147483647
                            THEN (c.llm_config ->> 'context_window')::integer END AS context_window_limit,
                       c.llm_config ->> 'context_window' AS context_window
          FROM (SELECT s.id::text AS source_id,
                       @extschema@._letta_import_id(s.id, 'agent') AS id,
                       @extschema@._letta_import_id(s.organization_id, 'org') AS org,
                       %1$s::text AS name, %2$s::text AS project_id,
                       nullif(%3$s::jsonb, 'null') AS llm_config, nullif(%4$s::jsonb, 'null') AS embedding_config,
                       nullif(%5$s::jsonb, 'null') AS metadata, %6$s::boolean AS hidden,
                       %7$s::timestamptz AS created_at, %8$s::timestamptz AS updated_at,
                       coalesce(%9$s, false) AS deleted, coalesce(t.tags, '{}') AS tags,
                       coalesce(t.dropped, 0) AS dropped_tags
                  FROM ONLY %10$I.agents s
                  LEFT JOIN (SELECT g.owner, array_agg(g.tag ORDER BY g.tag COLLATE "C") FILTER (WHERE g.refusal IS NULL) AS tags,
                                    count(*) FILTER (WHERE g.refusal IS NOT NULL) AS dropped
                               FROM pg_temp.letta_import_tags g GROUP BY g.owner) t
                    ON t.owner = s.id OFFSET 0) c OFFSET 0) r$q$,
        @extschema@._letta_import_column(source, 'agents', 'name', 'NULL'),
        @extschema@._letta_import_column(source, 'agents', 'project_id', 'NULL'),
        @extschema@._letta_import_column(source, 'agents', 'llm_config', 'NULL'),
        @extschema@._letta_import_column(source, 'agents', 'embedding_config', 'NULL'),
        @extschema@._letta_import_column(source, 'agents', 'metadata_', 'NULL'),
        @extschema@._letta_import_column(source, 'agents', 'hidden', 'NULL'),
        @extschema@._letta_import_column(source, 'agents', 'created_at', 'NULL'),
        @extschema@._letta_import_column(source, 'agents', 'updated_at', 'NULL'),
        @extschema@._letta_import_column(source, 'agents', 'is_deleted', 'NULL'),
        source);
    PERFORM @extschema@._letta_import_existing('letta_import_agents', '@extschema@.letta_agents');

    -- Blocks with their tags, as agents' (a value longer than its limit too: the limit is
    -- advisory, as in Letta). Letta's block templates are not part of this model.
    EXECUTE pg_catalog.format($q$
        CREATE TEMPORARY TABLE letta_import_block_tags ON COMMIT DROP AS
        SELECT g.*, @extschema@._letta_import_refusal('tag', g.tag) AS refusal
          FROM (SELECT s.block_id::text AS owner, s.tag::text AS tag, count(*) AS copies
                  FROM %1$s
                 WHERE NOT coalesce(%2$s, false)
                 GROUP BY 1, 2) g$q$,
        @extschema@._letta_import_table(source, 'blocks_tags', 'NULL::text AS block_id, NULL::text AS tag'),
        @extschema@._letta_import_column(source, 'blocks_tags', 'is_deleted', 'NULL'));
    EXECUTE pg_catalog.format($q$
        CREATE TEMPORARY TABLE letta_import_blocks ON COMMIT DROP AS
        SELECT r.*, false AS present, 1::bigint AS copies,
               CASE WHEN r.deleted THEN 'deleted in Letta'
                    WHEN r.template THEN 'a template (not part of this model)'
                    WHEN r.id IS NULL THEN 'malformed id'
                    WHEN r.org IS NULL THEN 'malformed organization_id'
                    WHEN r.label IS NULL THEN 'no label'
                    WHEN r.char_limit > 2147483647 THEN 'limit past the largest integer'
                    WHEN octet_length(r.label) > %12$s THEN 'label too long for the label''s index' END AS problem,
               @extschema@._letta_import_note(
                   ARRAY[CASE WHEN r.refused <> '{}' THEN 'kept with values the API refuses' END,
                         CASE WHEN r.dropped_tags > 0 THEN 'tags the API refuses dropped (blocks_tags says which)' END,
                         CASE WHEN jsonb_typeof(r.metadata) <> 'object' THEN 'metadata not an object: kept under "value"' END]) AS note,
               @extschema@._letta_import_note(
                   r.refused || ARRAY[CASE WHEN jsonb_typeof(r.metadata) <> 'object' THEN 'metadata is a JSON ' || jsonb_typeof(r.metadata) END]) AS detail
          FROM (SELECT c.*,
                       array_remove(ARRAY[@extschema@._letta_import_refusal('label', c.label),
                                          CASE WHEN c.char_limit <= 0 THEN 'limit ' || c.char_limit || ' is not positive' END,
                                          @extschema@._letta_import_refusal('project_id', c.project_id),
                                          @extschema@._letta_import_tags_refusal(c.tags)], NULL) AS refused
          FROM (SELECT s.id::text AS source_id,
                       @extschema@._letta_import_id(s.id, 'block') AS id,
                       @extschema@._letta_import_id(s.organization_id, 'org') AS org,
                       s.label::text AS label, s.value::text AS value, %1$s::bigint AS char_limit,
                       %2$s::text AS description, nullif(%3$s::jsonb, 'null') AS metadata,
                       %4$s::boolean AS read_only, %5$s::boolean AS hidden, %6$s::text AS project_id,
                       coalesce(%7$s, false) AS template,
                       %8$s::timestamptz AS created_at, %9$s::timestamptz AS updated_at,
                       coalesce(%10$s, false) AS deleted, coalesce(t.tags, '{}') AS tags,
                       coalesce(t.dropped, 0) AS dropped_tags
                  FROM %11$s
                  LEFT JOIN (SELECT g.owner, array_agg(g.tag ORDER BY g.tag COLLATE "C") FILTER (WHERE g.refusal IS NULL) AS tags,
                                    count(*) FILTER (WHERE g.refusal IS NOT NULL) AS dropped
                               FROM pg_temp.letta_import_block_tags g GROUP BY g.owner) t
                    ON t.owner = s.id OFFSET 0) c OFFSET 0) r$q$,
        @extschema@._letta_import_column(source, 'block', 'limit', 'NULL'),
        @extschema@._letta_import_column(source, 'block', 'description', 'NULL'),
        @extschema@._letta_import_column(source, 'block', 'metadata_', 'NULL'),
        @extschema@._letta_import_column(source, 'block', 'read_only', 'NULL'),
        @extschema@._letta_import_column(source, 'block', 'hidden', 'NULL'),
        @extschema@._letta_import_column(source, 'block', 'project_id', 'NULL'),
        @extschema@._letta_import_column(source, 'block', 'is_template', 'NULL'),
        @extschema@._letta_import_column(source, 'block', 'created_at', 'NULL'),
        @extschema@._letta_import_column(source, 'block', 'updated_at', 'NULL'),
        @extschema@._letta_import_column(source, 'block', 'is_deleted', 'NULL'),
        @extschema@._letta_import_table(source, 'block',
            'NULL::text AS id, NULL::text AS organization_id, NULL::text AS label, NULL::text AS value'),
        @extschema@._letta_import_indexable());
    PERFORM @extschema@._letta_import_existing('letta_import_blocks', '@extschema@.letta_blocks');

    -- The links, each between two rows of this import in one organization.
    PERFORM @extschema@._letta_import_links(source, 'identities_agents', 'identity_id', 'letta_import_identities',
                                            'agent_id', 'letta_import_agents');
    PERFORM @extschema@._letta_import_links(source, 'identities_blocks', 'identity_id', 'letta_import_identities',
                                            'block_id', 'letta_import_blocks');
    PERFORM @extschema@._letta_import_links(source, 'blocks_agents', 'agent_id', 'letta_import_agents',
                                            'block_id', 'letta_import_blocks', 'label');
    -- One block per label in an agent: the first created keeps it.
    UPDATE pg_temp.letta_import_blocks_agents s
       SET problem = 'label taken in the agent', detail = d.label || ' is ' || d.first || '''s'
      FROM (SELECT l.source_id, b.label, pg_catalog.first_value(b.source_id) OVER w AS first,
                   pg_catalog.row_number() OVER w AS nth
              FROM pg_temp.letta_import_blocks_agents l
              JOIN pg_temp.letta_import_blocks b ON b.source_id = l.right_source
             WHERE l.problem IS NULL
            WINDOW w AS (PARTITION BY l.org, l.left_id, b.label ORDER BY b.created_at, b.source_id)) d
     WHERE d.nth > 1 AND s.source_id = d.source_id;
    UPDATE pg_temp.letta_import_blocks_agents s
       SET problem = 'label taken in the agent', detail = t.block_label || ' is block-' || t.block_id || '''s'
      FROM @extschema@.letta_blocks_agents t
     WHERE t.organization_id = s.org AND t.agent_id = s.left_id AND t.block_label = s.label
       AND t.block_id <> s.right_id AND s.problem IS NULL AND NOT s.present;

    -- The writes, in creation order.
    INSERT INTO @extschema@.letta_identities (organization_id, id, identifier_key, name, identity_type,
                                              project_id, properties, created_at, updated_at)
    SELECT s.org, s.id, s.identifier_key, s.name, s.identity_type, s.project_id, s.kept_properties,
           coalesce(s.created_at, s.updated_at, pg_catalog.statement_timestamp()),
           coalesce(s.updated_at, s.created_at, pg_catalog.statement_timestamp())
      FROM pg_temp.letta_import_identities s
     WHERE s.problem IS NULL AND NOT s.present
     ORDER BY 8, s.id;
    -- (hidden: Letta's backfill hid the agents tagged role:subagent, as the update to 0.5.0 does.)
    INSERT INTO @extschema@.letta_agents (organization_id, id, name, tags, project_id, model, embedding,
                                          context_window_limit, metadata, hidden, created_at, updated_at)
    SELECT s.org, s.id, s.name, s.tags, s.project_id,
           s.llm_config ->> 'handle', s.embedding_config ->> 'handle', s.context_window_limit,
           CASE WHEN s.metadata IS NULL THEN '{}'
                WHEN jsonb_typeof(s.metadata) = 'object' THEN s.metadata
                ELSE jsonb_build_object('value', s.metadata) END,
           coalesce(s.hidden, 'role:subagent' = ANY (s.tags)),
           coalesce(s.created_at, s.updated_at, pg_catalog.statement_timestamp()),
           coalesce(s.updated_at, s.created_at, pg_catalog.statement_timestamp())
      FROM pg_temp.letta_import_agents s
     WHERE s.problem IS NULL AND NOT s.present
     ORDER BY 11, s.id;
    INSERT INTO @extschema@.letta_blocks (organization_id, id, label, value, "limit", description, metadata,
                                          created_at, updated_at, read_only, project_id, hidden, tags)
    SELECT s.org, s.id, s.label, coalesce(s.value, ''),
           coalesce(s.char_limit, @extschema@._letta_default_limit()),  -- (NULL: Letta's default)
           s.description,
           CASE WHEN s.metadata IS NULL THEN '{}'
                WHEN jsonb_typeof(s.metadata) = 'object' THEN s.metadata
                ELSE jsonb_build_object('value', s.metadata) END,
           coalesce(s.created_at, s.updated_at, pg_catalog.statement_timestamp()),
           coalesce(s.updated_at, s.created_at, pg_catalog.statement_timestamp()),
           coalesce(s.read_only, false), s.project_id, coalesce(s.hidden, false), s.tags
      FROM pg_temp.letta_import_blocks s
     WHERE s.problem IS NULL AND NOT s.present
     ORDER BY 8, s.id;
    INSERT INTO @extschema@.letta_identities_agents (organization_id, identity_id, agent_id)
    SELECT s.org, s.left_id, s.right_id FROM pg_temp.letta_import_identities_agents s
     WHERE s.problem IS NULL AND NOT s.present;
    INSERT INTO @extschema@.letta_identities_blocks (organization_id, identity_id, block_id)
    SELECT s.org, s.left_id, s.right_id FROM pg_temp.letta_import_identities_blocks s
     WHERE s.problem IS NULL AND NOT s.present;
    INSERT INTO @extschema@.letta_blocks_agents (organization_id, agent_id, block_id, block_label)
    SELECT s.org, s.left_id, s.right_id, s.label FROM pg_temp.letta_import_blocks_agents s
     WHERE s.problem IS NULL AND NOT s.present;

    -- The report: each table's rows; a tag is its agent's or block's (imported, present or
    -- skipped with it).
    PERFORM @extschema@._letta_import_report(r.kind, CASE WHEN r.owners IS NULL THEN 'pg_temp.' || r.staging ELSE pg_catalog.format($q$
        (SELECT pg_catalog.format('%%s %%L', g.owner, g.tag) AS source_id, g.copies, coalesce(o.present, false) AS present,
                CASE WHEN o.source_id IS NULL THEN 'missing ' || %3$L
                     WHEN o.problem IS NOT NULL THEN %3$L || ' not imported'
                     WHEN g.refusal IS NOT NULL THEN 'refused by the API''s checks (its ' || %3$L || ' is kept)' END AS problem,
                NULL::text AS note, g.refusal AS detail
           FROM pg_temp.%1$I g LEFT JOIN pg_temp.%2$I o ON o.source_id = g.owner)$q$, r.staging, r.owners, r.owner) END)
       FROM (VALUES (1, 'identities', 'letta_import_identities', NULL, NULL),
                    (2, 'agents', 'letta_import_agents', NULL, NULL),
                    (3, 'agents_tags', 'letta_import_tags', 'letta_import_agents', 'agent'),
                    (4, 'identities_agents', 'letta_import_identities_agents', NULL, NULL),
                    (5, 'block', 'letta_import_blocks', NULL, NULL),
                    (6, 'blocks_tags', 'letta_import_block_tags', 'letta_import_blocks', 'block'),
                    (7, 'identities_blocks', 'letta_import_identities_blocks', NULL, NULL),
                    (8, 'blocks_agents', 'letta_import_blocks_agents', NULL, NULL)) AS r(n, kind, staging, owners, owner)
      ORDER BY r.n;
END
$$;

-- A link table of the source staged: each distinct link with the ids of its two rows (left
-- and right, as staged) and why it cannot be imported, if so; present when it is here already.
-- carried: a column of the right row the link keeps (a block's label, for blocks_agents).
CREATE FUNCTION _letta_import_links(source name, source_table text, left_column text, left_staging text,
                                    right_column text, right_staging text, carried text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    target regclass := pg_catalog.format('@extschema@.letta_%s', source_table)::regclass;
    left_name text := pg_catalog.split_part(left_column, '_', 1);
    right_name text := pg_catalog.split_part(right_column, '_', 1);
BEGIN
    EXECUTE pg_catalog.format($q$
        CREATE TEMPORARY TABLE %1$I ON COMMIT DROP AS
        SELECT s.left_source || ' ' || s.right_source AS source_id, s.left_source, s.right_source, s.copies,
               l.org, l.id AS left_id, r.id AS right_id, %9$s false AS present, NULL::text AS note, NULL::text AS detail,
               CASE WHEN l.source_id IS NULL THEN 'missing %4$s'
                    WHEN r.source_id IS NULL THEN 'missing %5$s'
                    WHEN l.problem IS NOT NULL THEN '%4$s not imported'
                    WHEN r.problem IS NOT NULL THEN '%5$s not imported'
                    WHEN l.org <> r.org THEN 'across organizations' END AS problem
          FROM (SELECT s.%6$I::text AS left_source, s.%7$I::text AS right_source, count(*) AS copies
                  FROM %8$s GROUP BY 1, 2) s
          LEFT JOIN pg_temp.%2$I l ON l.source_id = s.left_source
          LEFT JOIN pg_temp.%3$I r ON r.source_id = s.right_source$q$,
        'letta_import_' || source_table, left_staging, right_staging, left_name, right_name,
        left_column, right_column,
        @extschema@._letta_import_table(source, source_table,
            pg_catalog.format('NULL::text AS %I, NULL::text AS %I', left_column, right_column)),
        CASE WHEN carried IS NOT NULL THEN pg_catalog.format('r.%1$I AS %1$I,', carried) END);
    EXECUTE pg_catalog.format($q$
        UPDATE pg_temp.%1$I s SET present = true
          FROM %2$s t
         WHERE t.organization_id = s.org AND t.%3$I = s.left_id AND t.%4$I = s.right_id AND s.problem IS NULL$q$,
        'letta_import_' || source_table, target, left_column, right_column);
    EXECUTE pg_catalog.format('ANALYZE pg_temp.%I', 'letta_import_' || source_table);
END
$$;
