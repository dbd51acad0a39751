-- The security suite's stage: two organizations, A and B, with rows of end users user_1 and
-- user_2 in A and a recognizable amount of B's rows (37 agents and 23 blocks tagged
-- 'b-secret'), the roles bound, and the helpers the attacks print with. (tests/security/run
-- makes the roles and the schemas; every file after this one runs on what this one leaves.)
SELECT extname FROM pg_extension WHERE extname = 'letta_identity';
CREATE SCHEMA test;
GRANT USAGE ON SCHEMA test TO PUBLIC;

-- Uuids masked, but the organizations' (A to E, shown org-<a>), so that output is the
-- same at every run and still says which organization a message is about.
CREATE FUNCTION test.masked(message text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT regexp_replace(regexp_replace(message, '([a-e])\1{7}-\1{4}-4\1{3}-8\1{3}-\1{12}', '<\1>', 'g'),
                          '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', '<uuid>', 'g')
$$;
-- How a statement failed: 'SQLSTATE: message', or 'no error'.
CREATE FUNCTION test.error_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN test.masked(SQLSTATE || ': ' || SQLERRM);
END
$$;
-- What a statement answers: its first row's first column as text, or how it failed.
CREATE FUNCTION test.answer(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE statement INTO result;
    RETURN coalesce(test.masked(result), '(null)');
EXCEPTION WHEN OTHERS THEN
    RETURN test.masked(SQLSTATE || ': ' || SQLERRM);
END
$$;
-- How many rows a write changed, or how it failed.
CREATE FUNCTION test.rows_changed(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE statement;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n || ' rows';
EXCEPTION WHEN OTHERS THEN
    RETURN test.masked(SQLSTATE || ': ' || SQLERRM);
END
$$;

-- The witness an attacker's code calls wherever it gets to run: it writes down who it ran as
-- (current_user), and counts runs as a superuser in a sequence, which no rollback takes back
-- (an attack whose statement fails afterwards still shows). Runs as its caller.
CREATE TABLE test.seen (what text, who name, n serial);
GRANT INSERT, SELECT ON test.seen TO PUBLIC;
GRANT USAGE ON SEQUENCE test.seen_n_seq TO PUBLIC;
CREATE SEQUENCE test.privileged_runs;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE test.privileged_runs TO PUBLIC;
CREATE FUNCTION test.witness(what text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = current_user AND rolsuper) THEN
        PERFORM pg_catalog.nextval('test.privileged_runs');
    END IF;
    INSERT INTO test.seen (what, who) VALUES (what, current_user);
    RETURN true;
END
$$;
-- The superuser runs so far (0 before any).
CREATE FUNCTION test.privileged_runs() RETURNS bigint LANGUAGE sql AS $$
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM test.privileged_runs
$$;
-- Who an attack's code ran as, by what it wrote down: 'nobody' when it never ran.
CREATE FUNCTION test.ran_as(what_like text) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(DISTINCT who::text, ', '), 'nobody') FROM test.seen WHERE what LIKE what_like
$$;

-- A statement's plan lines as its caller sees them (the options in front: 'ANALYZE, ...').
CREATE FUNCTION test.plan(options text, statement text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE format('EXPLAIN (%s) %s', options, statement) LOOP
        RETURN NEXT line;
    END LOOP;
END
$$;

-- Whether the ordered tag index holds exactly what the agents' tags say (as the owner).
CREATE FUNCTION test.tag_index_matches() RETURNS boolean LANGUAGE sql AS $$
    SELECT NOT EXISTS (SELECT organization_id, tag, created_at, agent_id, hidden FROM public.letta_agents_tags
                       EXCEPT SELECT a.organization_id, t, a.created_at, a.id, a.hidden FROM public.letta_agents a, unnest(a.tags) t)
       AND NOT EXISTS (SELECT a.organization_id, t, a.created_at, a.id, a.hidden FROM public.letta_agents a, unnest(a.tags) t
                       EXCEPT SELECT organization_id, tag, created_at, agent_id, hidden FROM public.letta_agents_tags)
$$;
-- Rebuilt from the agents when it does not (after an attack that changed it), for the files
-- after the one that found it so.
CREATE FUNCTION test.repair_tag_index() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT test.tag_index_matches() THEN
        DELETE FROM public.letta_agents_tags;
        INSERT INTO public.letta_agents_tags (organization_id, tag, created_at, agent_id, hidden)
        SELECT a.organization_id, t, a.created_at, a.id, a.hidden FROM public.letta_agents a, unnest(a.tags) t;
    END IF;
END
$$;

-- The ids of the rows below, for every file (each runs in a session of its own).
CREATE TABLE test.ids (label text PRIMARY KEY, id text NOT NULL);
GRANT SELECT ON test.ids TO PUBLIC;

-- Organization A: end users user_1 (two identities: two projects) and user_2, each with a
-- private agent and block, sharing an agent and a block; the shared block is also in user_2's
-- private agent's memory; and an agent of no end user.
SET letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
INSERT INTO test.ids SELECT 'u1', id FROM letta_create_identity('user_1', 'User One');
INSERT INTO test.ids SELECT 'u1_work', id FROM letta_create_identity('user_1', 'User One at work', project_id => 'work');
INSERT INTO test.ids SELECT 'u2', id FROM letta_create_identity('user_2', 'User Two',
    properties => '[{"key": "diagnosis", "value": "u2-private-property", "type": "string"}]');
INSERT INTO test.ids SELECT 'a_u1', id FROM letta_create_agent(name => 'u1 private', tags => ARRAY['a-tag'],
    identity_ids => ARRAY[(SELECT id FROM test.ids WHERE label = 'u1')]);
INSERT INTO test.ids SELECT 'a_u2', id FROM letta_create_agent(name => 'u2 private', tags => ARRAY['a-tag', 'u2-tag'],
    identity_ids => ARRAY[(SELECT id FROM test.ids WHERE label = 'u2')]);
INSERT INTO test.ids SELECT 'a_shared', id FROM letta_create_agent(name => 'shared by u1 and u2',
    identity_ids => (SELECT array_agg(id ORDER BY label) FROM test.ids WHERE label IN ('u1', 'u2')));
INSERT INTO test.ids SELECT 'a_plain', id FROM letta_create_agent(name => 'A plain', tags => ARRAY['a-tag']);
INSERT INTO test.ids SELECT 'blk_u1', id FROM letta_create_block('u1 notes', 'u1 only',
    identity_ids => ARRAY[(SELECT id FROM test.ids WHERE label = 'u1')]);
INSERT INTO test.ids SELECT 'blk_u2', id FROM letta_create_block('u2 notes', 'u2 only',
    identity_ids => ARRAY[(SELECT id FROM test.ids WHERE label = 'u2')]);
INSERT INTO test.ids SELECT 'blk_shared', id FROM letta_create_block('shared notes', 'u1 and u2',
    identity_ids => (SELECT array_agg(id ORDER BY label) FROM test.ids WHERE label IN ('u1', 'u2')));
SELECT letta_attach_agent_block((SELECT id FROM test.ids WHERE label = 'a_u2'),
                                (SELECT id FROM test.ids WHERE label = 'blk_shared')) AS in_u2s_memory;

-- Organization B: an identity with a private property, its agent and block, and in all 37
-- agents and 23 blocks tagged 'b-secret' (numbers no other count here reaches).
SET letta.organization_id = 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
INSERT INTO test.ids SELECT 'b_ident', id FROM letta_create_identity('b_user', 'B user',
    properties => '[{"key": "salary", "value": "b-private-property", "type": "string"}]');
INSERT INTO test.ids SELECT 'b_agent', id FROM letta_create_agent(name => 'B agent', tags => ARRAY['b-secret', 'b-first'],
    identity_ids => ARRAY[(SELECT id FROM test.ids WHERE label = 'b_ident')],
    memory_blocks => '[{"label": "persona", "value": "B persona"}]');
INSERT INTO test.ids SELECT 'b_block', id FROM letta_create_block('b notes', 'B secret value', tags => ARRAY['b-secret'],
    identity_ids => ARRAY[(SELECT id FROM test.ids WHERE label = 'b_ident')]);
SELECT cardinality(letta_create_agents(jsonb_agg(jsonb_build_object('name', 'B agent ' || i, 'tags', ARRAY['b-secret'])))) AS more_agents
  FROM generate_series(2, 37) i;
SELECT count(*) AS more_blocks FROM generate_series(2, 23) i, letta_create_block('b block ' || i, 'B value', tags => ARRAY['b-secret']) b;
SELECT letta_count_agents(tags => ARRAY['b-secret']) AS b_secret_agents, letta_count_blocks(tags => ARRAY['b-secret']) AS b_secret_blocks;

-- Organization E: the biggest, 400 agents and 200 blocks tagged 'e-tag', so that the planner
-- prefers a tag index to the organization's (08_explain.sql).
SET letta.organization_id = 'org-eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
SELECT cardinality(letta_create_agents(jsonb_agg(jsonb_build_object('name', 'E agent ' || i, 'tags', ARRAY['e-tag'])))) AS e_agents
  FROM generate_series(1, 400) i;
SELECT count(*) AS e_blocks FROM generate_series(1, 200) i, letta_create_block('e block ' || i, 'E value', tags => ARRAY['e-tag']) b;
RESET letta.organization_id;

-- What each organization holds, as the owner sees it.
SELECT test.masked(organization_id::text) AS org, count(*) AS agents FROM letta_agents GROUP BY 1 ORDER BY 1;
SELECT test.masked(organization_id::text) AS org, count(*) AS blocks FROM letta_blocks GROUP BY 1 ORDER BY 1;
SELECT test.masked(organization_id::text) AS org, count(*) AS tag_entries FROM letta_agents_tags GROUP BY 1 ORDER BY 1;
SELECT test.tag_index_matches();

-- The roles.
SELECT letta_bind_role('sec_a', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
SELECT letta_bind_role('sec_b', 'org-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb');
SELECT letta_bind_role('sec_big', 'org-eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee');
SELECT letta_allow_switching('sec_switcher');
SELECT letta_bind_role('sec_enduser', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
SELECT letta_require_end_user('sec_enduser');
SELECT letta_bind_role('sec_noinherit', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa');
SELECT role_name, organization_id, may_switch FROM letta_role_organizations ORDER BY role_name;
SELECT rolname, rolsuper, rolinherit FROM pg_roles WHERE rolname LIKE 'sec\_%' ORDER BY rolname;
