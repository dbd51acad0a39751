-- letta_identity 0.4.0 -> 0.5.0 (in progress): the query path, planned once per connection.
-- The fixed-shape lookups (agents and blocks by identifier key, an identity's blocks) are
-- PL/pgSQL with a generic plan and the organization as a value: planned once per connection
-- in the simple protocol too, where the inlined SQL was planned at every call.
-- letta_create_agents takes its accepted keys from letta_create_agent's arguments.
-- Drafted by scripts/upgrade-draft 0.4.0.
-- Changed: letta_agents_by_key, letta_blocks_by_key, letta_create_agents, letta_identity_blocks.
\echo Use "ALTER EXTENSION letta_identity UPDATE TO '0.5.0'" to load this file. \quit

CREATE OR REPLACE FUNCTION letta_create_agents(agents jsonb)
RETURNS text[]
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    org     uuid   := @extschema@._letta_org();
    -- The keys an element may have are letta_create_agent's arguments: one list for both.
    known   text[] := (SELECT p.proargnames FROM pg_catalog.pg_proc p
                        WHERE p.oid = '@extschema@.letta_create_agent'::pg_catalog.regproc);
    problem text;
    ids     text[];
BEGIN
    IF jsonb_typeof(agents) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'agents must be a JSON array of objects, got %', coalesce(left(agents::text, 80), 'NULL')
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The first element that is not an object of known keys.
    SELECT format('agents[%s]: %s', e.n - 1, coalesce(
               CASE WHEN jsonb_typeof(e.agent) <> 'object' THEN 'not an object: ' || left(e.agent::text, 80) END,
               (SELECT 'unknown key "' || left(k, 80) || '"' FROM jsonb_object_keys(e.agent) k
                 WHERE k <> ALL (known) LIMIT 1)))
      INTO problem
      FROM jsonb_array_elements(agents) WITH ORDINALITY AS e(agent, n)
     WHERE jsonb_typeof(e.agent) <> 'object'
        OR EXISTS (SELECT FROM jsonb_object_keys(e.agent) k WHERE k <> ALL (known))
     ORDER BY e.n
     LIMIT 1;
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION '%', problem USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- The identities must exist; they stay locked against deletion until the links are in.
    PERFORM @extschema@._letta_lock_rows(org, 'identity', ARRAY(
        SELECT DISTINCT i
          FROM jsonb_array_elements(agents) AS e(agent),
               jsonb_to_record(e.agent) AS r(identity_ids text[]),
               unnest(@extschema@._letta_uuids(r.identity_ids, 'identity', 'identity_ids')) AS i));
    WITH input AS MATERIALIZED (
        SELECT e.n,
               CASE WHEN r.id IS NULL THEN gen_random_uuid()
                    ELSE @extschema@._letta_uuid(r.id, 'agent', 'id') END AS id,
               r.name, r.tags, r.model, r.embedding,
               @extschema@._letta_positive(r.context_window_limit,
                                           format('agents[%s].context_window_limit', e.n - 1)) AS context_window_limit,
               r.memory_blocks,
               r.project_id, r.metadata, r.hidden,
               @extschema@._letta_uuids(r.identity_ids, 'identity', 'identity_ids') AS identities
          FROM jsonb_array_elements(agents) WITH ORDINALITY AS e(agent, n),
               jsonb_to_record(e.agent) AS r(id text, name text, tags text[], identity_ids text[],
                   model text, embedding text, context_window_limit integer, memory_blocks jsonb,
                   project_id text, metadata jsonb, hidden boolean)
    ), new_agents AS (
        INSERT INTO @extschema@.letta_agents
               (organization_id, id, name, tags, project_id, model, embedding,
                context_window_limit, memory_blocks, metadata, hidden)
        SELECT org, i.id, i.name,
               @extschema@._letta_tags(coalesce(i.tags, '{}')),
               @extschema@._letta_project_id(i.project_id),
               i.model, i.embedding, i.context_window_limit,
               @extschema@._letta_memory_blocks(coalesce(i.memory_blocks, '[]')),
               @extschema@._letta_metadata(coalesce(i.metadata, '{}')),
               coalesce(i.hidden, false)
          FROM input i
    ), new_links AS (
        INSERT INTO @extschema@.letta_identities_agents (organization_id, identity_id, agent_id)
        SELECT org, l, i.id FROM input i, unnest(i.identities) AS l
    )
    SELECT coalesce(array_agg('agent-' || i.id ORDER BY i.n), '{}') INTO ids FROM input i;
    RETURN ids;
END
$$;

COMMENT ON FUNCTION letta_create_agents(jsonb) IS
'Create many agents in one call: a JSON array of objects whose keys are letta_create_agent''s arguments. Returns the new ids in input order. All or nothing.';

CREATE OR REPLACE FUNCTION letta_agents_by_key(identifier_keys text[], include_hidden boolean DEFAULT false)
RETURNS SETOF @extschema@.letta_agent
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
-- PL/pgSQL with a generic plan: one query of fixed shape (the keys' identities, their links,
-- the agents by primary key), right for every key, planned once per connection in either
-- protocol (inlined SQL was planned at every simple-protocol call). The organization is a
-- value. (The agents are a subquery so that _letta_agent_out(a) reads columns, not a whole-row
-- value built for every agent.)
DECLARE
    org uuid := @extschema@._letta_org();
BEGIN
    PERFORM @extschema@._letta_check_list(identifier_keys, 'identifier_keys', true);
    RETURN QUERY
    SELECT o.*
      FROM (SELECT * FROM @extschema@.letta_agents) a
     CROSS JOIN LATERAL @extschema@._letta_agent_out(a) o
     WHERE a.organization_id = org
       AND a.id = ANY (@extschema@._letta_linked_agents(identifier_keys, NULL))
       AND (include_hidden IS TRUE OR NOT a.hidden)
     ORDER BY a.created_at DESC, a.id DESC;
END
$$;

COMMENT ON FUNCTION letta_agents_by_key(text[], boolean) IS
'Agents linked to any identity with one of these identifier keys (any project), each once, newest first; hidden agents only with include_hidden.';

CREATE OR REPLACE FUNCTION letta_identity_blocks(identity_id text)
RETURNS SETOF @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
-- PL/pgSQL with a generic plan, like letta_agents_by_key: planned once per connection.
DECLARE
    org      uuid := @extschema@._letta_org();
    identity uuid := @extschema@._letta_uuid(identity_id, 'identity', 'identity_id');
BEGIN
    PERFORM @extschema@._letta_exists(org, 'identity', identity);
    RETURN QUERY
    SELECT o.*
      FROM @extschema@.letta_identities_blocks l
      JOIN @extschema@.letta_blocks b ON b.organization_id = l.organization_id AND b.id = l.block_id
     CROSS JOIN LATERAL @extschema@._letta_block_out(b) o
     WHERE l.organization_id = org AND l.identity_id = identity
     ORDER BY b.created_at DESC, b.id DESC;
END
$$;

COMMENT ON FUNCTION letta_identity_blocks(text) IS
'The blocks of one identity, newest first; P0002 if the identity is missing.';

CREATE OR REPLACE FUNCTION letta_blocks_by_key(identifier_keys text[])
RETURNS SETOF @extschema@.letta_block
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET plan_cache_mode = force_generic_plan
AS $$
-- PL/pgSQL with a generic plan, like letta_agents_by_key: planned once per connection.
DECLARE
    org uuid := @extschema@._letta_org();
BEGIN
    PERFORM @extschema@._letta_check_list(identifier_keys, 'identifier_keys', true);
    RETURN QUERY
    SELECT o.*
      FROM @extschema@.letta_blocks b
     CROSS JOIN LATERAL @extschema@._letta_block_out(b) o
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

