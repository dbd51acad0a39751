-- The benchmark's database, besides the extension: Letta's own schema as the baseline, and the
-- numbered ids the pgbench scripts pick from.

-- Letta's tables as its server creates them (letta/orm, v0.16): text ids, tags in their own table
-- with three B-trees, and an identities_agents link keyed (identity_id, agent_id) with no index
-- on agent_id. Columns that carry nothing in this dataset (system prompt, tool rules, ...) are
-- left out; where Letta's index set is unknown (the identity list), the baseline gets an index.
CREATE SCHEMA letta_baseline;

CREATE TABLE letta_baseline.identities (
    id                  text PRIMARY KEY,
    identifier_key      text NOT NULL,
    name                text NOT NULL,
    identity_type       text NOT NULL,
    project_id          text,
    organization_id     text NOT NULL,
    properties          json NOT NULL DEFAULT '[]',
    created_at          timestamptz DEFAULT now(),
    updated_at          timestamptz DEFAULT now(),
    is_deleted          boolean NOT NULL DEFAULT false,
    _created_by_id      text,
    _last_updated_by_id text,
    CONSTRAINT unique_identifier_key_project_id_organization_id
        UNIQUE NULLS NOT DISTINCT (identifier_key, project_id, organization_id)
);
CREATE INDEX ix_identities_created_at ON letta_baseline.identities (created_at, id);

CREATE TABLE letta_baseline.agents (
    id                  text PRIMARY KEY,
    name                text,
    organization_id     text NOT NULL,
    project_id          text,
    llm_config          json,
    embedding_config    json,
    metadata_           json,
    hidden              boolean,
    created_at          timestamptz DEFAULT now(),
    updated_at          timestamptz DEFAULT now(),
    is_deleted          boolean NOT NULL DEFAULT false,
    _created_by_id      text,
    _last_updated_by_id text
);
CREATE INDEX ix_agents_created_at ON letta_baseline.agents (created_at, id);
CREATE INDEX ix_agents_organization_id ON letta_baseline.agents (organization_id);
CREATE INDEX ix_agents_project_id ON letta_baseline.agents (project_id);

CREATE TABLE letta_baseline.agents_tags (
    agent_id text NOT NULL REFERENCES letta_baseline.agents (id) ON DELETE CASCADE,
    tag      text NOT NULL,
    CONSTRAINT unique_agent_tag UNIQUE (agent_id, tag)
);
CREATE INDEX ix_agents_tags_agent_id_tag ON letta_baseline.agents_tags (agent_id, tag);
CREATE INDEX ix_agents_tags_tag_agent_id ON letta_baseline.agents_tags (tag, agent_id);

CREATE TABLE letta_baseline.identities_agents (
    identity_id text NOT NULL REFERENCES letta_baseline.identities (id) ON DELETE CASCADE,
    agent_id    text NOT NULL REFERENCES letta_baseline.agents (id) ON DELETE CASCADE,
    PRIMARY KEY (identity_id, agent_id)
);

-- Numbered ids, so that a pgbench script can pick a random identity or agent with \set.
CREATE SCHEMA bench;
CREATE TABLE bench.identity (n integer PRIMARY KEY, id text NOT NULL);
CREATE TABLE bench.agent (n integer PRIMARY KEY, id text NOT NULL);
-- Deletes take agents in order, each once, on each side.
CREATE SEQUENCE bench.extension_victim;
CREATE SEQUENCE bench.baseline_victim;
-- What the load measured.
CREATE TABLE bench.timing (step text PRIMARY KEY, seconds numeric NOT NULL);
-- Agents to load, as the JSON batches letta_create_agents takes.
CREATE TABLE bench.agent_batch (b integer PRIMARY KEY, agents jsonb NOT NULL);

-- A tag of the dataset by its frequency rank: tag-0001 is the most common.
CREATE FUNCTION bench.tag(rank integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN 'tag-' || lpad(rank::text, 4, '0');

-- The id of identity or agent number n. Declared IMMUTABLE, which holds once the load has
-- filled the maps: the planner then folds bench.identity_id(:i) into the id itself, and the
-- query is planned as an application's, which sends the id as a value. PL/pgSQL, whose plan is
-- kept: where it is not folded (a prepared statement's generic plan), a SQL function with a
-- subquery is read and planned again at each call (8% of a create's time, both sides alike).
CREATE FUNCTION bench.identity_id(n bigint) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$ BEGIN RETURN (SELECT i.id FROM bench.identity i WHERE i.n = identity_id.n); END $$;
CREATE FUNCTION bench.agent_id(n bigint) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
AS $$ BEGIN RETURN (SELECT a.id FROM bench.agent a WHERE a.n = agent_id.n); END $$;

-- The application's role: bound to the default organization, so row-level security applies.
-- letta_bench_end_users acts for one end user in each transaction (end_user_agents).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'letta_bench_app') THEN
        CREATE ROLE letta_bench_app LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'letta_bench_end_users') THEN
        CREATE ROLE letta_bench_end_users LOGIN;
    END IF;
END
$$;
SELECT letta_bind_role('letta_bench_app', 'org-00000000-0000-4000-8000-000000000000');
SELECT letta_bind_role('letta_bench_end_users', 'org-00000000-0000-4000-8000-000000000000');
SELECT letta_require_end_user('letta_bench_end_users');
GRANT USAGE ON SCHEMA letta_baseline, bench TO letta_bench_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA letta_baseline, bench TO letta_bench_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA bench TO letta_bench_app;
