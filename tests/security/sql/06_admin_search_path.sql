-- Hole 6: the administrators' functions follow the caller's search_path. sec_a plants, in
-- sec_a_schema, functions that an unqualified call in their bodies would pick over
-- pg_catalog's: format() with exact argument types (pg_catalog's takes VARIADIC "any", which
-- loses to an exact match wherever it is on the path), cardinality(regclass[]),
-- quote_ident(text). Each writes down who it ran as, then does what pg_catalog's would. An
-- administrator (postgres) who has sec_a_schema on its search_path (first; then ahead of
-- pg_catalog too) binds, switches, requires end users of and unbinds sec_victim.
-- Must hold: none of the planted functions runs (as postgres, or at all).
SELECT test.privileged_runs() AS runs_before \gset

\c - sec_a
CREATE FUNCTION sec_a_schema.format(f text, a regprocedure, b text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM test.witness('06 format(text, regprocedure, text)');
    RETURN pg_catalog.format(f, a, b);
END
$$;
CREATE FUNCTION sec_a_schema.format(f text, a regclass, b text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM test.witness('06 format(text, regclass, text)');
    RETURN pg_catalog.format(f, a, b);
END
$$;
CREATE FUNCTION sec_a_schema.format(f text, a text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM test.witness('06 format(text, text)');
    RETURN pg_catalog.format(f, a);
END
$$;
CREATE FUNCTION sec_a_schema.format(f text, a text, b text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM test.witness('06 format(text, text, text)');
    RETURN pg_catalog.format(f, a, b);
END
$$;
CREATE FUNCTION sec_a_schema.cardinality(a regclass[]) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    PERFORM test.witness('06 cardinality(regclass[])');
    RETURN pg_catalog.cardinality(a);
END
$$;
CREATE FUNCTION sec_a_schema.quote_ident(t text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM test.witness('06 quote_ident(text)');
    RETURN pg_catalog.quote_ident(t);
END
$$;

-- The administrator, sec_a_schema first on its path (pg_catalog implicitly ahead of it).
\c - postgres
SET search_path = sec_a_schema, public;
SELECT f AS administrators_call, test.error_of(f) AS outcome
  FROM (VALUES ($$ SELECT letta_bind_role('sec_victim', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa') $$),
               ($$ SELECT letta_require_end_user('sec_victim') $$),
               ($$ SELECT letta_require_end_user('sec_victim', false) $$),
               ($$ SELECT letta_allow_switching('sec_victim') $$),
               ($$ SELECT letta_unbind_role('sec_victim') $$)) AS calls(f);
RESET search_path;
SELECT planted, test.ran_as('06 ' || planted) AS ran_as
  FROM unnest(ARRAY['format(text, regprocedure, text)', 'format(text, regclass, text)', 'format(text, text)',
                    'format(text, text, text)', 'cardinality(regclass[])', 'quote_ident(text)']) planted;

-- The same, sec_a_schema ahead of pg_catalog.
\c - postgres
SET search_path = sec_a_schema, pg_catalog, public;
SELECT f AS administrators_call, test.error_of(f) AS outcome
  FROM (VALUES ($$ SELECT letta_bind_role('sec_victim', 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa') $$),
               ($$ SELECT letta_require_end_user('sec_victim') $$),
               ($$ SELECT letta_require_end_user('sec_victim', false) $$),
               ($$ SELECT letta_allow_switching('sec_victim') $$),
               ($$ SELECT letta_unbind_role('sec_victim') $$)) AS calls(f);
RESET search_path;
SELECT planted, test.ran_as('06 ' || planted) AS ran_as
  FROM unnest(ARRAY['format(text, regprocedure, text)', 'format(text, regclass, text)', 'format(text, text)',
                    'format(text, text, text)', 'cardinality(regclass[])', 'quote_ident(text)']) planted;
SELECT test.privileged_runs() > :runs_before AS any_run_as_superuser;
SELECT count(*) AS victim_bindings FROM letta_role_organizations WHERE role_name = 'sec_victim';
