-- One random write of the concurrency workload: every write function of the API, identities,
-- agents, tags, blocks and agents' memory (label renames, shared blocks, deletes with and
-- without their blocks), forget, the bulk path with memory, and an end user's writes.
-- Outcomes that a racing client can cause (the row is gone: P0002; the key or a label is
-- taken: 23505) are expected and ignored. A deadlock or a serialization failure reaches
-- pgbench as a failed transaction; any other error aborts the pgbench client, and pgbench
-- exits 2 (tests/safety/run checks both). (IF, not PERFORM ... WHERE: the planner folds a call
-- with constant arguments even under a false WHERE.)
CREATE FUNCTION workload_step(op integer, k integer, a integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    agent    text := format('agent-00000000-0000-4000-8000-%s', lpad(a::text, 12, '0'));
    other    text := format('agent-00000000-0000-4000-8000-%s', lpad((a % 300 + 1)::text, 12, '0'));
    identity text := (SELECT id FROM letta_list_identities(identifier_key => 'user_' || k));
    neighbor text := (SELECT id FROM letta_list_identities(identifier_key => 'user_' || (k % 60 + 1)));
    -- A block, by its place among the organization's (there are about 120).
    block    text := (SELECT 'block-' || b.id FROM letta_blocks b ORDER BY b.id OFFSET a % 120 LIMIT 1);
    second   text := (SELECT 'block-' || b.id FROM letta_blocks b ORDER BY b.id OFFSET (a * 7) % 120 LIMIT 1);
    label    text := 'l' || (a % 4);
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
    WHEN 11 THEN IF identity IS NOT NULL THEN PERFORM letta_update_identity(identity, agent_ids => ARRAY[agent, other]); END IF;
    -- Blocks and agents' memory.
    WHEN 12 THEN PERFORM letta_create_block(label, 'v' || a,
                     identity_ids => CASE WHEN identity IS NULL THEN '{}' ELSE ARRAY[identity] END);
    WHEN 13 THEN IF block IS NOT NULL THEN PERFORM letta_update_block(block, label => label, value => 'w' || a); END IF;
    WHEN 14 THEN IF block IS NOT NULL AND a % 3 = 0 THEN PERFORM letta_delete_block(block); END IF;
    WHEN 15 THEN IF block IS NOT NULL THEN PERFORM letta_attach_agent_block(agent, block); END IF;
    WHEN 16 THEN IF block IS NOT NULL THEN PERFORM letta_detach_agent_block(agent, block); END IF;
    WHEN 17 THEN IF block IS NOT NULL AND identity IS NOT NULL THEN PERFORM letta_attach_block(identity, block); END IF;
    WHEN 18 THEN PERFORM letta_create_agent(id => agent, name => 'agent ' || a, tags => ARRAY['common'],
                     memory_blocks => jsonb_build_array(jsonb_build_object('label', label, 'value', 'm' || a)),
                     block_ids => CASE WHEN second IS NULL THEN '{}' ELSE ARRAY[second] END);
    WHEN 19 THEN PERFORM letta_update_agent(agent, memory_blocks => jsonb_build_array(
                     jsonb_build_object('label', label, 'value', 'u' || a), jsonb_build_object('label', 'notes', 'value', 'n')));
    WHEN 20 THEN PERFORM letta_update_agent(agent, block_ids => ARRAY(SELECT x FROM unnest(ARRAY[block, second]) x WHERE x IS NOT NULL));
    WHEN 21 THEN PERFORM letta_delete_agent(agent, delete_blocks => true);
    WHEN 22 THEN IF identity IS NOT NULL THEN PERFORM letta_forget_identity(identity, dry_run => a % 2 = 0); END IF;
    WHEN 23 THEN PERFORM letta_create_agents(jsonb_build_array(
                     jsonb_build_object('id', agent, 'memory_blocks', jsonb_build_array(jsonb_build_object('label', label, 'value', 'b'))),
                     jsonb_build_object('id', other, 'tags', jsonb_build_array('bulk'))));
    ELSE
        -- An end user's writes, as the application's role (a superuser bypasses row-level
        -- security, which end users need): their new agent and block, theirs in this
        -- transaction. (Role and end user go with the subtransaction if a call fails.)
        IF identity IS NOT NULL THEN
            SET LOCAL ROLE letta_workload_app;
            PERFORM set_config('letta.identifier_key', 'user_' || k, true);
            PERFORM letta_create_agent(name => 'of user ' || k, memory_blocks => '[{"label": "human", "value": "me"}]');
            PERFORM letta_create_block('mine', 'x');
        END IF;
    END CASE;
EXCEPTION WHEN no_data_found OR unique_violation THEN
    NULL;
END
$$;
