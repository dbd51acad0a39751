-- One random write of the concurrency workload. Outcomes that a racing client can cause
-- (the row is gone: P0002; the key is taken: 23505) are expected and ignored. A deadlock or a
-- serialization failure reaches pgbench as a failed transaction; any other error aborts the
-- pgbench client, and pgbench exits 2 (tests/safety/run checks both). (IF, not PERFORM ... WHERE:
-- the planner folds a call with constant arguments even under a false WHERE.)
CREATE FUNCTION workload_step(op integer, k integer, a integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    agent    text := format('agent-00000000-0000-4000-8000-%s', lpad(a::text, 12, '0'));
    other    text := format('agent-00000000-0000-4000-8000-%s', lpad((a % 300 + 1)::text, 12, '0'));
    identity text := (SELECT id FROM letta_list_identities(identifier_key => 'user_' || k));
    neighbor text := (SELECT id FROM letta_list_identities(identifier_key => 'user_' || (k % 60 + 1)));
BEGIN
    CASE op
    WHEN 1 THEN PERFORM letta_create_identity('user_' || k, 'User ' || k);
    WHEN 2 THEN PERFORM letta_upsert_identity('user_' || k, 'User ' || k || ' v2', agent_ids => ARRAY[agent, other],
                     properties => jsonb_build_array(jsonb_build_object('key', 'a', 'value', a, 'type', 'number')));
    WHEN 3 THEN PERFORM letta_create_agent(id => agent, name => 'agent ' || a, tags => ARRAY['t' || (a % 7), 'common'],
                     identity_ids => CASE WHEN identity IS NULL THEN '{}' ELSE ARRAY[identity] END);
    WHEN 4 THEN IF identity IS NOT NULL THEN PERFORM letta_attach_agent(identity, agent); END IF;
    WHEN 5 THEN IF identity IS NOT NULL THEN PERFORM letta_detach_agent(identity, agent); END IF;
    WHEN 6 THEN PERFORM letta_add_agent_tags(agent, ARRAY['t' || (k % 5), 'added']);
    WHEN 7 THEN PERFORM letta_remove_agent_tags(agent, ARRAY['added', 'common']);
    WHEN 8 THEN PERFORM letta_update_agent(agent, identity_ids => ARRAY(SELECT x FROM unnest(ARRAY[identity, neighbor]) x WHERE x IS NOT NULL));
    WHEN 9 THEN PERFORM letta_delete_agent(agent);
    WHEN 10 THEN IF identity IS NOT NULL THEN PERFORM letta_delete_identity(identity); END IF;
    ELSE IF identity IS NOT NULL THEN PERFORM letta_update_identity(identity, agent_ids => ARRAY[agent, other]); END IF;
    END CASE;
EXCEPTION WHEN no_data_found OR unique_violation THEN
    NULL;
END
$$;
