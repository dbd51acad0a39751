-- Hole 3: the end users' rows are read as the extension's owner (src/end_user.rs), with the
-- caller's search_path. sec_enduser (bound to A, acting for user_1) puts its own types and
-- operators where those reads would resolve them: a domain pg_temp.text (the temporary
-- schema is searched first for types) whose CHECK calls its payload; then, in a fresh
-- session, = operators on uuid and text in its own schema, put before pg_catalog on its path.
-- Then it works as usual: creates a block and an agent, lists, reads the tables.
-- Must hold: the payload never runs as anyone but sec_enduser (test.seen records who it ran
-- as; no run as a superuser is counted), and user_1's view is user_1's.

SELECT test.privileged_runs() AS runs_before \gset
-- The domain, in a fresh session (the owner's reads are planned once per session).
\c - sec_enduser
CREATE FUNCTION pg_temp.payload(v pg_catalog.text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RETURN test.witness('03 domain text');
END
$$;
CREATE DOMAIN pg_temp.text AS pg_catalog.text CHECK (pg_temp.payload(VALUE));
CREATE DOMAIN pg_temp.int8 AS pg_catalog.int8 CHECK (pg_temp.payload(VALUE::pg_catalog.text));
CREATE DOMAIN pg_temp.uuid AS pg_catalog.uuid CHECK (pg_temp.payload(VALUE::pg_catalog.text));
BEGIN;
SET LOCAL letta.identifier_key = 'user_1';
SELECT label FROM letta_create_block('sec3 domain block', 'x');
SELECT name FROM letta_create_agent(name => 'sec3 domain agent');
SELECT count(*) AS blocks_seen FROM letta_list_blocks();
SELECT count(*) AS agents_seen FROM letta_list_agents();
SELECT count(*) AS agent_rows, (SELECT count(*) FROM public.letta_blocks) AS block_rows FROM public.letta_agents;
COMMIT;
SELECT test.ran_as('03 domain%') AS domain_payload_ran_as, test.privileged_runs() > :runs_before AS ran_as_superuser;

-- The operators, in another fresh session: its schema first, pg_catalog after it, so that
-- its = (uuid, uuid) and = (text, text) are the ones an unqualified = finds.
\c - sec_enduser
CREATE FUNCTION sec_enduser_schema.uuid_eq(a uuid, b uuid) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM test.witness('03 operator uuid');
    RETURN a OPERATOR(pg_catalog.=) b;
END
$$;
CREATE FUNCTION sec_enduser_schema.text_eq(a text, b text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM test.witness('03 operator text');
    RETURN a OPERATOR(pg_catalog.=) b;
END
$$;
CREATE OPERATOR sec_enduser_schema.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = sec_enduser_schema.uuid_eq);
CREATE OPERATOR sec_enduser_schema.= (LEFTARG = text, RIGHTARG = text, FUNCTION = sec_enduser_schema.text_eq);
SET search_path = sec_enduser_schema, pg_catalog, public;
BEGIN;
SET LOCAL letta.identifier_key = 'user_1';
SELECT label FROM letta_create_block('sec3 operator block', 'x');
SELECT count(*) AS blocks_seen FROM letta_list_blocks();
SELECT count(*) AS agents_seen FROM letta_list_agents();
SELECT count(*) AS identities_seen FROM letta_list_identities();
COMMIT;
RESET search_path;
-- sec_enduser's own queries may call its operators as sec_enduser: that is its business.
SELECT test.ran_as('03 operator%') AS operator_payload_ran_as, test.privileged_runs() > :runs_before AS ran_as_superuser;

-- As the owner: who the payloads ran as, over both sessions; then the blocks and agents made
-- here go.
\c - postgres
SELECT what, string_agg(DISTINCT who::text, ', ') AS ran_as FROM test.seen WHERE what LIKE '03%' GROUP BY what ORDER BY what;
SELECT test.privileged_runs() > :runs_before AS any_run_as_superuser;
SET letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
SELECT count(*) AS removed FROM letta_list_blocks(label_search => 'sec3', page_size => 100) b, letta_delete_block(b.id) d;
SELECT count(*) AS removed FROM letta_list_agents(query_text => 'sec3', page_size => 100) a, letta_delete_agent(a.id) d;
RESET letta.organization_id;

-- The end user's rows are remembered per statement: two statements of one simple-query
-- message share the statement's start and command id, and the second names another end user.
-- Each must read its own end user's rows, whatever the first read.
\c - sec_enduser
BEGIN;
SET LOCAL letta.identifier_key = 'user_1' \; SELECT string_agg(name, ', ' ORDER BY name) AS user_1_agents FROM letta_agents \; SET LOCAL letta.identifier_key = 'user_2' \; SELECT string_agg(name, ', ' ORDER BY name) AS user_2_agents FROM letta_agents;
-- A block made for user_2 is not user_1's when the transaction names user_1 next.
SELECT test.masked(letta_create_block('made for user_2', 'x')::text) IS NOT NULL AS made;
SET LOCAL letta.identifier_key = 'user_1';
SELECT count(*) FILTER (WHERE label = 'made for user_2') AS user_2s_new_block_seen_by_user_1 FROM letta_blocks;
ROLLBACK;
