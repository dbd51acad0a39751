-- Hole 7: the import reads the source schema as the administrator who calls it, and the
-- source belongs to another role (Letta's own, here sec_letta). sec_letta shapes schemas like
-- Letta's and hides its code where reading them would run it: a view, a view of an optional
-- table, a column of its own type with an implicit cast to text, a column of its own domain,
-- a partitioned table, a table with an inheritance child, a table with row-level security
-- whose policy calls its code. A plain schema beside them is the control.
-- Must hold: each is refused with an error naming the relation (the control imports), and
-- sec_letta's code never runs as postgres.
SELECT test.privileged_runs() AS runs_before \gset

\c - sec_letta
CREATE SCHEMA sec_letta_lib;
GRANT USAGE ON SCHEMA sec_letta_lib TO PUBLIC;
-- The payload: writes down who runs it, unless that is sec_letta itself (making the schemas).
CREATE FUNCTION sec_letta_lib.payload(what text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF current_user <> 'sec_letta' THEN
        PERFORM test.witness('07 ' || what);
    END IF;
    RETURN true;
END
$$;
-- A schema in Letta's shape, with one identity and one agent (organization C; ids by n).
CREATE FUNCTION pg_temp.letta_schema(s text, n integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE SCHEMA %I', s);
    EXECUTE format('CREATE TABLE %I.identities (id text, organization_id text, identifier_key text, name text, identity_type text)', s);
    EXECUTE format('CREATE TABLE %I.agents (id text, organization_id text, name text)', s);
    EXECUTE format($q$INSERT INTO %I.identities VALUES (%L, 'org-cccccccc-cccc-4ccc-8ccc-cccccccccccc', %L, 'Imported', 'user')$q$,
                   s, format('identity-00000000-0000-4000-8000-%s', lpad(n::text, 12, '0')), 'imported_' || n);
    EXECUTE format($q$INSERT INTO %I.agents VALUES (%L, 'org-cccccccc-cccc-4ccc-8ccc-cccccccccccc', 'imported agent')$q$,
                   s, format('agent-00000000-0000-4000-8000-%s', lpad(n::text, 12, '0')));
END
$$;
SELECT pg_temp.letta_schema('sec_letta_plain', 1);
-- identities is a view that calls the payload.
SELECT pg_temp.letta_schema('sec_letta_view', 2);
ALTER TABLE sec_letta_view.identities RENAME TO identities_data;
CREATE VIEW sec_letta_view.identities AS
    SELECT * FROM sec_letta_view.identities_data WHERE sec_letta_lib.payload('view identities');
-- An optional table (agents_tags) is such a view.
SELECT pg_temp.letta_schema('sec_letta_optional_view', 3);
CREATE VIEW sec_letta_optional_view.agents_tags AS
    SELECT a.id AS agent_id, 'tagged'::text AS tag FROM sec_letta_optional_view.agents a
     WHERE sec_letta_lib.payload('view agents_tags');
-- identities.id is of sec_letta's type, with an implicit cast to text that calls the payload.
SELECT pg_temp.letta_schema('sec_letta_type', 4);
CREATE TYPE sec_letta_lib.ref AS (v text);
CREATE FUNCTION sec_letta_lib.ref_text(r sec_letta_lib.ref) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM sec_letta_lib.payload('cast of a column type');
    RETURN r.v;
END
$$;
CREATE CAST (sec_letta_lib.ref AS text) WITH FUNCTION sec_letta_lib.ref_text(sec_letta_lib.ref) AS IMPLICIT;
ALTER TABLE sec_letta_type.identities ALTER COLUMN id TYPE sec_letta_lib.ref USING ROW(id)::sec_letta_lib.ref;
ALTER TABLE sec_letta_type.agents ALTER COLUMN organization_id TYPE sec_letta_lib.ref USING ROW(organization_id)::sec_letta_lib.ref;
-- identities.name is of sec_letta's domain, whose CHECK calls the payload.
SELECT pg_temp.letta_schema('sec_letta_domain', 5);
CREATE DOMAIN sec_letta_lib.checked AS text CHECK (sec_letta_lib.payload('domain check'));
ALTER TABLE sec_letta_domain.identities ALTER COLUMN name TYPE sec_letta_lib.checked;
-- identities is partitioned.
SELECT pg_temp.letta_schema('sec_letta_partitioned', 6);
ALTER TABLE sec_letta_partitioned.identities RENAME TO identities_flat;
CREATE TABLE sec_letta_partitioned.identities (id text, organization_id text, identifier_key text, name text, identity_type text)
    PARTITION BY LIST (organization_id);
CREATE TABLE sec_letta_partitioned.identities_c PARTITION OF sec_letta_partitioned.identities
    FOR VALUES IN ('org-cccccccc-cccc-4ccc-8ccc-cccccccccccc');
INSERT INTO sec_letta_partitioned.identities SELECT * FROM sec_letta_partitioned.identities_flat;
-- identities has an inheritance child, whose row claims organization A.
SELECT pg_temp.letta_schema('sec_letta_inherited', 7);
CREATE TABLE sec_letta_inherited.identities_more () INHERITS (sec_letta_inherited.identities);
INSERT INTO sec_letta_inherited.identities_more VALUES ('identity-00000000-0000-4000-8000-000000000077',
    'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'user_1', 'Planted in A', 'user');
-- identities has row-level security, forced, with a policy that calls the payload.
SELECT pg_temp.letta_schema('sec_letta_policy', 8);
ALTER TABLE sec_letta_policy.identities ENABLE ROW LEVEL SECURITY;
ALTER TABLE sec_letta_policy.identities FORCE ROW LEVEL SECURITY;
CREATE POLICY everyone ON sec_letta_policy.identities USING (sec_letta_lib.payload('policy'));

-- The administrator imports each.
\c - postgres
CREATE FUNCTION test.import_attempt(source name) RETURNS TABLE (outcome text, code_ran_as_superuser boolean)
LANGUAGE plpgsql AS $$
DECLARE
    runs bigint := test.privileged_runs();
BEGIN
    outcome := test.answer(format($q$SELECT string_agg(kind || ' ' || outcome || ' ' || rows, ', ' ORDER BY kind, outcome)
                                       FROM letta_import_from_letta(%L)$q$, source));
    code_ran_as_superuser := test.privileged_runs() > runs;
    RETURN NEXT;
END
$$;
SELECT s AS source, a.* FROM unnest(ARRAY['sec_letta_plain', 'sec_letta_view', 'sec_letta_optional_view', 'sec_letta_type',
                                           'sec_letta_domain', 'sec_letta_partitioned', 'sec_letta_inherited',
                                           'sec_letta_policy']) s, test.import_attempt(s) a;
SELECT what, string_agg(DISTINCT who::text, ', ') AS ran_as FROM test.seen WHERE what LIKE '07%' GROUP BY what ORDER BY what;
SELECT test.privileged_runs() > :runs_before AS any_run_as_superuser;
-- Nothing was planted in organization A.
SELECT count(*) AS planted_in_a FROM letta_identities WHERE name = 'Planted in A';
-- (Taken out again, should an open hole have imported it: it would be user_1's.)
DELETE FROM letta_identities WHERE name = 'Planted in A';
