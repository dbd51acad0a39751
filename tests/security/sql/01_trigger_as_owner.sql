-- Hole 1: the tag index's trigger functions run as the extension's owner. sec_a, bound to
-- organization A with nothing but TEMP and a schema of its own, makes a temporary table
-- named letta_agents whose organization_id is a type of its own, with an assignment cast to
-- uuid whose function is its payload (write down who it runs as, then try to make sec_a a
-- superuser). Attaching the extension's trigger functions to that table and inserting a row
-- would make the trigger's INSERT into letta_agents_tags run the cast as the owner.
-- Must hold: sec_a cannot attach them (42501, no EXECUTE on trigger functions); the payload
-- never runs as anyone but sec_a; sec_a is no superuser afterwards; the tag index unchanged.
SELECT count(*) AS tag_entries_before FROM letta_agents_tags;
SELECT test.privileged_runs() AS runs_before \gset

\c - sec_a
SELECT current_user, letta_current_organization();
CREATE TYPE sec_a_schema.org_ref AS (u uuid);
CREATE FUNCTION sec_a_schema.org_ref_to_uuid(r sec_a_schema.org_ref) RETURNS uuid LANGUAGE plpgsql AS $$
BEGIN
    PERFORM test.witness('01 cast');
    BEGIN
        ALTER ROLE sec_a SUPERUSER;
    EXCEPTION WHEN insufficient_privilege THEN
        NULL;
    END;
    RETURN r.u;
END
$$;
CREATE CAST (sec_a_schema.org_ref AS uuid) WITH FUNCTION sec_a_schema.org_ref_to_uuid(sec_a_schema.org_ref) AS ASSIGNMENT;
CREATE TEMPORARY TABLE letta_agents (organization_id sec_a_schema.org_ref, tags text[], created_at timestamptz,
                                     id uuid, hidden boolean);

-- Each of the four trigger functions, attached to the imitation.
SELECT f AS trigger_function, test.error_of(format(
           'CREATE TRIGGER %I AFTER %s ON pg_temp.letta_agents %s FOR EACH STATEMENT EXECUTE FUNCTION public.%I()',
           'grab_' || event, event, transition, f)) AS attach
  FROM (VALUES ('_letta_agents_tags_insert', 'INSERT', 'REFERENCING NEW TABLE AS new_agents'),
               ('_letta_agents_tags_update', 'UPDATE', 'REFERENCING OLD TABLE AS old_agents NEW TABLE AS new_agents'),
               ('_letta_agents_tags_delete', 'DELETE', 'REFERENCING OLD TABLE AS old_agents'),
               ('_letta_agents_tags_truncate', 'TRUNCATE', '')) AS t(f, event, transition);
-- (Refused by name above, before anything is locked: tests/security/sql/11_lock.sql. Under
-- any other name, and in a session without the library preloaded, what refuses it is that no
-- role may EXECUTE a trigger's function.)
CREATE TEMPORARY TABLE agents_copy (organization_id uuid, tags text[], created_at timestamptz, id uuid, hidden boolean);
SELECT test.error_of('CREATE TRIGGER grab AFTER INSERT ON pg_temp.agents_copy REFERENCING NEW TABLE AS new_agents
                      FOR EACH STATEMENT EXECUTE FUNCTION public._letta_agents_tags_insert()') AS attach_to_another_name;
DROP TABLE pg_temp.agents_copy;
-- A row: the cast runs here, as whoever the trigger runs as.
SELECT test.rows_changed($$ INSERT INTO pg_temp.letta_agents
    VALUES (ROW('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')::sec_a_schema.org_ref, ARRAY['planted-by-cast'], now(), gen_random_uuid(), false) $$) AS insert_into_imitation;
SELECT test.rows_changed($$ UPDATE pg_temp.letta_agents SET tags = ARRAY['planted-by-cast', 'again'] $$) AS update_imitation;
SELECT test.rows_changed($$ DELETE FROM pg_temp.letta_agents $$) AS delete_from_imitation;
-- Calling a trigger function directly is no way in either.
SELECT test.error_of($$ SELECT public._letta_agents_tags_insert() $$) AS called_directly;

-- What the payload got: who it ran as, and whether sec_a is a superuser now.
SELECT test.ran_as('01 cast') AS cast_ran_as, test.privileged_runs() > :runs_before AS ran_as_superuser;
SELECT rolsuper AS sec_a_is_superuser FROM pg_roles WHERE rolname = 'sec_a';
SELECT test.error_of($$ CREATE ROLE sec_made_by_a $$) AS create_role;

-- As the owner: the tag index holds no entry of the imitation.
\c - postgres
SELECT rolsuper AS sec_a_is_superuser FROM pg_roles WHERE rolname = 'sec_a';
SELECT count(*) AS tag_entries_after, count(*) FILTER (WHERE tag LIKE 'planted%') AS planted,
       test.tag_index_matches() AS index_matches_agents FROM letta_agents_tags;
-- (Put back what an open hole did, for the files after this one.)
SET client_min_messages = warning;
ALTER ROLE sec_a NOSUPERUSER;
DROP ROLE IF EXISTS sec_made_by_a;
SELECT test.repair_tag_index();

-- Even the owner, attaching the trigger functions to a table that is not the extension's
-- letta_agents (one of that name in another schema), cannot have them write the tag index:
-- firing refuses (42501) rather than write there.
CREATE SCHEMA imitation;
CREATE TABLE imitation.letta_agents (organization_id uuid, tags text[], created_at timestamptz, id uuid, hidden boolean);
CREATE TRIGGER grab AFTER INSERT ON imitation.letta_agents REFERENCING NEW TABLE AS new_agents
    FOR EACH STATEMENT EXECUTE FUNCTION _letta_agents_tags_insert();
CREATE TRIGGER grab_truncate AFTER TRUNCATE ON imitation.letta_agents
    FOR EACH STATEMENT EXECUTE FUNCTION _letta_agents_tags_truncate();
BEGIN;
SELECT test.error_of($$ INSERT INTO imitation.letta_agents
    VALUES ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', ARRAY['planted-by-owner'], now(), gen_random_uuid(), false) $$) AS owners_insert_fires;
SELECT test.error_of($$ TRUNCATE imitation.letta_agents $$) AS owners_truncate_fires;
SELECT count(*) AS tag_entries, count(*) FILTER (WHERE tag LIKE 'planted%') AS planted,
       test.tag_index_matches() AS index_matches_agents FROM letta_agents_tags;
ROLLBACK;
DROP SCHEMA imitation CASCADE;
