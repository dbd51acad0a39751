-- letta_identity 0.4.0 -> 0.5.0 (released 2026-12-07): the query path, planned once per connection,
-- and tag pages bounded by the page size. Every read is PL/pgSQL with generic plans, its
-- statements of fixed shape with the organization as a value; the lists choose among them per
-- call. New: the ordered tag index letta_agents_tags (one row per agent and tag, in list
-- order), kept by statement triggers on letta_agents and filled here from the agents.
-- letta_create_agents takes its accepted keys from letta_create_agent's arguments.
-- New for scaling out on Citus: letta_distribute() and letta_drop_distributed_tables(); the
-- tag index's triggers write the colocated shard when they fire on a worker.
-- Rows are shaped by views (_letta_identities_shown, _letta_agents_shown,
-- _letta_blocks_shown) instead of SQL functions taking a row. A binding deleted takes its
-- grants back at commit, as one written gives them (the trigger fires on DELETE too).
-- Rows written in one transaction keep their order: created_at and updated_at are write
-- stamps (the transaction's start plus a microsecond per earlier write in it), not now(); the
-- lists' indexes are ascending, so that those writes append. New: letta_forget_identity, an
-- end user forgotten in one call (with the agents and blocks that were theirs alone); facets:
-- letta_count_agents_by_tag and letta_count_by_identity. letta_list_tags takes Letta's name for
-- its filter (name) and lists descending too (ascending => false). letta_identity_blocks
-- returns pages (before, after, page_size, default 50, ascending), as the other lists.
-- Agents' memory as Letta has it: blocks linked to agents (letta_blocks_agents, one block per
-- label in an agent), attached and detached, listed both ways, and an agent's whole memory with
-- its identities' blocks; read_only blocks (a new column, last in letta_block). An agent's
-- memory_blocks are blocks now: letta_create_agent(s) makes a block of each (and takes
-- block_ids, existing blocks), letta_update_agent updates them by label; agents' inline memory
-- becomes blocks here, and the column letta_agents.memory_blocks goes. The block list with
-- Letta's filters, letta_list_blocks (and its page and count); blocks get project_id, hidden
-- and tags (columns and fields, last in letta_block), set by letta_create_block and
-- letta_update_block, and indexes by label and by tag. A new agent tagged role:subagent is
-- hidden (Letta's rule; agents already tagged are hidden here, as Letta's migration did);
-- letta_list_tags lists blocks' tags too; the agent and identity lists take order_by
-- (created_at or updated_at, on new indexes by updated_at). End users: a transaction that sets
-- letta.identifier_key sees and writes that end user's rows only (row-level security, and the
-- lists narrowed to them); letta_require_end_user makes a role name one in each transaction.
-- The import from a Letta database: letta_import_from_letta (administrators).
-- Letta's rules (its last release): the import keeps every row Letta shows (noting what the API
-- would refuse); a block's limit is advisory (default 100000, set on blocks without one);
-- read_only is for agents' own tools (the API updates such blocks); deleting an agent keeps its
-- blocks (delete_blocks => true removes the unshared ones); letta_update_agent takes block_ids;
-- attaching and detaching a block stamps the agent; detaching one that is not attached is
-- P0002; an identity's and a block's agents include hidden ones; new human and persona blocks
-- get default descriptions; blocks list oldest first, label_search yields to label, and a
-- tag list's name wins over query_text.
-- Security (README, Security model): every function that runs with more rights than its caller,
-- and every administrator's, runs with search_path pinned; no role may call the triggers'
-- functions, which fire on letta_agents only; bindings follow the role, not its name; the
-- tag filters' GIN indexes are keyed by organization (btree_gin is required: CREATE EXTENSION
-- btree_gin before this update); end users cannot move each other's links.
-- Drafted by scripts/upgrade-draft 0.4.0.
-- Added: _letta_agent_kept, _letta_check_agents, _letta_agents_tags_delete, _letta_agents_tags_insert, _letta_last_stamp,
-- Added: _letta_agents_tags_truncate, _letta_agents_tags_update, _letta_all_tags_page,
-- Added: _letta_citus_tables, _letta_identity_kept, _letta_insert_rows, _letta_linked_filter, _letta_page_bounds,
-- Added: _letta_prepare_for_citus, _letta_recent_identities, _letta_recent_page,
-- Added: _letta_stamp, _letta_tag_entries, _letta_tag_page, _letta_tags_shard, _letta_tenant_tables,
-- Added: _letta_two_tags_page, letta_agent_blocks, letta_agent_memory, letta_attach_agent_block,
-- Added: letta_block_agents, letta_count_agents_by_tag, letta_count_by_identity,
-- Added: letta_detach_agent_block, letta_distribute, letta_drop_distributed_tables,
-- Added: letta_forget_identity, letta_get_agent_block.
-- Added: _letta_check_memory_block, _letta_memory_block, _letta_unshared_blocks, _letta_write_memory.
-- Added: _letta_agents_count_cap, _letta_agents_count_kept, _letta_block_kept,
-- Added: _letta_linked_blocks, _letta_linked_blocks_filter, _letta_recent_blocks, letta_count_blocks,
-- Added: letta_list_blocks, letta_list_blocks_page, _letta_agent_with, _letta_identity_object,
-- Added: _letta_property_filters, _letta_agent_filters, _letta_created_hidden, _letta_by_update,
-- Added: _letta_end_user, _letta_end_user_identities, _letta_end_user_agents, _letta_end_user_blocks,
-- Added: _letta_end_user_wrote, _letta_written_here, letta_require_end_user.
-- Added: _letta_import_id, _letta_import_refusal, _letta_import_tags_refusal, _letta_import_note,
-- Added: _letta_import_indexable, _letta_import_properties,
-- Added: _letta_import_column, _letta_import_table, _letta_import_report, _letta_import_rows,
-- Added: _letta_import_links, _letta_import_existing, letta_import_from_letta.
-- Added: _letta_for_apps, _letta_import_check_source, _letta_import_check_table.
-- Added: _letta_default_limit, _letta_default_description, _letta_set_memory, _letta_lock_agent_for_stamp.
-- Changed: _letta_cursor_at, _letta_grant, _letta_grant_binding, _letta_link, _letta_linked_agents, letta_add_agent_tags,
-- Changed: letta_agents_by_key, letta_attach_agent, letta_attach_block, letta_blocks_by_key,
-- Changed: letta_count_agents, letta_count_identities, letta_create_agent, letta_create_agents,
-- Changed: letta_create_block, letta_create_identity, letta_current_organization,
-- Changed: letta_delete_agent, letta_delete_block, letta_delete_identity, letta_detach_agent,
-- Changed: letta_detach_block, letta_get_agent, letta_get_block, letta_get_identity,
-- Changed: letta_identity_agents, letta_identity_blocks, letta_list_agents, letta_list_agents_page,
-- Changed: letta_list_identities, letta_list_identities_page, letta_list_tags,
-- Changed: letta_remove_agent_tags, letta_update_agent, letta_update_block, letta_update_identity,
-- Changed: letta_upsert_identity, letta_upsert_identity_properties, letta_unbind_role.
-- Changed: letta_bind_role, letta_allow_switching.
-- Removed: _letta_agent_out, _letta_agent_row, _letta_agents_matching, _letta_block_out,
-- Removed: _letta_block_row, _letta_identities_matching, _letta_identity_out, _letta_identity_row,
-- Removed: _letta_property_filter.
\echo Use "ALTER EXTENSION letta_identity UPDATE TO '0.5.0'" to load this file. \quit

-- Write stamps for created_at and updated_at (schema.sql, src/stamps.rs). Rows already there
-- keep their times, and so their order.
CREATE FUNCTION _letta_stamp() RETURNS timestamptz
VOLATILE PARALLEL UNSAFE LANGUAGE c AS 'MODULE_PATHNAME', '_letta_stamp_wrapper';
CREATE FUNCTION _letta_last_stamp() RETURNS timestamptz
VOLATILE PARALLEL UNSAFE LANGUAGE c AS 'MODULE_PATHNAME', '_letta_last_stamp_wrapper';
REVOKE EXECUTE ON FUNCTION _letta_stamp() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION _letta_last_stamp() FROM PUBLIC;
-- letta_create_agents' elements, checked in one pass before anything is written (src/input.rs).
CREATE FUNCTION "_letta_check_agents"(
	"agents" jsonb, /* Option < JsonArg > */
	"known" TEXT[] /* Option < Array < & str > > */
) RETURNS bool
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_check_agents_wrapper';
REVOKE EXECUTE ON FUNCTION _letta_check_agents(jsonb, text[]) FROM PUBLIC;
-- An agent's memory_blocks element that updates a block, against the limit it will have.
CREATE FUNCTION "_letta_check_memory_block"(
	"label" TEXT, /* Option < & str > */
	"value" TEXT, /* Option < & str > */
	"char_limit" INT /* Option < i32 > */
) RETURNS void
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_check_memory_block_wrapper';
REVOKE EXECUTE ON FUNCTION _letta_check_memory_block(text, text, integer) FROM PUBLIC;
-- The identity lists' property conditions, all together (src/input.rs).
CREATE FUNCTION "_letta_property_filters"(
	"key" TEXT, /* Option < & str > */
	"value" jsonb, /* Option < JsonArg > */
	"properties" jsonb /* Option < JsonArg > */
) RETURNS jsonb /* Option < JsonB > */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_property_filters_wrapper';
REVOKE EXECUTE ON FUNCTION _letta_property_filters(text, jsonb, jsonb) FROM PUBLIC;
DROP FUNCTION _letta_property_filter(text, jsonb);  -- (folded into _letta_property_filters)
-- order_by of the agent and identity lists (src/input.rs).
CREATE FUNCTION "_letta_by_update"(
	"order_by" TEXT /* Option < & str > */
) RETURNS bool
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_by_update_wrapper';
REVOKE EXECUTE ON FUNCTION _letta_by_update(text) FROM PUBLIC;
-- The import from a Letta database: Letta's ids, and what the API would say of a value (src/import.rs).
CREATE FUNCTION "_letta_import_id"(
	"id" TEXT, /* & str */
	"prefix" TEXT /* & str */
) RETURNS uuid /* Option < PgUuid > */
IMMUTABLE STRICT PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_import_id_wrapper';
REVOKE EXECUTE ON FUNCTION _letta_import_id(text, text) FROM PUBLIC;
CREATE FUNCTION "_letta_import_refusal"(
	"arg" TEXT, /* Option < & str > */
	"value" TEXT /* Option < & str > */
) RETURNS TEXT /* Option < String > */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_import_refusal_wrapper';
REVOKE EXECUTE ON FUNCTION _letta_import_refusal(text, text) FROM PUBLIC;
CREATE FUNCTION "_letta_import_tags_refusal"(
	"tags" TEXT[] /* :: std :: option :: Option < Array < & str > > */
) RETURNS TEXT /* Option < String > */
IMMUTABLE PARALLEL SAFE
LANGUAGE c /* Rust */
AS 'MODULE_PATHNAME', '_letta_import_tags_refusal_wrapper';
REVOKE EXECUTE ON FUNCTION _letta_import_tags_refusal(text[]) FROM PUBLIC;
ALTER TABLE letta_identities ALTER COLUMN created_at SET DEFAULT _letta_stamp(),
                             ALTER COLUMN updated_at SET DEFAULT _letta_last_stamp();
ALTER TABLE letta_agents ALTER COLUMN created_at SET DEFAULT _letta_stamp(),
                         ALTER COLUMN updated_at SET DEFAULT _letta_last_stamp();
ALTER TABLE letta_blocks ALTER COLUMN created_at SET DEFAULT _letta_stamp(),
                         ALTER COLUMN updated_at SET DEFAULT _letta_last_stamp();
-- The tables hold what Letta holds (the import keeps it; the API's checks are the functions'):
-- no CHECK on empty keys, names, labels or projects. A block's limit is advisory, as in Letta,
-- and 100000 when none is given (set on the blocks without one below, after the inline memory).
CREATE FUNCTION _letta_default_limit() RETURNS integer
IMMUTABLE PARALLEL SAFE LANGUAGE sql RETURN 100000;
REVOKE EXECUTE ON FUNCTION _letta_default_limit() FROM PUBLIC;
ALTER TABLE letta_identities DROP CONSTRAINT letta_identities_identifier_key_check,
                             DROP CONSTRAINT letta_identities_name_check,
                             DROP CONSTRAINT letta_identities_project_id_check;
ALTER TABLE letta_agents DROP CONSTRAINT letta_agents_project_id_check;
ALTER TABLE letta_blocks DROP CONSTRAINT letta_blocks_label_check,
                         DROP CONSTRAINT letta_blocks_check,  -- ("limit" and value)
                         ALTER COLUMN "limit" SET DEFAULT _letta_default_limit();
-- The lists' indexes become ascending: writes stamped in order append at their right end.
DROP INDEX letta_identities_created_idx;
CREATE INDEX letta_identities_created_idx ON letta_identities (organization_id, created_at, id);
DROP INDEX letta_agents_created_idx;
CREATE INDEX letta_agents_created_idx ON letta_agents (organization_id, created_at, id);
-- order_by => 'updated_at' on the agent and identity lists.
CREATE INDEX letta_agents_updated_idx ON letta_agents (organization_id, updated_at, id);
CREATE INDEX letta_identities_updated_idx ON letta_identities (organization_id, updated_at, id);
DROP INDEX letta_blocks_created_idx;
CREATE INDEX letta_blocks_created_idx ON letta_blocks (organization_id, created_at, id);

-- The tag filters' GIN index is keyed by organization first (btree_gin, now required), as
-- every index of the tenant tables: keyed by tag alone, a bound role's EXPLAIN ANALYZE counted
-- other organizations' rows with a tag (tags.sql).
DROP INDEX letta_agents_tags_idx;
CREATE INDEX letta_agents_tags_idx ON letta_agents USING gin (organization_id, tags letta_tags_ops) WITH (fastupdate = off);

-- The ordered tag index: a new table, kept by triggers (created below, after the functions).
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
ALTER TABLE letta_agents_tags ENABLE ROW LEVEL SECURITY;
CREATE POLICY letta_organization ON letta_agents_tags
    USING (organization_id = (SELECT @extschema@._letta_org()));
-- Agents' memory as Letta has it: blocks linked to agents (schema.sql), read_only blocks.
ALTER TABLE letta_blocks ADD COLUMN read_only boolean NOT NULL DEFAULT false,
                         ADD CONSTRAINT letta_blocks_label_key UNIQUE (organization_id, id, label);
-- The block list's filters (letta_list_blocks): project, hidden, tags; by label, by tag.
ALTER TABLE letta_blocks ADD COLUMN project_id text,
                         ADD COLUMN hidden boolean NOT NULL DEFAULT false,
                         ADD COLUMN tags text[] NOT NULL DEFAULT '{}'
                             CHECK (array_position(tags, NULL) IS NULL AND coalesce(array_ndims(tags), 1) = 1);
CREATE INDEX letta_blocks_label_idx ON letta_blocks (organization_id, label, created_at, id);
CREATE INDEX letta_blocks_tags_idx ON letta_blocks USING gin (organization_id, tags letta_tags_ops) WITH (fastupdate = off);
CREATE INDEX letta_blocks_tagged_idx ON letta_blocks (organization_id) WHERE tags <> '{}';
COMMENT ON TABLE letta_blocks IS
'Memory blocks that identities and agents share (Letta''s blocks); "limit" is the number of characters value should keep to (advisory, as in Letta); read_only is for the agents'' own memory tools (the API changes such a block); tags a set, as agents''.';
CREATE TABLE letta_blocks_agents (
    organization_id uuid NOT NULL,
    agent_id        uuid NOT NULL,
    block_id        uuid NOT NULL,
    block_label     text NOT NULL,
    CONSTRAINT letta_blocks_agents_pkey PRIMARY KEY (organization_id, agent_id, block_id),
    CONSTRAINT letta_blocks_agents_label_unique UNIQUE (organization_id, agent_id, block_label),
    CONSTRAINT letta_blocks_agents_agent_fkey FOREIGN KEY (organization_id, agent_id)
        REFERENCES letta_agents (organization_id, id) ON DELETE CASCADE,
    CONSTRAINT letta_blocks_agents_block_fkey FOREIGN KEY (organization_id, block_id, block_label)
        REFERENCES letta_blocks (organization_id, id, label) ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED
);
COMMENT ON TABLE letta_blocks_agents IS
'Which blocks are in which agents'' memory (many to many), with the block''s label: one block per label in an agent; both rows in the same organization.';
CREATE INDEX letta_blocks_agents_block_idx
    ON letta_blocks_agents (organization_id, block_id, agent_id);
SELECT pg_catalog.pg_extension_config_dump('letta_blocks_agents', '');
ALTER TABLE letta_blocks_agents ENABLE ROW LEVEL SECURITY;
CREATE POLICY letta_organization ON letta_blocks_agents
    USING (organization_id = (SELECT @extschema@._letta_org()));
-- Fields added to a result type go last, so that callers reading them by position still can.
ALTER TYPE letta_agent ADD ATTRIBUTE identities jsonb;
-- The agent lists' tag filters, normalized (agents.sql).
CREATE TYPE _letta_agent_filters AS (wanted text[], match_all_tags boolean, exclude_tags text[],
                                     all_tags text[]);
COMMENT ON TYPE _letta_agent_filters IS 'The agent lists'' tag filters, normalized (_letta_agent_filters).';
COMMENT ON TYPE letta_agent IS
'An agent as the functions return it: Letta''s JSON field order (fields added since 0.4.0 last), text ids (agent-<uuid>).';
ALTER TYPE letta_block ADD ATTRIBUTE read_only boolean, ADD ATTRIBUTE project_id text, ADD ATTRIBUTE hidden boolean,
                      ADD ATTRIBUTE tags text[];
COMMENT ON TYPE letta_block IS
'A block as the functions return it: Letta''s JSON field order (fields added since 0.4.0 last), text ids (block-<uuid>).';

-- No planner statistics on what the tenant tables hold (tenancy.sql): set before the data moves below,
-- whose deferred checks would leave the tables unalterable until commit.
DO $$
DECLARE
    t regclass;
    c name;
BEGIN
    FOREACH t IN ARRAY ARRAY['letta_identities', 'letta_agents_tags', 'letta_agents', 'letta_identities_agents',
                             'letta_blocks', 'letta_identities_blocks', 'letta_blocks_agents']::regclass[] LOOP
        FOR c IN SELECT a.attname FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = t AND a.attnum > 0 AND NOT a.attisdropped
                    AND a.atttypid NOT IN ('pg_catalog.uuid'::pg_catalog.regtype,
                                           'pg_catalog.timestamptz'::pg_catalog.regtype) AND a.attname <> 'memory_blocks'
                  ORDER BY a.attnum LOOP
            EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET STATISTICS 0', t, c);
        END LOOP;
    END LOOP;
END
$$;

-- Agents' inline memory (letta_agents.memory_blocks) becomes blocks in their memory, nothing
-- lost: label, value, limit, description (a string) and read_only (a boolean) become the
-- block's columns; metadata (an object) and every other key its metadata (metadata's own keys
-- win), as letta_create_agent now does; a key whose value does not fit its column (a limit past
-- integer) is kept in the metadata under its name. The blocks are stamped with the agent's
-- times, a microsecond apart in the list's order. Only what the API wrote can become blocks
-- (a label, once per agent, and a string value within its limit): a row written to the table
-- otherwise stops the update, naming the agent, for an administrator to mend first.
DO $$
DECLARE
    bad record;
BEGIN
    SELECT a.organization_id, a.id, e.n - 1 AS n INTO bad
      FROM letta_agents a, jsonb_array_elements(a.memory_blocks) WITH ORDINALITY AS e(block, n)
     WHERE jsonb_typeof(e.block) IS DISTINCT FROM 'object'
        OR jsonb_typeof(e.block->'label') IS DISTINCT FROM 'string' OR e.block->>'label' = ''
        OR jsonb_typeof(e.block->'value') IS DISTINCT FROM 'string'
        OR (jsonb_typeof(e.block->'limit') = 'number' AND (e.block->>'limit') ~ '^[0-9]{1,10}$'
            AND (e.block->>'limit')::bigint <= 2147483647
            AND char_length(e.block->>'value') > (e.block->>'limit')::bigint)
        OR EXISTS (SELECT FROM jsonb_array_elements(a.memory_blocks) WITH ORDINALITY AS o(block, n)
                    WHERE o.n < e.n AND o.block->'label' = e.block->'label')
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'agent "agent-%" (organization "org-%") has a memory block that cannot become a block: memory_blocks[%]',
                        bad.id, bad.organization_id, bad.n
              USING ERRCODE = 'invalid_parameter_value',
                    DETAIL = 'A memory block needs a non-empty string label, unique in the agent, and a string value within its limit.',
                    HINT = 'Mend that element with UPDATE letta_agents, then update the extension again.';
    END IF;
END
$$;
WITH element AS MATERIALIZED (
    SELECT a.organization_id, a.id AS agent_id, gen_random_uuid() AS block_id, e.block AS b,
           jsonb_typeof(e.block->'limit') = 'number' AND (e.block->>'limit') ~ '^[0-9]{1,10}$'
               AND (e.block->>'limit')::bigint BETWEEN 1 AND 2147483647 AS has_limit,
           a.created_at + (e.n - 1) * interval '1 microsecond' AS created_at, a.updated_at
      FROM letta_agents a, jsonb_array_elements(a.memory_blocks) WITH ORDINALITY AS e(block, n)
), block AS (
    INSERT INTO letta_blocks (organization_id, id, label, value, "limit", description, metadata,
                              created_at, updated_at, read_only)
    SELECT x.organization_id, x.block_id, x.b->>'label', x.b->>'value',
           CASE WHEN x.has_limit THEN (x.b->>'limit')::integer END,
           CASE WHEN jsonb_typeof(x.b->'description') = 'string' THEN x.b->>'description' END,
           (x.b - ARRAY['label', 'value']
                - CASE WHEN x.has_limit OR jsonb_typeof(x.b->'limit') = 'null' THEN ARRAY['limit'] ELSE '{}' END
                - CASE WHEN jsonb_typeof(x.b->'description') IN ('string', 'null') THEN ARRAY['description'] ELSE '{}' END
                - CASE WHEN jsonb_typeof(x.b->'read_only') IN ('boolean', 'null') THEN ARRAY['read_only'] ELSE '{}' END
                - CASE WHEN jsonb_typeof(x.b->'metadata') IN ('object', 'null') THEN ARRAY['metadata'] ELSE '{}' END)
           || CASE WHEN jsonb_typeof(x.b->'metadata') = 'object' THEN x.b->'metadata' ELSE '{}' END,
           x.created_at, greatest(x.created_at, x.updated_at),
           coalesce(CASE WHEN jsonb_typeof(x.b->'read_only') = 'boolean' THEN (x.b->'read_only')::boolean END, false)
      FROM element x
)
INSERT INTO letta_blocks_agents (organization_id, agent_id, block_id, block_label)
SELECT x.organization_id, x.agent_id, x.block_id, x.b->>'label' FROM element x;
ALTER TABLE letta_agents DROP COLUMN memory_blocks;
UPDATE letta_blocks SET "limit" = _letta_default_limit() WHERE "limit" IS NULL;
ALTER TABLE letta_blocks ALTER COLUMN "limit" SET NOT NULL;
COMMENT ON TABLE letta_agents IS
'Agents (Letta''s agents) with their tags, a set of text kept sorted; their memory is blocks (letta_blocks_agents).';

-- A new agent tagged role:subagent is hidden (agents.sql).
CREATE FUNCTION _letta_created_hidden(tags text[], hidden boolean)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(hidden, false) OR coalesce('role:subagent' = ANY (tags), false);
REVOKE EXECUTE ON FUNCTION _letta_created_hidden(text[], boolean) FROM PUBLIC;

-- An identity as an agent's identities shows it (Letta 1.0's AgentState.identities): every field
-- of Letta's Identity, agent_ids and block_ids empty as Letta's are (the identity's own row,
-- letta_get_identity, has its links; reading them per identity here cost a Citus list 45%).
CREATE FUNCTION _letta_identity_object(id uuid, identifier_key text, name text, identity_type text,
                                       project_id text, organization_id uuid, properties jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN jsonb_build_object('id', 'identity-' || id::text, 'identifier_key', identifier_key, 'name', name,
                          'identity_type', identity_type, 'project_id', project_id,
                          'agent_ids', '[]'::jsonb, 'block_ids', '[]'::jsonb,
                          'organization_id', 'org-' || organization_id::text, 'properties', properties);

REVOKE EXECUTE ON FUNCTION _letta_identity_object(uuid, text, text, text, text, uuid, jsonb) FROM PUBLIC;

-- A block as an agent's memory_blocks shows it: Letta's block fields, without its links.
CREATE FUNCTION _letta_memory_block(id uuid, label text, value text, block_limit integer,
                                    description text, metadata jsonb, read_only boolean)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN jsonb_build_object('id', 'block-' || id::text, 'label', label, 'value', value,
                          'limit', block_limit, 'description', description,
                          'metadata', metadata, 'read_only', read_only);
REVOKE EXECUTE ON FUNCTION _letta_memory_block(uuid, text, text, integer, text, jsonb, boolean) FROM PUBLIC;

-- The rows as callers see them, as views: a statement that reads one is still one statement
-- over the tables (the planner expands the view, the link arrays become subqueries of the
-- statement); a SQL function taking a row, or reading a table, is refused by Citus.
-- security_invoker: the caller's privileges and row-level security. (On Citus,
-- _letta_prepare_for_citus in citus.sql replaces them with joins grouped by the row's key,
-- which Citus routes to one shard; on one node those cost a sort and an aggregate per call.)
CREATE VIEW _letta_identities_shown WITH (security_invoker = true) AS
SELECT i.organization_id, i.id, i.created_at,
       ROW('identity-' || i.id::text,
           i.identifier_key,
           i.name,
           i.identity_type,
           i.project_id,
           ARRAY(SELECT 'agent-' || l.agent_id::text
                   FROM @extschema@.letta_identities_agents l
                  WHERE l.organization_id = i.organization_id AND l.identity_id = i.id
                  ORDER BY l.agent_id),
           ARRAY(SELECT 'block-' || l.block_id::text
                   FROM @extschema@.letta_identities_blocks l
                  WHERE l.organization_id = i.organization_id AND l.identity_id = i.id
                  ORDER BY l.block_id),
           'org-' || i.organization_id::text,
           i.properties,
           i.created_at,
           i.updated_at)::@extschema@.letta_identity AS shown
  FROM @extschema@.letta_identities i;
COMMENT ON VIEW _letta_identities_shown IS 'Identities as the functions return them (shown), by organization and id.';

CREATE VIEW _letta_agents_shown WITH (security_invoker = true) AS
SELECT a.organization_id, a.id, a.created_at, a.hidden,
       ROW('agent-' || a.id::text,
           a.name,
           a.tags,
           ARRAY(SELECT 'identity-' || l.identity_id::text
                   FROM @extschema@.letta_identities_agents l
                  WHERE l.organization_id = a.organization_id AND l.agent_id = a.id
                  ORDER BY l.identity_id),
           a.project_id,
           'org-' || a.organization_id::text,
           a.model,
           a.embedding,
           a.context_window_limit,
           NULL::jsonb,  -- memory_blocks: the column memory, where it is asked for
           a.metadata,
           a.hidden,
           a.created_at,
           a.updated_at,
           NULL::jsonb)::@extschema@.letta_agent AS shown,  -- identities: the column identities
       -- Its memory: the blocks linked to it, as Letta's blocks, oldest first. A column of its
       -- own: a query that does not read it does not compute it (a probe and a sort per agent,
       -- 35% of a list's time at 1M agents).
       (SELECT coalesce(jsonb_agg(@extschema@._letta_memory_block(b.id, b.label, b.value, b."limit", b.description,
                                                                  b.metadata, b.read_only)
                                  ORDER BY b.created_at, b.id), '[]')
          FROM @extschema@.letta_blocks_agents l
          JOIN @extschema@.letta_blocks b ON b.organization_id = l.organization_id AND b.id = l.block_id
         WHERE l.organization_id = a.organization_id AND l.agent_id = a.id) AS memory,
       -- Its identities, whole (Letta 1.0), in identity_ids' order: read only where asked, too.
       (SELECT coalesce(jsonb_agg(@extschema@._letta_identity_object(i.id, i.identifier_key, i.name, i.identity_type,
                                                                      i.project_id, i.organization_id, i.properties)
                                  ORDER BY i.id), '[]')
          FROM @extschema@.letta_identities_agents l
          JOIN @extschema@.letta_identities i ON i.organization_id = l.organization_id AND i.id = l.identity_id
         WHERE l.organization_id = a.organization_id AND l.agent_id = a.id) AS identities
  FROM @extschema@.letta_agents a;
COMMENT ON VIEW _letta_agents_shown IS 'Agents as the functions return them (shown, memory_blocks and identities NULL), by organization and id, with their memory (memory) and identities (identities).';

-- An agent with its memory_blocks and identities set (the view's shown, memory and identities
-- made one row); NULL leaves a field NULL.
CREATE FUNCTION _letta_agent_with(agent @extschema@.letta_agent, memory jsonb, identities jsonb)
RETURNS @extschema@.letta_agent
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$
BEGIN
    agent.memory_blocks := memory;
    agent.identities := identities;
    RETURN agent;
END
$$;
REVOKE EXECUTE ON FUNCTION _letta_agent_with(letta_agent, jsonb, jsonb) FROM PUBLIC;

CREATE VIEW _letta_blocks_shown WITH (security_invoker = true) AS
SELECT b.organization_id, b.id, b.created_at,
       ROW('block-' || b.id::text,
           b.label,
           b.value,
           b."limit",
           b.description,
           b.metadata,
           ARRAY(SELECT 'identity-' || l.identity_id::text
                   FROM @extschema@.letta_identities_blocks l
                  WHERE l.organization_id = b.organization_id AND l.block_id = b.id
                  ORDER BY l.identity_id),
           'org-' || b.organization_id::text,
           b.created_at,
           b.updated_at,
           b.read_only,
           b.project_id,
           b.hidden,
           b.tags)::@extschema@.letta_block AS shown
  FROM @extschema@.letta_blocks b;
COMMENT ON VIEW _letta_blocks_shown IS 'Blocks as the functions return them (shown), by organization and id.';

DROP FUNCTION @extschema@._letta_identity_out(i letta_identities);
DROP FUNCTION @extschema@._letta_agent_out(a letta_agents);
DROP FUNCTION @extschema@._letta_block_out(b letta_blocks);
DROP FUNCTION @extschema@._letta_identity_row(org uuid, identity uuid);
DROP FUNCTION @extschema@._letta_agent_row(org uuid, agent uuid);
DROP FUNCTION @extschema@._letta_block_row(org uuid, block uuid);
DROP FUNCTION @extschema@._letta_identities_matching(name text, project_id text, identifier_key text, identity_type text, property_key text, property_value jsonb);
DROP FUNCTION @extschema@._letta_agents_matching(tags text[], match_all_tags boolean, identifier_keys text[], identity_id text, name text, query_text text, project_id text, include_hidden boolean);
CREATE OR REPLACE FUNCTION _letta_page_bounds(kind text, before text, after text, ascending boolean,
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

CREATE OR REPLACE FUNCTION _letta_linked_agents(identifier_keys text[], identity uuid)
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

CREATE OR REPLACE FUNCTION _letta_link(org uuid, kind text, identity_ids uuid[], ids uuid[])
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

CREATE OR REPLACE FUNCTION _letta_agents_tags_insert()
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

CREATE OR REPLACE FUNCTION _letta_agents_tags_update()
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

CREATE OR REPLACE FUNCTION _letta_agents_tags_delete()
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

CREATE OR REPLACE FUNCTION _letta_agents_tags_truncate()
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
    IF cardinality(@extschema@._letta_citus_tables()) > 0 THEN
        RETURN NULL;
    END IF;
    TRUNCATE @extschema@.letta_agents_tags;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION letta_add_agent_tags(agent_id text, tags text[])
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

CREATE OR REPLACE FUNCTION letta_remove_agent_tags(agent_id text, tags text[])
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

-- New arguments (name, ascending): a new signature.
DROP FUNCTION letta_list_tags(text, text, text, integer);
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

CREATE OR REPLACE FUNCTION letta_create_identity(
    identifier_key text,
    name           text,
    identity_type  text   DEFAULT 'user',
    project_id     text   DEFAULT NULL,
    agent_ids      text[] DEFAULT '{}',
    properties     jsonb  DEFAULT '[]',
    block_ids      text[] DEFAULT '{}'
)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org    uuid   := @extschema@._letta_org();
    agents uuid[] := @extschema@._letta_uuids(agent_ids, 'agent', 'agent_ids');
    blocks uuid[] := @extschema@._letta_uuids(block_ids, 'block', 'block_ids');
    new_id uuid   := gen_random_uuid();
    -- Shown ids computed here: Citus refuses a subquery in an INSERT (its RETURNING included).
    agents_out text[] := ARRAY(SELECT 'agent-' || x FROM unnest(agents) x);
    blocks_out text[] := ARRAY(SELECT 'block-' || x FROM unnest(blocks) x);
    result @extschema@.letta_identity;
BEGIN
    -- The input checks as assignments, not inside the INSERT: an error's context is then this
    -- function's line, not the statement's text.
    identifier_key := @extschema@._letta_required(identifier_key, 'identifier_key');
    name := @extschema@._letta_required(name, 'name');
    identity_type := @extschema@._letta_identity_type(identity_type);
    project_id := @extschema@._letta_project_id(project_id);
    properties := @extschema@._letta_properties(properties);
    -- As letta_create_agent: the result is built from what was written, not read back.
    INSERT INTO @extschema@.letta_identities AS i
           (organization_id, id, identifier_key, name, identity_type, project_id, properties)
    VALUES (org, new_id, identifier_key, name, identity_type, project_id, properties)
    ON CONFLICT ON CONSTRAINT letta_identities_key_unique DO NOTHING
    -- (::text: uuid || text is only STABLE, and Citus wants IMMUTABLE in RETURNING.)
    RETURNING 'identity-' || i.id::text, i.identifier_key, i.name, i.identity_type, i.project_id,
              agents_out, blocks_out, 'org-' || i.organization_id::text, i.properties, i.created_at, i.updated_at
         INTO result;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'identity with identifier_key "%" already exists in %', identifier_key,
              coalesce('project "' || project_id || '"', 'no project')
              USING ERRCODE = 'unique_violation';
    END IF;
    IF cardinality(agents) > 0 THEN
        PERFORM @extschema@._letta_link(org, 'agent', ARRAY[new_id], agents);
    END IF;
    IF cardinality(blocks) > 0 THEN
        PERFORM @extschema@._letta_link(org, 'block', ARRAY[new_id], blocks);
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_create_identity(text, text, text, text, text[], jsonb, text[]) IS
'Create an identity (one of the app''s users or orgs) in the current organization, linked to agent_ids and block_ids. 23505 if identifier_key exists in the project.';

CREATE OR REPLACE FUNCTION letta_get_identity(identity_id text)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org      uuid := @extschema@._letta_org();
    identity uuid := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
    result   @extschema@.letta_identity;
BEGIN
    SELECT (v.shown).* INTO result FROM @extschema@._letta_identities_shown v
     WHERE v.organization_id = org AND v.id = identity;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('identity', identity_id)::text;
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_get_identity(text) IS
'The identity with this id in the current organization; P0002 if there is none.';

CREATE OR REPLACE FUNCTION _letta_identity_kept(identity_name text, identity_project_id text,
                                     identity_key text, identity_kind text, identity_properties jsonb,
                                     name text, project_id text, identifier_key text,
                                     identity_type text, property jsonb)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT (_letta_identity_kept.name IS NULL OR strpos(lower(identity_name), lower(_letta_identity_kept.name)) > 0)
       AND (_letta_identity_kept.project_id IS NULL OR identity_project_id = _letta_identity_kept.project_id)
       AND (_letta_identity_kept.identifier_key IS NULL OR identity_key = _letta_identity_kept.identifier_key)
       AND (_letta_identity_kept.identity_type IS NULL OR identity_kind = _letta_identity_kept.identity_type)
       AND (property IS NULL OR identity_properties @> property)
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

DROP FUNCTION letta_list_identities(text, text, text, text, text, jsonb, text, text, integer, boolean);
CREATE FUNCTION letta_list_identities(
    name           text    DEFAULT NULL,
    project_id     text    DEFAULT NULL,
    identifier_key text    DEFAULT NULL,
    identity_type  text    DEFAULT NULL,
    property_key   text    DEFAULT NULL,
    property_value jsonb   DEFAULT NULL,
    before         text    DEFAULT NULL,
    after          text    DEFAULT NULL,
    page_size      integer DEFAULT 50,
    ascending      boolean DEFAULT false,
    properties     jsonb   DEFAULT NULL,
    order_by       text    DEFAULT 'created_at'
)
RETURNS SETOF @extschema@.letta_identity
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_variable
DECLARE
    org      uuid    := @extschema@._letta_org();
    n        integer := @extschema@._letta_page_size(page_size);
    -- As letta_list_agents: read from the cursor outwards, between two (created_at, id) bounds.
    newest   boolean := (ascending IS TRUE) = (before IS NOT NULL AND after IS NULL);
    by_update boolean := @extschema@._letta_by_update(order_by);  -- else by created_at
    lo_at    timestamptz;
    lo_id    uuid;
    hi_at    timestamptz;
    hi_id    uuid;
    kind     text := CASE WHEN identity_type IS NOT NULL THEN @extschema@._letta_identity_type(identity_type) END;
    -- property_key/property_value and each condition of properties, all as one containment.
    property jsonb := @extschema@._letta_property_filters(property_key, property_value, properties);
    page     uuid[];
BEGIN
    SELECT * INTO lo_at, lo_id, hi_at, hi_id
      FROM @extschema@._letta_page_bounds('identity', before, after, ascending IS TRUE, by_update);
    -- An end user's identities are those of their key: read by it, not by a walk of the
    -- organization's (row-level security leaves them only theirs in any case).
    identifier_key := coalesce(identifier_key, @extschema@._letta_end_user());

    IF by_update THEN
        -- By updated_at, as letta_list_agents: by key or by property, the identities that
        -- match, sorted; else the organization's from the bound, on the updated_at index.
        IF identifier_key IS NOT NULL OR property IS NOT NULL THEN
            page := ARRAY(
                WITH m AS MATERIALIZED (
                    SELECT i.updated_at, i.id FROM @extschema@.letta_identities i
                     WHERE i.organization_id = org AND i.identifier_key = identifier_key
                       AND (i.updated_at, i.id) > (lo_at, lo_id) AND (i.updated_at, i.id) < (hi_at, hi_id)
                       AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, property)
                    UNION ALL
                    SELECT i.updated_at, i.id FROM @extschema@.letta_identities i
                     WHERE identifier_key IS NULL AND i.organization_id = org AND i.properties @> property
                       AND ((i.updated_at, i.id) > (lo_at, lo_id)) IS TRUE AND ((i.updated_at, i.id) < (hi_at, hi_id)) IS TRUE
                       AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, NULL))
                SELECT m.id FROM m
                 ORDER BY CASE WHEN newest THEN m.updated_at END DESC, CASE WHEN newest THEN m.id END DESC,
                          m.updated_at, m.id
                 LIMIT n);
        ELSIF newest THEN
            page := ARRAY(
                SELECT i.id FROM @extschema@.letta_identities i
                 WHERE i.organization_id = org
                   AND (i.updated_at, i.id) > (lo_at, lo_id) AND (i.updated_at, i.id) < (hi_at, hi_id)
                   AND (SELECT @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, NULL))
                 ORDER BY i.updated_at DESC, i.id DESC
                 LIMIT n);
        ELSE
            page := ARRAY(
                SELECT i.id FROM @extschema@.letta_identities i
                 WHERE i.organization_id = org
                   AND (i.updated_at, i.id) > (lo_at, lo_id) AND (i.updated_at, i.id) < (hi_at, hi_id)
                   AND (SELECT @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, NULL))
                 ORDER BY i.updated_at, i.id
                 LIMIT n);
        END IF;
        -- In the order asked for: the final statement sorts by the position in page.
        IF newest = (ascending IS TRUE) THEN
            page := ARRAY(SELECT x FROM unnest(page) WITH ORDINALITY u(x, k) ORDER BY u.k DESC);
        END IF;
    ELSIF identifier_key IS NOT NULL THEN
        -- By key: one identity per project, by the unique key, then sorted.
        page := ARRAY(
            SELECT i.id FROM @extschema@.letta_identities i
             WHERE i.organization_id = org AND i.identifier_key = identifier_key
               AND (i.created_at, i.id) > (lo_at, lo_id) AND (i.created_at, i.id) < (hi_at, hi_id)
               AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, property)
             ORDER BY CASE WHEN newest THEN i.created_at END DESC, CASE WHEN newest THEN i.id END DESC,
                      i.created_at, i.id
             LIMIT n);
    ELSIF property IS NOT NULL THEN
        -- By property: the GIN index on properties finds them, then sorted. (Materialized, and
        -- the bounds a filter (IS TRUE), so that no other index is walked instead.)
        page := ARRAY(
            WITH m AS MATERIALIZED (
                SELECT i.created_at, i.id FROM @extschema@.letta_identities i
                 WHERE i.organization_id = org AND i.properties @> property
                   AND ((i.created_at, i.id) > (lo_at, lo_id)) IS TRUE AND ((i.created_at, i.id) < (hi_at, hi_id)) IS TRUE
                   AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, NULL))
            SELECT m.id FROM m
             ORDER BY CASE WHEN newest THEN m.created_at END DESC, CASE WHEN newest THEN m.id END DESC,
                      m.created_at, m.id
             LIMIT n);
    ELSE
        page := CASE WHEN newest
                THEN ARRAY(SELECT p.id FROM @extschema@._letta_recent_identities(org, lo_at, lo_id, hi_at, hi_id,
                               true, n, name, project_id, NULL, kind, NULL) p)
                ELSE ARRAY(SELECT p.id FROM @extschema@._letta_recent_identities(org, lo_at, lo_id, hi_at, hi_id,
                               false, n, name, project_id, NULL, kind, NULL) p) END;
    END IF;

    RETURN QUERY
    SELECT (i.shown).*
      FROM @extschema@._letta_identities_shown i
     WHERE i.organization_id = org AND i.id = ANY (page)
     ORDER BY CASE WHEN by_update THEN array_position(page, i.id) END,
              CASE WHEN ascending THEN i.created_at END, CASE WHEN ascending THEN i.id END,
              i.created_at DESC, i.id DESC;
END
$$;

COMMENT ON FUNCTION letta_list_identities(text, text, text, text, text, jsonb, text, text, integer, boolean, jsonb, text) IS
'Identities of the current organization, newest first (ascending: oldest first) by created_at, or by updated_at with order_by => ''updated_at'', one page: filters name (case-insensitive substring), project_id, identifier_key, identity_type, a property (property_key, with property_value if given), and several at once (properties: a JSON array of {key, value} conditions, all of which must hold); cursors before/after are identity ids.';

DROP FUNCTION letta_count_identities(text, text, text, text, text, jsonb);
CREATE FUNCTION letta_count_identities(
    name           text  DEFAULT NULL,
    project_id     text  DEFAULT NULL,
    identifier_key text  DEFAULT NULL,
    identity_type  text  DEFAULT NULL,
    property_key   text  DEFAULT NULL,
    property_value jsonb DEFAULT NULL,
    properties     jsonb DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_variable
DECLARE
    org      uuid  := @extschema@._letta_org();
    kind     text  := CASE WHEN identity_type IS NOT NULL THEN @extschema@._letta_identity_type(identity_type) END;
    property jsonb := @extschema@._letta_property_filters(property_key, property_value, properties);
BEGIN
    identifier_key := coalesce(identifier_key, @extschema@._letta_end_user());  -- (as the list)
    IF identifier_key IS NOT NULL THEN
        RETURN (SELECT count(*) FROM @extschema@.letta_identities i
                 WHERE i.organization_id = org AND i.identifier_key = identifier_key
                   AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, property));
    ELSIF property IS NOT NULL THEN
        RETURN (SELECT count(*) FROM @extschema@.letta_identities i
                 WHERE i.organization_id = org AND i.properties @> property
                   AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, NULL));
    END IF;
    RETURN (SELECT count(*) FROM @extschema@.letta_identities i
             WHERE i.organization_id = org
               AND @extschema@._letta_identity_kept(i.name, i.project_id, i.identifier_key, i.identity_type, i.properties, name, project_id, NULL, kind, NULL));
END
$$;

COMMENT ON FUNCTION letta_count_identities(text, text, text, text, text, jsonb, jsonb) IS
'The number of identities of the current organization matching the filters of letta_list_identities.';

CREATE OR REPLACE FUNCTION letta_update_identity(
    identity_id    text,
    identifier_key text   DEFAULT NULL,
    name           text   DEFAULT NULL,
    identity_type  text   DEFAULT NULL,
    agent_ids      text[] DEFAULT NULL,
    block_ids      text[] DEFAULT NULL,
    properties     jsonb  DEFAULT NULL
)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_variable
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org      uuid   := @extschema@._letta_org();
    stamp    timestamptz := @extschema@._letta_stamp();
    identity uuid   := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
    agents   uuid[] := @extschema@._letta_uuids(agent_ids, 'agent', 'agent_ids');
    blocks   uuid[] := @extschema@._letta_uuids(block_ids, 'block', 'block_ids');
    existing @extschema@.letta_identities;
BEGIN
    SELECT * INTO existing FROM @extschema@.letta_identities r
     WHERE r.organization_id = org AND r.id = identity FOR UPDATE;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('identity', identity_id)::text;
    END IF;
    IF identifier_key IS NOT NULL AND identifier_key <> existing.identifier_key AND EXISTS (
           SELECT FROM @extschema@.letta_identities r
            WHERE r.organization_id = org AND r.identifier_key = identifier_key
              AND r.project_id IS NOT DISTINCT FROM existing.project_id) THEN
        RAISE EXCEPTION 'identity with identifier_key "%" already exists in %', identifier_key,
              coalesce('project "' || existing.project_id || '"', 'no project')
              USING ERRCODE = 'unique_violation';
    END IF;
    -- Checked here, not in the UPDATE: Citus evaluates the functions of an UPDATE before it
    -- runs, whichever CASE branch they sit in.
    IF identifier_key IS NOT NULL THEN
        identifier_key := @extschema@._letta_required(identifier_key, 'identifier_key');
    END IF;
    IF name IS NOT NULL THEN
        name := @extschema@._letta_required(name, 'name');
    END IF;
    IF identity_type IS NOT NULL THEN
        identity_type := @extschema@._letta_identity_type(identity_type);
    END IF;
    properties := @extschema@._letta_merge_properties(existing.properties, properties);
    UPDATE @extschema@.letta_identities r
       SET identifier_key = coalesce(identifier_key, r.identifier_key),
           name = coalesce(name, r.name),
           identity_type = coalesce(identity_type, r.identity_type),
           properties = properties,
           updated_at = stamp
     WHERE r.organization_id = org AND r.id = identity;
    PERFORM @extschema@._letta_link(org, 'agent', ARRAY[identity], agents);
    PERFORM @extschema@._letta_link(org, 'block', ARRAY[identity], blocks);
    RETURN (SELECT v.shown FROM @extschema@._letta_identities_shown v WHERE v.organization_id = org AND v.id = identity);
END
$$;

COMMENT ON FUNCTION letta_update_identity(text, text, text, text, text[], text[], jsonb) IS
'Letta''s PATCH: given values overwrite (NULL keeps), properties merge by key, agent_ids and block_ids are added to the links.';

CREATE OR REPLACE FUNCTION letta_upsert_identity(
    identifier_key text,
    name           text,
    identity_type  text   DEFAULT 'user',
    project_id     text   DEFAULT NULL,
    agent_ids      text[] DEFAULT NULL,
    properties     jsonb  DEFAULT '[]',
    block_ids      text[] DEFAULT NULL
)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org      uuid   := @extschema@._letta_org();
    agents   uuid[] := @extschema@._letta_uuids(agent_ids, 'agent', 'agent_ids');
    blocks   uuid[] := @extschema@._letta_uuids(block_ids, 'block', 'block_ids');
    stamp    timestamptz := @extschema@._letta_stamp();  -- a value: Citus wants DO UPDATE SET free of functions
    identity uuid;
BEGIN
    -- The input checks as assignments, as in letta_create_identity.
    identifier_key := @extschema@._letta_required(identifier_key, 'identifier_key');
    name := @extschema@._letta_required(name, 'name');
    identity_type := @extschema@._letta_identity_type(identity_type);
    project_id := @extschema@._letta_project_id(project_id);
    properties := @extschema@._letta_properties(properties);
    INSERT INTO @extschema@.letta_identities AS r
           (organization_id, identifier_key, name, identity_type, project_id, properties)
    VALUES (org, identifier_key, name, identity_type, project_id, properties)
    ON CONFLICT ON CONSTRAINT letta_identities_key_unique DO UPDATE
       SET name = excluded.name,
           identity_type = excluded.identity_type,
           properties = excluded.properties,
           updated_at = stamp
    RETURNING r.id INTO identity;
    IF agent_ids IS NOT NULL THEN
        PERFORM @extschema@._letta_set_identity_links(org, 'agent', identity, agents);
    END IF;
    IF block_ids IS NOT NULL THEN
        PERFORM @extschema@._letta_set_identity_links(org, 'block', identity, blocks);
    END IF;
    RETURN (SELECT v.shown FROM @extschema@._letta_identities_shown v WHERE v.organization_id = org AND v.id = identity);
END
$$;

COMMENT ON FUNCTION letta_upsert_identity(text, text, text, text, text[], jsonb, text[]) IS
'Letta''s PUT: the identity with this identifier_key and project_id gets these name, type and properties, and exactly these agent_ids / block_ids when given (an empty list clears); created when absent.';

CREATE OR REPLACE FUNCTION letta_upsert_identity_properties(identity_id text, properties jsonb)
RETURNS @extschema@.letta_identity
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_variable
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org      uuid := @extschema@._letta_org();
    stamp    timestamptz := @extschema@._letta_stamp();
    identity uuid := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
BEGIN
    properties := @extschema@._letta_required_properties(properties);
    UPDATE @extschema@.letta_identities r
       SET properties = properties, updated_at = stamp
     WHERE r.organization_id = org AND r.id = identity;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('identity', identity_id)::text;
    END IF;
    RETURN (SELECT v.shown FROM @extschema@._letta_identities_shown v WHERE v.organization_id = org AND v.id = identity);
END
$$;

COMMENT ON FUNCTION letta_upsert_identity_properties(text, jsonb) IS
'Replace the whole property list of an identity.';

CREATE OR REPLACE FUNCTION letta_delete_identity(identity_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org      uuid := @extschema@._letta_org();
    identity uuid := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
BEGIN
    DELETE FROM @extschema@.letta_identities r WHERE r.organization_id = org AND r.id = identity;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('identity', identity_id)::text;
    END IF;
END
$$;

COMMENT ON FUNCTION letta_delete_identity(text) IS
'Delete an identity. Its links go; its agents and blocks stay. P0002 if there is none.';

DROP FUNCTION letta_create_agent(text, text[], text[], text, text, integer, jsonb, text, jsonb, text, boolean);
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
          FROM @extschema@._letta_agents_shown v WHERE v.organization_id = org AND v.id = new_id;
    END IF;
    IF cardinality(identities) > 0 THEN
        -- Its identities whole: one read of the identities just locked, by primary key.
        SELECT v.identities INTO result.identities
          FROM @extschema@._letta_agents_shown v WHERE v.organization_id = org AND v.id = new_id;
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_create_agent(text, text[], text[], text, text, integer, jsonb, text, jsonb, text, boolean, text[]) IS
'Create an agent in the current organization, with tags (a set), linked to identity_ids, its memory a new block for each of memory_blocks plus the existing blocks of block_ids (one block per label). Every argument is optional; id keeps an agent id mirrored from a Letta server.';

-- Rows (of the table's row type) into a distributed table without INSERT ... SELECT, which
-- Citus carries out with COPY, refused under row-level security (0A000): multi-row INSERT ...
-- VALUES, 1,000 rows a statement, each row a literal (Citus copies a parameter into every
-- expression that uses it: one array parameter for all rows would be copied thousands of
-- times). Rows of one organization all go to its shard, in the caller's transaction.
CREATE FUNCTION _letta_insert_rows(target regclass, rows anyarray)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    FOR batch IN 0 .. (coalesce(cardinality(rows), 0) + 999) / 1000 - 1 LOOP
        EXECUTE format('INSERT INTO %s VALUES %s', target, (
            SELECT string_agg(format('((%L::%s).*)', r::text, target), ', ')
              FROM unnest(rows[batch * 1000 + 1 : batch * 1000 + 1000]) r));
    END LOOP;
END
$$;

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
    IF theirs IS NOT NULL THEN
        -- An end user's: the new agents and blocks theirs before their links.
        IF cardinality(theirs) = 0 AND EXISTS (SELECT FROM unnest(new_agents) a
                                                WHERE a.id <> ALL (ARRAY(SELECT l.agent_id FROM unnest(new_links) l))) THEN
            RAISE EXCEPTION 'end user "%" has no identity to own the new agents', @extschema@._letta_end_user()
                  USING ERRCODE = 'no_data_found',
                        HINT = 'Create the end user''s identity first (letta_create_identity).';
        END IF;
        INSERT INTO @extschema@.letta_agents SELECT * FROM unnest(new_agents);
        PERFORM @extschema@._letta_end_user_wrote('agent', ARRAY(SELECT a.id FROM unnest(new_agents) a));
        INSERT INTO @extschema@.letta_identities_agents SELECT * FROM unnest(new_links);
        INSERT INTO @extschema@.letta_blocks SELECT * FROM unnest(new_blocks);
        PERFORM @extschema@._letta_end_user_wrote('block', ARRAY(SELECT b.id FROM unnest(new_blocks) b));
        INSERT INTO @extschema@.letta_blocks_agents SELECT * FROM unnest(new_memory);
    ELSIF cardinality(@extschema@._letta_citus_tables()) = 0 THEN
        INSERT INTO @extschema@.letta_agents SELECT * FROM unnest(new_agents);
        INSERT INTO @extschema@.letta_identities_agents SELECT * FROM unnest(new_links);
        INSERT INTO @extschema@.letta_blocks SELECT * FROM unnest(new_blocks);
        INSERT INTO @extschema@.letta_blocks_agents SELECT * FROM unnest(new_memory);
    ELSE
        -- Citus moves the rows of an INSERT ... SELECT with COPY, which row-level security
        -- refuses (0A000).
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
              FROM @extschema@._letta_agents_shown v
             WHERE v.organization_id = org AND v.id = agent OFFSET 0) r;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('agent', agent_id)::text;
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_get_agent(text) IS
'The agent with this id in the current organization; P0002 if there is none.';

DROP FUNCTION letta_update_agent(text, text, text[], text[], text, text, integer, jsonb, text, jsonb, boolean);
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
              FROM @extschema@._letta_agents_shown v WHERE v.organization_id = org AND v.id = agent);
END
$$;
COMMENT ON FUNCTION letta_update_agent(text, text, text[], text[], text, text, integer, jsonb, text, jsonb, boolean, text[]) IS
'Update an agent: NULL keeps a value; tags, identity_ids and block_ids given as a list replace exactly (an empty list clears; blocks that leave its memory stay, P0002 for a missing one, 23505 for two with one label). memory_blocks given (not with block_ids) makes its memory those labels: a label it has updates that block, a new label is a new block, and its blocks with other labels leave its memory (and stay).';

DROP FUNCTION letta_delete_agent(text);
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

CREATE OR REPLACE FUNCTION letta_attach_agent(identity_id text, agent_id text)
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

CREATE OR REPLACE FUNCTION letta_detach_agent(identity_id text, agent_id text)
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

CREATE OR REPLACE FUNCTION _letta_agent_kept(agent_tags text[], agent_name text, agent_project_id text,
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

CREATE OR REPLACE FUNCTION _letta_linked_filter(identifier_keys text[], identity_id text)
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

DROP FUNCTION letta_list_agents(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean);
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
                  FROM @extschema@._letta_agents_shown a
                 WHERE a.organization_id = org AND a.id = ANY (page)
                OFFSET 0) r
         ORDER BY CASE WHEN by_update THEN array_position(page, r.id) END,
                  CASE WHEN ascending THEN r.created_at END, CASE WHEN ascending THEN r.id END,
                  r.created_at DESC, r.id DESC;
    ELSE
        -- (A statement of its own: the row built whole and taken apart again cost 15-20%.)
        RETURN QUERY
        SELECT (a.shown).*
          FROM @extschema@._letta_agents_shown a
         WHERE a.organization_id = org AND a.id = ANY (page)
         ORDER BY CASE WHEN by_update THEN array_position(page, a.id) END,
                  CASE WHEN ascending THEN a.created_at END, CASE WHEN ascending THEN a.id END,
                  a.created_at DESC, a.id DESC;
    END IF;
END
$$;

COMMENT ON FUNCTION letta_list_agents(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean, boolean, boolean, text[], text[], jsonb, text) IS
'Agents of the current organization, newest first (ascending: oldest first) by created_at, or by updated_at with order_by => ''updated_at'', one page. Filters, ANDed, NULL or empty not filtering: any of tags (all if match_all_tags), linked to any of identifier_keys or to identity_id, name exact, query_text case-insensitive substring of name, project_id, none of exclude_tags, all of all_tags (with tags: any of tags and all of all_tags), metadata containing metadata; hidden agents only with include_hidden. Cursors before/after are agent ids. memory_blocks is NULL unless include_memory, identities unless include_identities.';

DROP FUNCTION letta_count_agents(text[], boolean, text[], text, text, text, text, boolean);
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
                 WHERE a.organization_id = org AND a.tags OPERATOR(@extschema@.@>>) wanted
                   AND @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, name, query_text, project_id, include_hidden,
                                                 a.metadata, exclude_tags, all_tags, metadata));
    END IF;
    RETURN (SELECT count(*) FROM @extschema@.letta_agents a
             WHERE a.organization_id = org AND a.tags OPERATOR(@extschema@.&&&) wanted
               AND @extschema@._letta_agent_kept(a.tags, a.name, a.project_id, a.hidden, NULL, false, name, query_text, project_id, include_hidden,
                                                 a.metadata, exclude_tags, all_tags, metadata));
END
$$;

COMMENT ON FUNCTION letta_count_agents(text[], boolean, text[], text, text, text, text, boolean, text[], text[], jsonb) IS
'The number of agents of the current organization matching the filters of letta_list_agents.';

DROP FUNCTION letta_agents_by_key(text[], boolean);
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
    linked := @extschema@._letta_linked_agents(identifier_keys, NULL);
    IF include_memory OR include_identities THEN
        -- (As letta_list_agents: the memory and identities in a statement of their own.)
        RETURN QUERY
        SELECT (r.agent).*
          FROM (SELECT @extschema@._letta_agent_with(a.shown, CASE WHEN include_memory THEN a.memory END,
                                                     CASE WHEN include_identities THEN a.identities END) AS agent,
                       a.created_at, a.id
                  FROM @extschema@._letta_agents_shown a
                 WHERE a.organization_id = org
                   AND a.id = ANY (linked)
                   AND (include_hidden IS TRUE OR NOT a.hidden)
                OFFSET 0) r
         ORDER BY r.created_at DESC, r.id DESC;
    ELSE
        RETURN QUERY
        SELECT (a.shown).*
          FROM @extschema@._letta_agents_shown a
         WHERE a.organization_id = org
           AND a.id = ANY (linked)
           AND (include_hidden IS TRUE OR NOT a.hidden)
         ORDER BY a.created_at DESC, a.id DESC;
    END IF;
END
$$;

COMMENT ON FUNCTION letta_agents_by_key(text[], boolean, boolean, boolean) IS
'Agents linked to any identity with one of these identifier keys (any project), each once, newest first; hidden agents only with include_hidden; memory_blocks NULL unless include_memory, identities unless include_identities.';

DROP FUNCTION letta_identity_agents(text, boolean, text, text, integer, boolean);
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

DROP FUNCTION letta_create_block(text, text, integer, text, jsonb, text[]);
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
    RETURN (SELECT v.shown FROM @extschema@._letta_blocks_shown v WHERE v.organization_id = org AND v.id = new_id);
END
$$;

COMMENT ON FUNCTION letta_create_block(text, text, integer, text, jsonb, text[], boolean, text, boolean, text[]) IS
'Create a memory block (label, value, char_limit: the characters value should keep to, advisory, default 100000) owned by identity_ids; read_only => true marks it for agents'' own memory tools (the API still changes it); project_id, hidden and tags (a set) as agents have them.';

CREATE OR REPLACE FUNCTION letta_get_block(block_id text)
RETURNS @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org    uuid := @extschema@._letta_org();
    block  uuid := @extschema@._letta_uuid(block_id, 'block', 'block_id');
    result @extschema@.letta_block;
BEGIN
    SELECT (v.shown).* INTO result FROM @extschema@._letta_blocks_shown v
     WHERE v.organization_id = org AND v.id = block;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('block', block_id)::text;
    END IF;
    RETURN result;
END
$$;

COMMENT ON FUNCTION letta_get_block(text) IS
'The block with this id in the current organization; P0002 if there is none.';

DROP FUNCTION letta_update_block(text, text, text, integer, text, jsonb);
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
    RETURN (SELECT v.shown FROM @extschema@._letta_blocks_shown v WHERE v.organization_id = org AND v.id = block);
END
$$;

COMMENT ON FUNCTION letta_update_block(text, text, text, integer, text, jsonb, boolean, text, boolean, text[]) IS
'Update a block; NULL keeps a value; tags given replace them (an empty list clears). A read-only block is updated too (read_only is for agents'' own memory tools, as in Letta), and a value longer than the limit is kept (the limit is advisory). 22023 for a limit that is not positive; 23505 if an agent that has it has another block with the new label.';

CREATE OR REPLACE FUNCTION letta_delete_block(block_id text)
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

CREATE OR REPLACE FUNCTION letta_attach_block(identity_id text, block_id text)
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

CREATE OR REPLACE FUNCTION letta_detach_block(identity_id text, block_id text)
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

DROP FUNCTION letta_identity_blocks(text);
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
      FROM @extschema@._letta_blocks_shown v
     WHERE v.organization_id = org AND v.id = ANY (page)
     ORDER BY CASE WHEN ascending THEN v.created_at END, CASE WHEN ascending THEN v.id END,
              v.created_at DESC, v.id DESC;
END
$$;

COMMENT ON FUNCTION letta_identity_blocks(text, text, text, integer, boolean) IS
'The blocks of one identity, newest first (ascending: oldest first), one page (page_size, default 50); cursors before/after are block ids. P0002 if the identity is missing.';

CREATE OR REPLACE FUNCTION letta_blocks_by_key(identifier_keys text[])
RETURNS SETOF @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
-- PL/pgSQL with a generic plan, like letta_agents_by_key: planned once per connection.
DECLARE
    org uuid := @extschema@._letta_org();
    checked boolean;  -- the input checks, as assignments: short error context
BEGIN
    checked := @extschema@._letta_check_list(identifier_keys, 'identifier_keys', true);
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

DROP FUNCTION letta_list_agents_page(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean);
CREATE FUNCTION letta_list_agents_page(
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
RETURNS @extschema@.letta_page
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
BEGIN
    RETURN @extschema@._letta_page(
        coalesce((SELECT jsonb_agg(to_jsonb(l))
                    FROM @extschema@.letta_list_agents(tags, match_all_tags, identifier_keys, identity_id,
                             name, query_text, project_id, include_hidden, before, after,
                             least(@extschema@._letta_page_size(page_size), 2147483646) + 1, ascending,
                             include_memory, include_identities, exclude_tags, all_tags, metadata, order_by) l), '[]'),
        page_size, before IS NOT NULL AND after IS NULL);
END
$$;

COMMENT ON FUNCTION letta_list_agents_page(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean, boolean, boolean, text[], text[], jsonb, text) IS
'letta_list_agents as one page: items (Letta''s JSON), has_more, and next_cursor when more follow (pass it as after, or as before when paging with before).';

DROP FUNCTION letta_list_identities_page(text, text, text, text, text, jsonb, text, text, integer, boolean);
CREATE FUNCTION letta_list_identities_page(
    name           text    DEFAULT NULL,
    project_id     text    DEFAULT NULL,
    identifier_key text    DEFAULT NULL,
    identity_type  text    DEFAULT NULL,
    property_key   text    DEFAULT NULL,
    property_value jsonb   DEFAULT NULL,
    before         text    DEFAULT NULL,
    after          text    DEFAULT NULL,
    page_size      integer DEFAULT 50,
    ascending      boolean DEFAULT false,
    properties     jsonb   DEFAULT NULL,
    order_by       text    DEFAULT 'created_at'
)
RETURNS @extschema@.letta_page
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
BEGIN
    RETURN @extschema@._letta_page(
        coalesce((SELECT jsonb_agg(to_jsonb(l))
                    FROM @extschema@.letta_list_identities(name, project_id, identifier_key, identity_type,
                             property_key, property_value, before, after,
                             least(@extschema@._letta_page_size(page_size), 2147483646) + 1, ascending,
                             properties, order_by) l), '[]'),
        page_size, before IS NOT NULL AND after IS NULL);
END
$$;

COMMENT ON FUNCTION letta_list_identities_page(text, text, text, text, text, jsonb, text, text, integer, boolean, jsonb, text) IS
'letta_list_identities as one page: items (Letta''s JSON), has_more, and next_cursor when more follow (pass it as after, or as before when paging with before).';

CREATE OR REPLACE FUNCTION _letta_tenant_tables()
RETURNS regclass[]
LANGUAGE sql STABLE
AS $$
    SELECT ARRAY['@extschema@.letta_identities', '@extschema@.letta_agents_tags', '@extschema@.letta_agents',
                 '@extschema@.letta_identities_agents', '@extschema@.letta_blocks',
                 '@extschema@.letta_identities_blocks', '@extschema@.letta_blocks_agents']::regclass[]
$$;

CREATE OR REPLACE FUNCTION _letta_citus_tables()
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
      USING @extschema@._letta_tenant_tables() || '@extschema@.letta_role_organizations'::regclass;
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
    def    text;
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
    -- by the row's key, which it routes to one shard. An agent's memory and identities are in
    -- its row always: the lists return them whether asked or not.
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

    CREATE OR REPLACE VIEW @extschema@._letta_agents_shown WITH (security_invoker = true) AS
    SELECT a.organization_id, a.id, a.created_at, a.hidden,
           ROW('agent-' || a.id::text,
               a.name,
               a.tags,
               coalesce(array_agg('identity-' || l.identity_id::text ORDER BY l.identity_id)
                          FILTER (WHERE l.identity_id IS NOT NULL), '{}'),
               a.project_id,
               'org-' || a.organization_id::text,
               a.model,
               a.embedding,
               a.context_window_limit,
               coalesce(m.blocks, '[]'),  -- (always: the joins compute them, and Citus does not
               a.metadata,                -- type a NULL inside a row it sends to a worker)
               a.hidden,
               a.created_at,
               a.updated_at,
               coalesce(n.identities, '[]'))::@extschema@.letta_agent AS shown,
           coalesce(m.blocks, '[]') AS memory,
           coalesce(n.identities, '[]') AS identities
      FROM @extschema@.letta_agents a
      LEFT JOIN @extschema@.letta_identities_agents l ON l.organization_id = a.organization_id AND l.agent_id = a.id
      -- The memory aggregated by agent before the join, so that the links do not repeat it.
      LEFT JOIN (SELECT k.organization_id, k.agent_id,
                        jsonb_agg(@extschema@._letta_memory_block(b.id, b.label, b.value, b."limit", b.description,
                                                                  b.metadata, b.read_only)
                                  ORDER BY b.created_at, b.id) AS blocks
                   FROM @extschema@.letta_blocks_agents k
                   JOIN @extschema@.letta_blocks b ON b.organization_id = k.organization_id AND b.id = k.block_id
                  GROUP BY k.organization_id, k.agent_id) m
        ON m.organization_id = a.organization_id AND m.agent_id = a.id
      LEFT JOIN (SELECT k.organization_id, k.agent_id,
                        jsonb_agg(@extschema@._letta_identity_object(i.id, i.identifier_key, i.name, i.identity_type,
                                                                      i.project_id, i.organization_id, i.properties)
                                  ORDER BY i.id) AS identities
                   FROM @extschema@.letta_identities_agents k
                   JOIN @extschema@.letta_identities i ON i.organization_id = k.organization_id AND i.id = k.identity_id
                  GROUP BY k.organization_id, k.agent_id) n
        ON n.organization_id = a.organization_id AND n.agent_id = a.id
     GROUP BY a.organization_id, a.id, m.blocks, n.identities;

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
    -- The lists' SQL helpers that read tables are inlined into the lists' statements on one
    -- node; Citus, which plans before inlining, sees a function there and plans the statement
    -- on the coordinator, over the tables' empty shells. As PL/pgSQL returning the same query
    -- each is a statement of its own, which Citus routes to the organization's shard. (Column
    -- names win over parameters, as in SQL functions.)
    FOR def IN SELECT pg_catalog.pg_get_functiondef(p.oid)
                 FROM pg_catalog.pg_proc p
                WHERE p.oid = ANY (ARRAY['@extschema@._letta_tag_entries'::regproc, '@extschema@._letta_tag_page'::regproc,
                                         '@extschema@._letta_two_tags_page'::regproc, '@extschema@._letta_all_tags_page'::regproc,
                                         '@extschema@._letta_recent_page'::regproc, '@extschema@._letta_recent_identities'::regproc,
                                         '@extschema@._letta_recent_blocks'::regproc]::oid[])
                  AND p.prolang = (SELECT l.oid FROM pg_catalog.pg_language l WHERE l.lanname = 'sql')
    LOOP
        EXECUTE regexp_replace(replace(def, E'\n LANGUAGE sql\n', E'\n LANGUAGE plpgsql\n'),
                               'AS \$function\$(.*)\$function\$',
                               E'AS $function$\n#variable_conflict use_column\nBEGIN\nRETURN QUERY\\1;\nEND\n$function$');
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
    RETURN @extschema@._letta_citus_tables();
END
$$;

COMMENT ON FUNCTION letta_distribute(integer) IS
'Administrators, on a Citus coordinator: distribute the tables by organization (colocated, shard_count shards or Citus''s default; the role bindings a reference table) and make the database propagate SET LOCAL to the workers; returns the tables Citus now manages.';

CREATE OR REPLACE FUNCTION letta_drop_distributed_tables()
RETURNS regclass[]
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    managed regclass[] := @extschema@._letta_citus_tables();
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
               FROM unnest('@extschema@.letta_role_organizations'::regclass || @extschema@._letta_tenant_tables())
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

CREATE OR REPLACE FUNCTION letta_current_organization()
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$ BEGIN RETURN 'org-' || @extschema@._letta_org(); END $$;

COMMENT ON FUNCTION letta_current_organization() IS
'The organization every letta_* function works in: the role''s binding; for a role allowed to switch, letta.organization_id as set in this transaction; for a superuser, letta.organization_id (default Letta''s default org).';

-- Which of the extension's functions application roles may call: all but the administrators'
-- (which also run as the owner's rules say: search_path pinned) and the triggers' (PostgreSQL
-- asks for EXECUTE to attach a trigger function to a table, not to fire it: without it, no
-- role can attach one to a table of its own).
CREATE FUNCTION _letta_for_apps(f regprocedure)
RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT p.prorettype NOT IN ('pg_catalog.trigger'::pg_catalog.regtype, 'pg_catalog.event_trigger'::pg_catalog.regtype)
           AND p.proname NOT IN ('letta_bind_role', 'letta_allow_switching', 'letta_unbind_role',
                                 'letta_require_end_user', '_letta_grant', '_letta_for_apps',
                                 'letta_distribute', 'letta_drop_distributed_tables', '_letta_prepare_for_citus')
           AND p.proname !~ '^_?letta_import_'  -- the import from Letta (sql/import.sql)
      FROM pg_catalog.pg_proc p
     WHERE p.oid = f
$$;

REVOKE EXECUTE ON FUNCTION _letta_for_apps(regprocedure) FROM PUBLIC;

CREATE OR REPLACE FUNCTION _letta_grant(role_name text, give boolean)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f    regprocedure;
    apps boolean;
    t    regclass;
BEGIN
    role_name := @extschema@._letta_required(role_name, 'role_name');
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = role_name) THEN
        RAISE EXCEPTION 'role "%" does not exist', role_name USING ERRCODE = 'undefined_object';
    END IF;
    FOR f, apps IN SELECT p.oid::regprocedure, @extschema@._letta_for_apps(p.oid)
                     FROM pg_catalog.pg_proc p
                     JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                    WHERE d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'letta_identity')
    LOOP
        -- (An administrator's function or a trigger's, granted by an earlier version, is taken back.)
        EXECUTE pg_catalog.format(CASE WHEN give AND apps THEN 'GRANT EXECUTE ON FUNCTION %s TO %I'
                                       ELSE 'REVOKE EXECUTE ON FUNCTION %s FROM %I' END, f, role_name);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['@extschema@.letta_identities', '@extschema@.letta_agents',
                             '@extschema@.letta_identities_agents', '@extschema@.letta_blocks',
                             '@extschema@.letta_identities_blocks', '@extschema@.letta_blocks_agents']::regclass[]
    LOOP
        EXECUTE pg_catalog.format(CASE WHEN give THEN 'GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I'
                            ELSE 'REVOKE SELECT, INSERT, UPDATE, DELETE ON %s FROM %I' END, t, role_name);
    END LOOP;
    -- The binding's mark: the role, not its name, is bound.
    EXECUTE pg_catalog.format(CASE WHEN give THEN 'GRANT USAGE ON DOMAIN %s TO %I' ELSE 'REVOKE USAGE ON DOMAIN %s FROM %I' END,
                              '@extschema@.letta_bound_role'::pg_catalog.regtype, role_name);
    -- Derived from letta_agents by its triggers: read, never written, by roles.
    EXECUTE pg_catalog.format(CASE WHEN give THEN 'GRANT SELECT ON %s TO %I' ELSE 'REVOKE SELECT ON %s FROM %I' END,
                              '@extschema@.letta_agents_tags'::regclass, role_name);
    -- The rows as the functions shape them: views, read with the caller's rights.
    FOREACH t IN ARRAY ARRAY['@extschema@._letta_identities_shown', '@extschema@._letta_agents_shown',
                             '@extschema@._letta_blocks_shown']::regclass[]
    LOOP
        EXECUTE pg_catalog.format(CASE WHEN give THEN 'GRANT SELECT ON %s TO %I' ELSE 'REVOKE SELECT ON %s FROM %I' END,
                                  t, role_name);
    END LOOP;
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
INSERT INTO letta_agents_tags (organization_id, tag, created_at, agent_id, hidden)
SELECT a.organization_id, t, a.created_at, a.id, a.hidden FROM letta_agents a, unnest(a.tags) t
 ORDER BY a.organization_id, t COLLATE "C", a.created_at, a.id;  -- key order: the index fills by appending
ANALYZE letta_agents_tags;

-- Forget an end user (the right to be forgotten): the identity, and what belongs to it alone,
-- in one transaction. Its agents and blocks are locked (in id order, as attach and detach lock
-- them) before "linked to no other identity" is decided, so that a link made meanwhile either
-- waits for this call or keeps its agent or block.
CREATE FUNCTION letta_forget_identity(
    identity_id text,
    agents      boolean DEFAULT true,
    blocks      boolean DEFAULT true,
    dry_run     boolean DEFAULT false
)
RETURNS TABLE (kind text, id text)
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_column
DECLARE
    missing  text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org        uuid := @extschema@._letta_org();
    identity   uuid := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
    own_agents uuid[] := '{}';
    own_blocks uuid[] := '{}';
BEGIN
    IF agents IS NULL OR blocks IS NULL OR dry_run IS NULL THEN
        RAISE EXCEPTION '% must not be NULL', CASE WHEN agents IS NULL THEN 'agents'
                                                   WHEN blocks IS NULL THEN 'blocks' ELSE 'dry_run' END
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM FROM @extschema@.letta_identities r WHERE r.organization_id = org AND r.id = identity FOR UPDATE;
    IF NOT FOUND THEN
        missing := @extschema@._letta_not_found('identity', identity_id)::text;
    END IF;
    IF agents THEN
        PERFORM FROM @extschema@.letta_agents a
         WHERE a.organization_id = org
           AND a.id IN (SELECT l.agent_id FROM @extschema@.letta_identities_agents l
                         WHERE l.organization_id = org AND l.identity_id = identity)
         ORDER BY a.id FOR UPDATE;
        own_agents := ARRAY(
            SELECT l.agent_id FROM @extschema@.letta_identities_agents l
             WHERE l.organization_id = org AND l.identity_id = identity
               AND NOT EXISTS (SELECT FROM @extschema@.letta_identities_agents o
                                WHERE o.organization_id = org AND o.agent_id = l.agent_id AND o.identity_id <> identity)
             ORDER BY l.agent_id);
    END IF;
    -- The blocks that go: the identity's own (unless blocks => false) and those in the memory of
    -- its agents that go, when no agent that stays and no other identity has them.
    IF blocks THEN
        own_blocks := ARRAY(SELECT l.block_id FROM @extschema@.letta_identities_blocks l
                             WHERE l.organization_id = org AND l.identity_id = identity);
    END IF;
    -- (Two statements: on Citus, one that reads a table runs on a worker, with the functions in
    -- it, which could not query from there.)
    own_blocks := own_blocks || ARRAY(SELECT m.block_id FROM @extschema@.letta_blocks_agents m
                                       WHERE m.organization_id = org AND m.agent_id = ANY (own_agents));
    own_blocks := @extschema@._letta_unshared_blocks(org, own_blocks, own_agents, CASE WHEN blocks THEN identity END);
    IF NOT dry_run THEN
        DELETE FROM @extschema@.letta_agents a WHERE a.organization_id = org AND a.id = ANY (own_agents);
        DELETE FROM @extschema@.letta_blocks b WHERE b.organization_id = org AND b.id = ANY (own_blocks);
        DELETE FROM @extschema@.letta_identities r WHERE r.organization_id = org AND r.id = identity;
    END IF;
    RETURN QUERY SELECT 'identity', 'identity-' || identity
                 UNION ALL SELECT 'agent', 'agent-' || x FROM unnest(own_agents) x
                 UNION ALL SELECT 'block', 'block-' || x FROM unnest(own_blocks) x;
END
$$;

COMMENT ON FUNCTION letta_forget_identity(text, boolean, boolean, boolean) IS
'Forget an end user in one transaction: delete the identity and (unless agents => false, blocks => false) the agents and blocks linked to it and to no other identity, with the blocks of those agents'' memory (a block also in the memory of an agent that stays, or shared by another identity, is kept). Returns what was deleted (kind, id), or with dry_run => true what would be, deleting nothing. P0002 if there is no such identity.';

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

-- Facets: how many agents and blocks each identity has, counted in the link tables' keys.
CREATE FUNCTION letta_count_by_identity(identity_ids text[] DEFAULT NULL)
RETURNS TABLE (identity_id text, agents bigint, blocks bigint)
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    reported text;  -- _letta_not_found (void) as an assignment: its error's context is this line
    org     uuid   := @extschema@._letta_org();
    ids     uuid[] := CASE WHEN identity_ids IS NOT NULL
                           THEN @extschema@._letta_uuids(identity_ids, 'identity', 'identity_ids') END;
    missing uuid;
BEGIN
    IF ids IS NOT NULL THEN
        missing := (SELECT x FROM unnest(ids) x
                     WHERE NOT EXISTS (SELECT FROM @extschema@.letta_identities r
                                        WHERE r.organization_id = org AND r.id = x)
                     LIMIT 1);
        IF missing IS NOT NULL THEN
            reported := @extschema@._letta_not_found('identity', 'identity-' || missing)::text;
        END IF;
    END IF;
    -- Two statements, each with its own generic plan: "ids IS NULL OR r.id = ANY (ids)" in one
    -- would scan every identity for a few.
    IF ids IS NULL THEN
        RETURN QUERY
        SELECT 'identity-' || r.id,
               (SELECT count(*) FROM @extschema@.letta_identities_agents l
                 WHERE l.organization_id = org AND l.identity_id = r.id),
               (SELECT count(*) FROM @extschema@.letta_identities_blocks l
                 WHERE l.organization_id = org AND l.identity_id = r.id)
          FROM @extschema@.letta_identities r
         WHERE r.organization_id = org
         ORDER BY r.created_at DESC, r.id DESC;
    ELSE
        RETURN QUERY
        SELECT 'identity-' || r.id,
               (SELECT count(*) FROM @extschema@.letta_identities_agents l
                 WHERE l.organization_id = org AND l.identity_id = r.id),
               (SELECT count(*) FROM @extschema@.letta_identities_blocks l
                 WHERE l.organization_id = org AND l.identity_id = r.id)
          FROM @extschema@.letta_identities r
         WHERE r.organization_id = org AND r.id = ANY (ids)
         ORDER BY r.created_at DESC, r.id DESC;
    END IF;
END
$$;

COMMENT ON FUNCTION letta_count_by_identity(text[]) IS
'Facets: the number of agents (hidden ones too) and blocks linked to each identity of the current organization, or to those given, newest identity first. P0002 if a given identity does not exist.';

-- A new argument (by_update): a new signature.
DROP FUNCTION _letta_cursor_at(text, text, text);
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
BEGIN
    PERFORM @extschema@._letta_exists(org, 'agent', agent);
    RETURN QUERY
    SELECT (v.shown).*
      FROM @extschema@._letta_blocks_shown v
     WHERE v.organization_id = org
       AND v.id IN (SELECT l.block_id FROM @extschema@.letta_blocks_agents l
                     WHERE l.organization_id = org AND l.agent_id = agent)
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
BEGIN
    PERFORM @extschema@._letta_exists(org, 'agent', agent);
    SELECT (v.shown).* INTO result
      FROM @extschema@._letta_blocks_shown v
     WHERE v.organization_id = org
       AND v.id = (SELECT l.block_id FROM @extschema@.letta_blocks_agents l
                    WHERE l.organization_id = org AND l.agent_id = agent
                      AND l.block_label = letta_get_agent_block.block_label);
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
              FROM @extschema@._letta_blocks_shown v
             WHERE v.organization_id = org AND (v.id = ANY (own) OR v.id = ANY (shared))
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
                  FROM @extschema@._letta_agents_shown v
                 WHERE v.organization_id = org AND v.id = ANY (page)
                OFFSET 0) r
         ORDER BY CASE WHEN ascending THEN r.created_at END, CASE WHEN ascending THEN r.id END,
                  r.created_at DESC, r.id DESC;
    ELSE
        RETURN QUERY
        SELECT (v.shown).*
          FROM @extschema@._letta_agents_shown v
         WHERE v.organization_id = org AND v.id = ANY (page)
         ORDER BY CASE WHEN ascending THEN v.created_at END, CASE WHEN ascending THEN v.id END,
                  v.created_at DESC, v.id DESC;
    END IF;
END
$$;

COMMENT ON FUNCTION letta_block_agents(text, boolean, text, text, integer, boolean, boolean, boolean) IS
'The agents that have a block in their memory, hidden ones too (as in Letta; include_hidden => false leaves them out), newest first (ascending: oldest first), one page (page_size, default 50; memory_blocks NULL unless include_memory, identities unless include_identities); cursors before/after are agent ids. P0002 if the block is missing.';

-- The description a new human or persona block of memory_blocks gets (blocks.sql).
CREATE FUNCTION _letta_default_description(label text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE  -- (a searched CASE: Citus deparses an inlined simple CASE wrongly)
    WHEN label = 'human' THEN 'The human block: what the agent knows about the person it talks with (name, preferences, context), so that it can keep the conversation personal.'
    WHEN label = 'persona' THEN 'The persona block: who the agent is (its character, role and manner), so that it behaves and answers consistently.'
END;

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

-- An agent's memory set to exactly these blocks (letta_update_agent's block_ids; blocks.sql).
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

CREATE FUNCTION _letta_agents_count_kept(agents bigint, gt integer, lt integer, eq integer[])
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT (gt IS NULL OR agents > gt) AND (lt IS NULL OR agents < lt) AND (eq IS NULL OR agents = ANY (eq))
$$;

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
      FROM @extschema@._letta_blocks_shown v
     WHERE v.organization_id = org AND v.id = ANY (page)
     ORDER BY CASE WHEN ascending THEN v.created_at END, CASE WHEN ascending THEN v.id END,
              v.created_at DESC, v.id DESC;
END
$$;

COMMENT ON FUNCTION letta_list_blocks(text, text, text, text, text, text[], text, text[], boolean, integer, integer, integer[], boolean, text, text, integer, boolean) IS
'Blocks of the current organization, oldest first (ascending => false: newest first), one page, with Letta''s filters, ANDed, NULL not filtering: label exact; label_search (when no label is given), value_search, description_search case-insensitive substrings; shared by identity_id or by an identity with one of identifier_keys; project_id; any of tags (all if match_all_tags); in the memory of more than connected_to_agents_count_gt agents, fewer than _lt, or exactly one of the numbers _eq; hidden blocks only with include_hidden. Cursors before/after are block ids.';

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

CREATE FUNCTION letta_list_blocks_page(
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
RETURNS @extschema@.letta_page
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
BEGIN
    RETURN @extschema@._letta_page(
        coalesce((SELECT jsonb_agg(to_jsonb(l))
                    FROM @extschema@.letta_list_blocks(label, label_search, value_search, description_search,
                             identity_id, identifier_keys, project_id, tags, match_all_tags,
                             connected_to_agents_count_gt, connected_to_agents_count_lt,
                             connected_to_agents_count_eq, include_hidden, before, after,
                             least(@extschema@._letta_page_size(page_size), 2147483646) + 1, ascending) l), '[]'),
        page_size, before IS NOT NULL AND after IS NULL);
END
$$;

COMMENT ON FUNCTION letta_list_blocks_page(text, text, text, text, text, text[], text, text[], boolean, integer, integer, integer[], boolean, text, text, integer, boolean) IS
'letta_list_blocks as one page: items (Letta''s JSON), has_more, and next_cursor when more follow (pass it as after, or as before when paging with before).';


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

CREATE OR REPLACE FUNCTION letta_unbind_role(role_name text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@._letta_grant(role_name, false);
    -- (Its membership of letta_end_users stays, as letta_require_end_user(role, false) leaves it.)
    DELETE FROM @extschema@.letta_role_end_users e WHERE e.role_name = letta_unbind_role.role_name;
    DELETE FROM @extschema@.letta_role_organizations b WHERE b.role_name = letta_unbind_role.role_name;
    RETURN FOUND;
END
$$;
-- The import from a Letta database (import.sql).
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

REVOKE EXECUTE ON FUNCTION _letta_import_check_table(regclass) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION _letta_import_check_source(name) FROM PUBLIC;

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

-- A source table to read from: the table, or (for a table an older Letta did not have) no rows
-- with the columns the import reads.
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

-- The notes on a row, in one text (import.sql).
CREATE FUNCTION _letta_import_note(notes text[])
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT NULLIF(pg_catalog.array_to_string(notes, '; '), '')
$$;

-- The most bytes of a key or a label the import writes (import.sql).
CREATE FUNCTION _letta_import_indexable()
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS $$ SELECT 2600 $$;

-- An identity's properties as Letta holds them (import.sql).
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

-- What happened to the rows staged for a source table (a relation with source_id, problem,
-- detail, present and copies), as report rows: imported, already present, or skipped by reason
-- (the first three source ids as examples, with the API's message if any); and the duplicate
-- rows that collapsed into one. One pass over the rows.
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
REVOKE EXECUTE ON FUNCTION @extschema@._letta_import_existing(text, regclass) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_import_column(name, text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_import_table(name, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_import_report(text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_import_from_letta(name, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_import_rows(name) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_import_links(name, text, text, text, text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_agent_kept(agent_tags text[], agent_name text, agent_project_id text, agent_hidden boolean, tags text[], match_all_tags boolean, name text, query_text text, project_id text, include_hidden boolean, agent_metadata jsonb, exclude_tags text[], all_tags text[], with_metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_agents_tags_delete() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_agents_tags_insert() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_agents_tags_truncate() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_agents_tags_update() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_all_tags_page(org uuid, driver text, wanted text[], lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, walk integer, n integer, name text, query_text text, project_id text, include_hidden boolean, exclude_tags text[], all_tags text[], with_metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_citus_tables() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_cursor_at(text, text, text, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_identity_kept(identity_name text, identity_project_id text, identity_key text, identity_kind text, identity_properties jsonb, name text, project_id text, identifier_key text, identity_type text, property jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_insert_rows(target regclass, rows anyarray) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_linked_filter(identifier_keys text[], identity_id text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_page_bounds(kind text, before text, after text, ascending boolean, by_update boolean, OUT lo_at timestamp with time zone, OUT lo_id uuid, OUT hi_at timestamp with time zone, OUT hi_id uuid) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_prepare_for_citus() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_recent_identities(org uuid, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, n integer, name text, project_id text, identifier_key text, identity_type text, property jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_recent_page(org uuid, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, n integer, name text, query_text text, project_id text, include_hidden boolean, exclude_tags text[], all_tags text[], with_metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_tag_entries(org uuid, tag text, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, skip integer, lim integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_tag_page(org uuid, tag text, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, n integer, name text, query_text text, project_id text, include_hidden boolean, exclude_tags text[], all_tags text[], with_metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_tags_shard(agents regclass, agents_schema name, agents_table name) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_tenant_tables() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_two_tags_page(org uuid, driver text, other text, lo_at timestamp with time zone, lo_id uuid, hi_at timestamp with time zone, hi_id uuid, newest boolean, walk integer, n integer, name text, query_text text, project_id text, include_hidden boolean, exclude_tags text[], all_tags text[], with_metadata jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_distribute(shard_count integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_drop_distributed_tables() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_list_tags(query_text text, before text, after text, page_size integer, name text, ascending boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_identity_blocks(identity_id text, before text, after text, page_size integer, ascending boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_forget_identity(identity_id text, agents boolean, blocks boolean, dry_run boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_count_agents_by_tag(tags text[], include_hidden boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_count_by_identity(identity_ids text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_create_block(text, text, integer, text, jsonb, text[], boolean, text, boolean, text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_create_agent(text, text[], text[], text, text, integer, jsonb, text, jsonb, text, boolean, text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_delete_agent(text, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_write_memory(uuid, uuid, jsonb, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_set_memory(uuid, uuid, uuid[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_lock_agent_for_stamp(uuid, uuid, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_default_description(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_import_note(text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_import_indexable() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_import_properties(jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_update_agent(text, text, text[], text[], text, text, integer, jsonb, text, jsonb, boolean, text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_unshared_blocks(uuid, uuid[], uuid[], uuid) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_agent_filters(text[], boolean, text[], text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_count_agents(text[], boolean, text[], text, text, text, text, boolean, text[], text[], jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_list_identities(text, text, text, text, text, jsonb, text, text, integer, boolean, jsonb, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_count_identities(text, text, text, text, text, jsonb, jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_list_identities_page(text, text, text, text, text, jsonb, text, text, integer, boolean, jsonb, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_list_agents(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean, boolean, boolean, text[], text[], jsonb, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_list_agents_page(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean, boolean, boolean, text[], text[], jsonb, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_agents_by_key(text[], boolean, boolean, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_identity_agents(text, boolean, text, text, integer, boolean, boolean, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_linked_blocks(text[], uuid) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_linked_blocks_filter(text[], text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_block_kept(text, text, text, text, boolean, text[], text, text, text, text, text, text[], boolean, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_agents_count_kept(bigint, integer, integer, integer[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_agents_count_cap(integer, integer, integer[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@._letta_recent_blocks(uuid, timestamptz, uuid, timestamptz, uuid, boolean, integer, boolean, text, text, text, text, text, text[], boolean, boolean, integer, integer, integer, integer[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_list_blocks(text, text, text, text, text, text[], text, text[], boolean, integer, integer, integer[], boolean, text, text, integer, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_count_blocks(text, text, text, text, text, text[], text, text[], boolean, integer, integer, integer[], boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_list_blocks_page(text, text, text, text, text, text[], text, text[], boolean, integer, integer, integer[], boolean, text, text, integer, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_update_block(text, text, text, integer, text, jsonb, boolean, text, boolean, text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_attach_agent_block(agent_id text, block_id text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_detach_agent_block(agent_id text, block_id text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_agent_blocks(agent_id text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_get_agent_block(agent_id text, block_label text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_agent_memory(agent_id text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.letta_block_agents(text, boolean, text, text, integer, boolean, boolean, boolean) FROM PUBLIC;

-- End users (tenancy.sql, src/end_user.rs): letta.identifier_key scopes a transaction to one
-- end user of the organization; letta_require_end_user makes a role name one in each.
CREATE TABLE letta_role_end_users (
    role_name name NOT NULL,
    CONSTRAINT letta_role_end_users_pkey PRIMARY KEY (role_name)
);
COMMENT ON TABLE letta_role_end_users IS
'The bound roles that must act for one end user (letta.identifier_key) in each transaction. Written by letta_require_end_user and letta_unbind_role; each role reads its own row.';
SELECT pg_catalog.pg_extension_config_dump('letta_role_end_users', '');
ALTER TABLE letta_role_end_users ENABLE ROW LEVEL SECURITY;
CREATE POLICY letta_own_requirement ON letta_role_end_users FOR SELECT USING (role_name = current_user);
GRANT SELECT ON letta_role_end_users TO PUBLIC;
CREATE FUNCTION "_letta_end_user"() RETURNS TEXT
STRICT STABLE PARALLEL RESTRICTED
LANGUAGE c AS 'MODULE_PATHNAME', '_letta_end_user_wrapper';
CREATE FUNCTION "_letta_end_user_identities"() RETURNS uuid[]
STRICT STABLE PARALLEL RESTRICTED
LANGUAGE c AS 'MODULE_PATHNAME', '_letta_end_user_identities_wrapper';
CREATE FUNCTION "_letta_end_user_agents"() RETURNS uuid[]
STRICT STABLE PARALLEL RESTRICTED
LANGUAGE c AS 'MODULE_PATHNAME', '_letta_end_user_agents_wrapper';
CREATE FUNCTION "_letta_end_user_blocks"() RETURNS uuid[]
STRICT STABLE PARALLEL RESTRICTED
LANGUAGE c AS 'MODULE_PATHNAME', '_letta_end_user_blocks_wrapper';
CREATE FUNCTION "_letta_end_user_wrote"("kind" TEXT, "ids" uuid[]) RETURNS void
STRICT VOLATILE PARALLEL UNSAFE
LANGUAGE c AS 'MODULE_PATHNAME', '_letta_end_user_wrote_wrapper';
CREATE FUNCTION "_letta_written_here"("xmin" bigint) RETURNS bool
STRICT STABLE PARALLEL RESTRICTED
LANGUAGE c AS 'MODULE_PATHNAME', '_letta_written_here_wrapper';
REVOKE EXECUTE ON FUNCTION _letta_end_user() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION _letta_end_user_identities() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION _letta_end_user_agents() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION _letta_end_user_blocks() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION _letta_end_user_wrote(text, uuid[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION _letta_written_here(bigint) FROM PUBLIC;
-- The roles that act for end users are members of letta_end_users, a role of the cluster made
-- here when missing (other databases share it; DROP EXTENSION leaves it): the end users'
-- policies apply to its members only, so that a role serving a whole organization pays nothing
-- for them (at 1M agents they cost such a role 7-12% a call, BENCHMARKS.md).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'letta_end_users') THEN
        CREATE ROLE letta_end_users NOLOGIN;
    END IF;
END
$$;

-- The end users' policies; not on Citus, which refuses a policy that reads another table (a
-- distributed database cannot act for an end user: src/end_user.rs).
DO $do$
BEGIN
    IF cardinality(@extschema@._letta_citus_tables()) = 0 THEN
        EXECUTE $p$CREATE POLICY letta_end_user ON letta_identities AS RESTRICTIVE TO letta_end_users
    USING ((SELECT @extschema@._letta_end_user()) IS NULL
           OR identifier_key = (SELECT @extschema@._letta_end_user()))$p$;
        EXECUTE $p$CREATE POLICY letta_end_user ON letta_agents AS RESTRICTIVE TO letta_end_users
    USING ((SELECT @extschema@._letta_end_user()) IS NULL
           OR id = ANY ((SELECT @extschema@._letta_end_user_agents())::uuid[]))
    WITH CHECK (true)$p$;
        EXECUTE $p$CREATE POLICY letta_end_user ON letta_blocks AS RESTRICTIVE TO letta_end_users
    USING ((SELECT @extschema@._letta_end_user()) IS NULL
           OR id = ANY ((SELECT @extschema@._letta_end_user_blocks())::uuid[]))
    WITH CHECK (true)$p$;
        EXECUTE $p$CREATE POLICY letta_end_user ON letta_agents_tags AS RESTRICTIVE TO letta_end_users
    USING ((SELECT @extschema@._letta_end_user()) IS NULL
           OR agent_id = ANY ((SELECT @extschema@._letta_end_user_agents())::uuid[]))$p$;
        EXECUTE $p$CREATE POLICY letta_end_user ON letta_identities_agents AS RESTRICTIVE TO letta_end_users
    USING ((SELECT @extschema@._letta_end_user()) IS NULL
           OR identity_id = ANY ((SELECT @extschema@._letta_end_user_identities())::uuid[])
           OR agent_id = ANY ((SELECT @extschema@._letta_end_user_agents())::uuid[]))
    WITH CHECK ((SELECT @extschema@._letta_end_user()) IS NULL
                OR identity_id = ANY ((SELECT @extschema@._letta_end_user_identities())::uuid[])
                   AND EXISTS (SELECT FROM @extschema@.letta_agents a
                                WHERE a.organization_id = letta_identities_agents.organization_id
                                  AND a.id = letta_identities_agents.agent_id))$p$;
        EXECUTE $p$CREATE POLICY letta_end_user_delete ON letta_identities_agents AS RESTRICTIVE FOR DELETE TO letta_end_users
    USING ((SELECT @extschema@._letta_end_user()) IS NULL
           OR identity_id = ANY ((SELECT @extschema@._letta_end_user_identities())::uuid[]))$p$;
        EXECUTE $p$CREATE POLICY letta_end_user_update ON letta_identities_agents AS RESTRICTIVE FOR UPDATE TO letta_end_users
    USING ((SELECT @extschema@._letta_end_user()) IS NULL
           OR identity_id = ANY ((SELECT @extschema@._letta_end_user_identities())::uuid[]))$p$;
        EXECUTE $p$CREATE POLICY letta_end_user ON letta_identities_blocks AS RESTRICTIVE TO letta_end_users
    USING ((SELECT @extschema@._letta_end_user()) IS NULL
           OR identity_id = ANY ((SELECT @extschema@._letta_end_user_identities())::uuid[])
           OR block_id = ANY ((SELECT @extschema@._letta_end_user_blocks())::uuid[]))
    WITH CHECK ((SELECT @extschema@._letta_end_user()) IS NULL
                OR identity_id = ANY ((SELECT @extschema@._letta_end_user_identities())::uuid[])
                   AND EXISTS (SELECT FROM @extschema@.letta_blocks b
                                WHERE b.organization_id = letta_identities_blocks.organization_id
                                  AND b.id = letta_identities_blocks.block_id))$p$;
        EXECUTE $p$CREATE POLICY letta_end_user_delete ON letta_identities_blocks AS RESTRICTIVE FOR DELETE TO letta_end_users
    USING ((SELECT @extschema@._letta_end_user()) IS NULL
           OR identity_id = ANY ((SELECT @extschema@._letta_end_user_identities())::uuid[]))$p$;
        EXECUTE $p$CREATE POLICY letta_end_user_update ON letta_identities_blocks AS RESTRICTIVE FOR UPDATE TO letta_end_users
    USING ((SELECT @extschema@._letta_end_user()) IS NULL
           OR identity_id = ANY ((SELECT @extschema@._letta_end_user_identities())::uuid[]))$p$;
        EXECUTE $p$CREATE POLICY letta_end_user ON letta_blocks_agents AS RESTRICTIVE TO letta_end_users
    USING ((SELECT @extschema@._letta_end_user()) IS NULL
           OR agent_id = ANY ((SELECT @extschema@._letta_end_user_agents())::uuid[])
           OR block_id = ANY ((SELECT @extschema@._letta_end_user_blocks())::uuid[]))
    WITH CHECK ((SELECT @extschema@._letta_end_user()) IS NULL
                OR EXISTS (SELECT FROM @extschema@.letta_agents a
                            WHERE a.organization_id = letta_blocks_agents.organization_id
                              AND a.id = letta_blocks_agents.agent_id)
                   AND EXISTS (SELECT FROM @extschema@.letta_blocks b
                                WHERE b.organization_id = letta_blocks_agents.organization_id
                                  AND b.id = letta_blocks_agents.block_id))$p$;
        EXECUTE $p$CREATE POLICY letta_end_user_delete ON letta_blocks_agents AS RESTRICTIVE FOR DELETE TO letta_end_users
    USING ((SELECT @extschema@._letta_end_user()) IS NULL
           OR agent_id = ANY ((SELECT @extschema@._letta_end_user_agents())::uuid[]))$p$;
        EXECUTE $p$CREATE POLICY letta_end_user_update ON letta_blocks_agents AS RESTRICTIVE FOR UPDATE TO letta_end_users
    USING ((SELECT @extschema@._letta_end_user()) IS NULL
           OR agent_id = ANY ((SELECT @extschema@._letta_end_user_agents())::uuid[]))$p$;
    END IF;
END
$do$;
-- Administrators: the role must act for one end user in each transaction (SET LOCAL
-- letta.identifier_key), or (required => false) no longer must.
CREATE FUNCTION letta_require_end_user(role_name text, required boolean DEFAULT true)
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
    IF required AND cardinality(@extschema@._letta_citus_tables()) > 0 THEN
        RAISE EXCEPTION 'cannot require end users on Citus' USING ERRCODE = 'feature_not_supported',
              DETAIL = 'End-user scoping (letta.identifier_key) works on one node only in this version.';
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
REVOKE EXECUTE ON FUNCTION letta_require_end_user(text, boolean) FROM PUBLIC;

-- A binding deleted takes its grants back (on Citus, on every node): tenancy.sql.
CREATE OR REPLACE FUNCTION _letta_grant_binding()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    grantee text;
BEGIN
    FOREACH grantee IN ARRAY CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.role_name]
                                        WHEN 'DELETE' THEN ARRAY[OLD.role_name]
                                        ELSE ARRAY[OLD.role_name, NEW.role_name] END
    LOOP
        -- The role exists (a restore may precede its CREATE ROLE; a DROP ROLE may follow).
        IF EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = grantee) THEN
            -- Bound or not as the transaction commits.
            PERFORM @extschema@._letta_grant(grantee, EXISTS (
                SELECT FROM @extschema@.letta_role_organizations b WHERE b.role_name = grantee));
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
DROP TRIGGER letta_role_organizations_grant ON letta_role_organizations;
CREATE CONSTRAINT TRIGGER letta_role_organizations_grant
    AFTER INSERT OR UPDATE OR DELETE ON letta_role_organizations
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION _letta_grant_binding();

-- The administrators' functions run with search_path pinned (tenancy.sql).
CREATE OR REPLACE FUNCTION letta_bind_role(role_name text, organization_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    org uuid := @extschema@._letta_uuid(organization_id, 'org', 'organization_id');
BEGIN
    PERFORM @extschema@._letta_grant(role_name, true);
    INSERT INTO @extschema@.letta_role_organizations AS b (role_name, organization_id, may_switch)
    VALUES (role_name, org, false)
    ON CONFLICT ON CONSTRAINT letta_role_organizations_pkey
    DO UPDATE SET organization_id = excluded.organization_id, may_switch = false;
END
$$;

CREATE OR REPLACE FUNCTION letta_allow_switching(role_name text)
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM @extschema@._letta_grant(role_name, true);
    INSERT INTO @extschema@.letta_role_organizations AS b (role_name, organization_id, may_switch)
    VALUES (role_name, NULL, true)
    ON CONFLICT ON CONSTRAINT letta_role_organizations_pkey
    DO UPDATE SET organization_id = NULL, may_switch = true;
END
$$;


-- A binding is its role's, not its name's (tenancy.sql): the bound roles get the mark as the
-- rows are touched below.
CREATE DOMAIN letta_bound_role AS boolean;
COMMENT ON DOMAIN letta_bound_role IS
'The mark of a bound role: USAGE on it is granted to each role an administrator binds (letta_bind_role, letta_allow_switching), and the binding is taken only for a role that holds it.';
REVOKE USAGE ON DOMAIN letta_bound_role FROM PUBLIC;

-- Bound roles get what this update added, and lose EXECUTE on the triggers' functions, when it
-- commits (tenancy.sql); each binding records its role.
UPDATE @extschema@.letta_role_organizations SET may_switch = may_switch;

-- Agents tagged role:subagent are hidden, as Letta's own migration did when it made the tag
-- hide an agent (its times stay: nothing the caller wrote changed).
UPDATE @extschema@.letta_agents SET hidden = true WHERE tags @>> ARRAY['role:subagent'] AND NOT hidden;

-- No planner statistics left of an earlier ANALYZE on what the tenant tables hold (tenancy.sql).
DELETE FROM pg_catalog.pg_statistic s
 USING pg_catalog.pg_attribute a
 WHERE s.starelid = ANY (@extschema@._letta_tenant_tables())
   AND a.attrelid = s.starelid AND a.attnum = s.staattnum AND a.attstattarget = 0;

-- On Citus (letta_distribute), the re-created functions as distribution left them.
SELECT @extschema@._letta_prepare_for_citus() WHERE cardinality(@extschema@._letta_citus_tables()) > 0;
