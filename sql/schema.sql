-- letta_identity: the tables, each with its indexes, and the result types. Tenancy (row-level
-- security, the role bindings) is in tenancy.sql; the GIN index on tags and the ordered tag
-- index letta_agents_tags in tags.sql, with the operators and triggers they need.
--
-- The tables hold what Letta holds (the import keeps it, sql/import.sql): the rules of the
-- API's input (no empty key or name, at most 1000 bytes, ...) are the functions' checks, not
-- the tables'; a table checks what the functions rely on (types, shapes, ids).
--
-- IDs are stored as uuid (16 bytes) and shown in Letta's text forms (identity-<uuid>,
-- agent-<uuid>, org-<uuid>) only at the API boundary: keys and indexes stay small.
-- Every row carries organization_id and every key that ties rows together includes it,
-- so a link can never cross organizations and the tables can be distributed by it.
-- pg_extension_config_dump: pg_dump keeps the rows of extension tables only when told to.

-- Write stamps (src/stamps.rs), declared here because the tables' defaults call them: rows
-- written in one transaction keep their order (now() would give them all the same time).
CREATE FUNCTION _letta_stamp() RETURNS timestamptz
VOLATILE PARALLEL UNSAFE LANGUAGE c AS 'MODULE_PATHNAME', '_letta_stamp_wrapper';
CREATE FUNCTION _letta_last_stamp() RETURNS timestamptz
VOLATILE PARALLEL UNSAFE LANGUAGE c AS 'MODULE_PATHNAME', '_letta_last_stamp_wrapper';

-- A block's limit when none is given: Letta's CORE_MEMORY_BLOCK_CHAR_LIMIT.
CREATE FUNCTION _letta_default_limit() RETURNS integer
IMMUTABLE PARALLEL SAFE LANGUAGE sql RETURN 100000;

CREATE TABLE letta_identities (
    organization_id uuid        NOT NULL,
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    identifier_key  text        NOT NULL,
    name            text        NOT NULL,
    identity_type   text        NOT NULL CHECK (identity_type IN ('user', 'org', 'other')),
    project_id      text,
    properties      jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(properties) = 'array'),
    created_at      timestamptz NOT NULL DEFAULT _letta_stamp(),
    updated_at      timestamptz NOT NULL DEFAULT _letta_last_stamp(),
    CONSTRAINT letta_identities_pkey PRIMARY KEY (organization_id, id),
    -- A NULL project counts as one value, as in Letta.
    CONSTRAINT letta_identities_key_unique
        UNIQUE NULLS NOT DISTINCT (organization_id, identifier_key, project_id)
);
COMMENT ON TABLE letta_identities IS
'Identities: an application''s users or organizations (Letta''s identities), found by identifier_key (unique per organization and project_id); properties is Letta''s list of typed key/value pairs.';
-- Lists in creation order, read either way (newest first is a backward scan). Ascending: writes
-- are stamped in order, so new keys go to the index's right end, where B-tree page splits
-- leave pages full; a descending index takes them at its left end and splits pages in half.
-- Properties are searched by containment (jsonb_path_ops).
CREATE INDEX letta_identities_created_idx ON letta_identities (organization_id, created_at, id);
-- order_by => 'updated_at' (letta_list_identities).
CREATE INDEX letta_identities_updated_idx ON letta_identities (organization_id, updated_at, id);
CREATE INDEX letta_identities_properties_idx ON letta_identities USING gin (properties jsonb_path_ops);
SELECT pg_catalog.pg_extension_config_dump('letta_identities', '');

CREATE TABLE letta_agents (
    organization_id      uuid        NOT NULL,
    id                   uuid        NOT NULL DEFAULT gen_random_uuid(),
    name                 text,
    tags                 text[]      NOT NULL DEFAULT '{}'
        CHECK (array_position(tags, NULL) IS NULL AND coalesce(array_ndims(tags), 1) = 1),
    project_id           text,
    model                text,
    embedding            text,
    context_window_limit integer     CHECK (context_window_limit > 0),
    metadata             jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    hidden               boolean     NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL DEFAULT _letta_stamp(),
    updated_at           timestamptz NOT NULL DEFAULT _letta_last_stamp(),
    CONSTRAINT letta_agents_pkey PRIMARY KEY (organization_id, id)
);
COMMENT ON TABLE letta_agents IS
'Agents (Letta''s agents) with their tags, a set of text kept sorted; their memory is blocks (letta_blocks_agents).';
-- Lists in creation order, ascending as letta_identities_created_idx.
CREATE INDEX letta_agents_created_idx ON letta_agents (organization_id, created_at, id);
-- order_by => 'updated_at' (letta_list_agents).
CREATE INDEX letta_agents_updated_idx ON letta_agents (organization_id, updated_at, id);
SELECT pg_catalog.pg_extension_config_dump('letta_agents', '');

CREATE TABLE letta_identities_agents (
    organization_id uuid NOT NULL,
    identity_id     uuid NOT NULL,
    agent_id        uuid NOT NULL,
    CONSTRAINT letta_identities_agents_pkey PRIMARY KEY (organization_id, identity_id, agent_id),
    CONSTRAINT letta_identities_agents_identity_fkey FOREIGN KEY (organization_id, identity_id)
        REFERENCES letta_identities (organization_id, id) ON DELETE CASCADE,
    CONSTRAINT letta_identities_agents_agent_fkey FOREIGN KEY (organization_id, agent_id)
        REFERENCES letta_agents (organization_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE letta_identities_agents IS
'Which identities own which agents (many to many); both rows in the same organization.';
-- The agent side of the link: deleting an agent or listing its identities must not scan.
CREATE INDEX letta_identities_agents_agent_idx
    ON letta_identities_agents (organization_id, agent_id, identity_id);
SELECT pg_catalog.pg_extension_config_dump('letta_identities_agents', '');

-- Memory blocks that identities share (Letta's blocks). "limit" is Letta's name for the
-- number of characters value should keep to: recorded and returned, not enforced (as in Letta,
-- whose agents' tools read it).
CREATE TABLE letta_blocks (
    organization_id uuid        NOT NULL,
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    label           text        NOT NULL,
    value           text        NOT NULL DEFAULT '',
    "limit"         integer     NOT NULL DEFAULT _letta_default_limit(),
    description     text,
    metadata        jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at      timestamptz NOT NULL DEFAULT _letta_stamp(),
    updated_at      timestamptz NOT NULL DEFAULT _letta_last_stamp(),
    read_only       boolean     NOT NULL DEFAULT false,
    project_id      text,
    hidden          boolean     NOT NULL DEFAULT false,
    tags            text[]      NOT NULL DEFAULT '{}'
        CHECK (array_position(tags, NULL) IS NULL AND coalesce(array_ndims(tags), 1) = 1),
    CONSTRAINT letta_blocks_pkey PRIMARY KEY (organization_id, id),
    -- What letta_blocks_agents' label refers to.
    CONSTRAINT letta_blocks_label_key UNIQUE (organization_id, id, label)
);
COMMENT ON TABLE letta_blocks IS
'Memory blocks that identities and agents share (Letta''s blocks); "limit" is the number of characters value should keep to (advisory, as in Letta); read_only is for the agents'' own memory tools (the API changes such a block); tags a set, as agents''.';
-- Lists in creation order, ascending as letta_identities_created_idx; by label, in that order.
CREATE INDEX letta_blocks_created_idx ON letta_blocks (organization_id, created_at, id);
CREATE INDEX letta_blocks_label_idx ON letta_blocks (organization_id, label, created_at, id);
-- The tagged blocks, for the distinct tags (letta_list_tags): one probe when none is tagged.
-- (Not their tags in the index: a B-tree entry has a size limit that tags need not keep.)
CREATE INDEX letta_blocks_tagged_idx ON letta_blocks (organization_id) WHERE tags <> '{}';
SELECT pg_catalog.pg_extension_config_dump('letta_blocks', '');

CREATE TABLE letta_identities_blocks (
    organization_id uuid NOT NULL,
    identity_id     uuid NOT NULL,
    block_id        uuid NOT NULL,
    CONSTRAINT letta_identities_blocks_pkey PRIMARY KEY (organization_id, identity_id, block_id),
    CONSTRAINT letta_identities_blocks_identity_fkey FOREIGN KEY (organization_id, identity_id)
        REFERENCES letta_identities (organization_id, id) ON DELETE CASCADE,
    CONSTRAINT letta_identities_blocks_block_fkey FOREIGN KEY (organization_id, block_id)
        REFERENCES letta_blocks (organization_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE letta_identities_blocks IS
'Which identities share which blocks (many to many); both rows in the same organization.';
CREATE INDEX letta_identities_blocks_block_idx
    ON letta_identities_blocks (organization_id, block_id, identity_id);
SELECT pg_catalog.pg_extension_config_dump('letta_identities_blocks', '');

-- Which blocks are in which agents' memory (many to many). The link carries the block's label,
-- so that an agent's labels are unique, as in Letta; letta_update_block renames a block and its
-- links in one transaction, and the foreign key, checked at commit, keeps them equal. (Not ON
-- UPDATE CASCADE: Citus refuses it where the key includes the distribution column.)
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
-- The block side of the link: the agents of a block, and deleting a block, must not scan.
CREATE INDEX letta_blocks_agents_block_idx
    ON letta_blocks_agents (organization_id, block_id, agent_id);
SELECT pg_catalog.pg_extension_config_dump('letta_blocks_agents', '');

-- What the API returns. Column order follows Letta's JSON, so to_jsonb(row) is Letta's response.
CREATE TYPE letta_identity AS (
    id              text,
    identifier_key  text,
    name            text,
    identity_type   text,
    project_id      text,
    agent_ids       text[],
    block_ids       text[],
    organization_id text,
    properties      jsonb,
    created_at      timestamptz,
    updated_at      timestamptz
);
COMMENT ON TYPE letta_identity IS
'An identity as the functions return it: Letta''s JSON field order, text ids (identity-<uuid>).';

CREATE TYPE letta_agent AS (
    id                   text,
    name                 text,
    tags                 text[],
    identity_ids         text[],
    project_id           text,
    organization_id      text,
    model                text,
    embedding            text,
    context_window_limit integer,
    memory_blocks        jsonb,  -- the blocks in its memory, oldest first (letta_blocks_agents)
    metadata             jsonb,
    hidden               boolean,
    created_at           timestamptz,
    updated_at           timestamptz,
    identities           jsonb  -- its identities as Letta 1.0 embeds them (fields added since 0.4.0 last)
);
COMMENT ON TYPE letta_agent IS
'An agent as the functions return it: Letta''s JSON field order (fields added since 0.4.0 last), text ids (agent-<uuid>).';

CREATE TYPE letta_block AS (
    id              text,
    label           text,
    value           text,
    "limit"         integer,
    description     text,
    metadata        jsonb,
    identity_ids    text[],
    organization_id text,
    created_at      timestamptz,
    updated_at      timestamptz,
    read_only       boolean,
    project_id      text,
    hidden          boolean,
    tags            text[]
);
COMMENT ON TYPE letta_block IS
'A block as the functions return it: Letta''s JSON field order (fields added since 0.4.0 last), text ids (block-<uuid>).';

-- One page of a list, with what a client needs to ask for the next one.
CREATE TYPE letta_page AS (
    items       jsonb,
    has_more    boolean,
    next_cursor text
);
COMMENT ON TYPE letta_page IS
'One page of a list: its items as JSON, whether more follow, and the cursor of the next page.';
