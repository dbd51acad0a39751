-- letta_identity 0.4.0 -> 0.5.0 (in progress): the query path, planned once per connection.
-- The fixed-shape lookups (agents and blocks by identifier key, an identity's blocks) are
-- PL/pgSQL with a generic plan and the organization as a value: planned once per connection
-- in the simple protocol too, where the inlined SQL was planned at every call.
-- Drafted by scripts/upgrade-draft 0.4.0.
-- Changed: letta_agents_by_key, letta_blocks_by_key, letta_identity_blocks.
\echo Use "ALTER EXTENSION letta_identity UPDATE TO '0.5.0'" to load this file. \quit

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

