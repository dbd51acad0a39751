-- The dataset, loaded through the extension's functions, then copied into Letta's schema.
-- psql variables: identities, agents, batch (agents per letta_create_agents call), work (a
-- directory the server may write). Agent i of identity k: about agents/identities agents per
-- identity, one agent in ten shared with a second identity; 5 distinct tags per agent from
-- 1,000, Zipf-like (rank r drawn with probability ~ 1/r: tag-0001 on about half the agents).
\set ON_ERROR_STOP on
\set QUIET on
\pset tuples_only on

\echo identities: letta_create_identity x :identities
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
\o /dev/null
SELECT format('SELECT count(letta_create_identity(''user_'' || n, ''User '' || n)) FROM generate_series(%s, %s) n',
              lo, least(lo + :batch - 1, :identities))
  FROM generate_series(1, :identities, :batch) lo \gexec
\o
INSERT INTO bench.timing SELECT 'identities: letta_create_identity', extract(epoch FROM clock_timestamp()) - :t0;
INSERT INTO bench.identity SELECT substr(identifier_key, 6)::integer, 'identity-' || id FROM letta_identities;

\echo agents: building the JSON batches
SELECT setseed(0.5) \g /dev/null
INSERT INTO bench.agent_batch
SELECT (n - 1) / :batch, jsonb_agg(jsonb_build_object(
           'name', 'agent ' || n,
           'tags', (SELECT jsonb_agg(t ORDER BY first)
                      FROM (SELECT t, min(i) AS first
                              FROM (SELECT i, bench.tag(least(1000, floor(exp(random() * ln(1001)))::integer)) AS t
                                      FROM generate_series(1, 12 + 0 * n) i) draws
                             GROUP BY t ORDER BY min(i) LIMIT 5) five),
           'identity_ids', (SELECT jsonb_agg(i.id) FROM bench.identity i WHERE i.n IN (r.owner, r.sharer)),
           'model', 'openai/gpt-4o-mini',
           'embedding', 'openai/text-embedding-3-small') ORDER BY n)
  FROM generate_series(1, :agents) n,
       LATERAL (SELECT 1 + floor(random() * :identities)::integer AS owner,
                       CASE WHEN random() < 0.1 THEN 1 + floor(random() * :identities)::integer END AS sharer,
                       n AS per_row) r
 GROUP BY (n - 1) / :batch;

\echo agents: letta_create_agents x :agents (batches of :batch)
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
\o /dev/null
SELECT format('SELECT cardinality(letta_create_agents(agents)) FROM bench.agent_batch WHERE b = %s', b)
  FROM bench.agent_batch ORDER BY b \gexec
\o
INSERT INTO bench.timing SELECT 'agents: letta_create_agents', extract(epoch FROM clock_timestamp()) - :t0;

\echo agents: COPY of the same rows into the same tables
\set agents_file :work '/agents.copy'
\set links_file :work '/links.copy'
COPY letta_agents TO :'agents_file';
COPY letta_identities_agents TO :'links_file';
TRUNCATE letta_identities_agents, letta_blocks_agents, letta_agents;
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
BEGIN;
COPY letta_agents FROM :'agents_file';
COPY letta_identities_agents FROM :'links_file';
COMMIT;
INSERT INTO bench.timing SELECT 'agents: COPY', extract(epoch FROM clock_timestamp()) - :t0;

\echo baseline: the same rows in the schema of Letta
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
INSERT INTO letta_baseline.identities (id, identifier_key, name, identity_type, project_id, organization_id,
                                       properties, created_at, updated_at)
SELECT 'identity-' || id, identifier_key, name, identity_type, project_id, 'org-' || organization_id,
       properties::json, created_at, updated_at
  FROM letta_identities;
INSERT INTO letta_baseline.agents (id, name, organization_id, project_id, llm_config, embedding_config,
                                   metadata_, hidden, created_at, updated_at)
SELECT 'agent-' || id, name, 'org-' || organization_id, project_id, json_build_object('model', model),
       json_build_object('embedding_model', embedding), metadata::json, hidden, created_at, updated_at
  FROM letta_agents;
INSERT INTO letta_baseline.agents_tags (agent_id, tag)
SELECT 'agent-' || a.id, t FROM letta_agents a, unnest(a.tags) t;
INSERT INTO letta_baseline.identities_agents (identity_id, agent_id)
SELECT 'identity-' || identity_id, 'agent-' || agent_id FROM letta_identities_agents;
INSERT INTO bench.timing SELECT 'baseline: INSERT ... SELECT', extract(epoch FROM clock_timestamp()) - :t0;

INSERT INTO bench.agent SELECT row_number() OVER (ORDER BY created_at, id), 'agent-' || id FROM letta_agents;
TRUNCATE bench.agent_batch;
VACUUM ANALYZE;
