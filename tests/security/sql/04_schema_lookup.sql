-- Hole 4: the library finds the extension's schema with a query the caller's search_path
-- could redirect (an unqualified quote_ident, an unqualified =), once per session. sec_a
-- (bound to A) has CREATE on sec_a_schema. It copies the bindings table there with a row
-- that binds itself to organization B, and shadows what the lookup calls: quote_ident(name)
-- (an exact match for a name, ahead of pg_catalog's quote_ident(text) wherever pg_catalog
-- is on the path), quote_ident(text) and = (oid, oid) with sec_a_schema ahead of pg_catalog.
-- Then, in a fresh session each time, its first call.
-- Must hold: sec_a's organization is A in every session; it reads none of B's rows.

\c - sec_a
CREATE TABLE sec_a_schema.letta_role_organizations (LIKE public.letta_role_organizations);
CREATE TABLE sec_a_schema.letta_role_end_users (LIKE public.letta_role_end_users);
-- Every column the real table has, filled as the real row of sec_a is, but organization B.
DO $$
DECLARE
    cols text;
BEGIN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
      FROM pg_attribute WHERE attrelid = 'public.letta_role_organizations'::regclass AND attnum > 0 AND NOT attisdropped;
    EXECUTE format('INSERT INTO sec_a_schema.letta_role_organizations (%s) SELECT %s FROM public.letta_role_organizations',
                   cols, cols);
END
$$;
UPDATE sec_a_schema.letta_role_organizations SET organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
SELECT role_name, organization_id FROM sec_a_schema.letta_role_organizations;
CREATE FUNCTION sec_a_schema.quote_ident(name) RETURNS text LANGUAGE sql AS $$ SELECT 'sec_a_schema' $$;
CREATE FUNCTION sec_a_schema.quote_ident(text) RETURNS text LANGUAGE sql AS $$ SELECT 'sec_a_schema' $$;
-- = (oid, oid) true for sec_a_schema against any namespace, and never for the real one.
CREATE FUNCTION sec_a_schema.oid_eq(a oid, b oid) RETURNS boolean LANGUAGE sql AS $$
    SELECT CASE WHEN a OPERATOR(pg_catalog.=) 'sec_a_schema'::regnamespace::oid THEN true
                WHEN a OPERATOR(pg_catalog.=) 'public'::regnamespace::oid THEN false
                ELSE a OPERATOR(pg_catalog.=) b END
$$;
CREATE OPERATOR sec_a_schema.= (LEFTARG = oid, RIGHTARG = oid, FUNCTION = sec_a_schema.oid_eq);

-- What sec_a tries, in each session.
CREATE FUNCTION sec_a_schema.try() RETURNS TABLE (organization text, b_agents_read text, b_identity text)
LANGUAGE sql AS $$
    SELECT test.answer('SELECT public.letta_current_organization()'),
           test.answer('SELECT pg_catalog.count(*) FROM public.letta_agents WHERE organization_id OPERATOR(pg_catalog.=) ''bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'''),
           test.answer(pg_catalog.format('SELECT (public.letta_get_identity(%L)).name', (SELECT id FROM test.ids WHERE label OPERATOR(pg_catalog.=) 'b_ident')))
$$;

-- quote_ident(name), its schema first (pg_catalog implicitly before it).
\c - sec_a
SET search_path = sec_a_schema, public;
SELECT 'quote_ident(name), sec_a_schema first' AS attempt, * FROM sec_a_schema.try();

-- quote_ident(text), its schema ahead of pg_catalog.
\c - sec_a
SET search_path = sec_a_schema, pg_catalog, public;
SELECT 'quote_ident(text), ahead of pg_catalog' AS attempt, * FROM sec_a_schema.try();

-- The same path given when connecting, before any statement of the session.
\c "dbname=letta_security user=sec_a options='-c search_path=sec_a_schema,pg_catalog,public'"
SELECT 'the path from the connection' AS attempt, * FROM sec_a_schema.try();

-- = (oid, oid) alone (no quote_ident of its own), ahead of pg_catalog. (options='': \c
-- would otherwise keep the last connection's.)
\c "dbname=letta_security user=sec_a options=''"
DROP FUNCTION sec_a_schema.quote_ident(name);
DROP FUNCTION sec_a_schema.quote_ident(text);
SET search_path = sec_a_schema, pg_catalog, public;
SELECT 'operator = (oid, oid), ahead of pg_catalog' AS attempt, * FROM sec_a_schema.try();

-- And B's rows through the functions, in such a session.
\c - sec_a
CREATE FUNCTION sec_a_schema.quote_ident(name) RETURNS text LANGUAGE sql AS $$ SELECT 'sec_a_schema' $$;
SET search_path = sec_a_schema, pg_catalog, public;
SELECT count(*) AS b_secret_agents_listed FROM letta_list_agents(tags => ARRAY['b-secret'], page_size => 100);
SELECT count(*) AS b_secret_blocks_listed FROM letta_list_blocks(tags => ARRAY['b-secret'], page_size => 100);
SELECT string_agg(tag, ', ' ORDER BY tag) AS tags_listed FROM letta_list_tags();
SELECT test.answer('SELECT count(*) FROM public.letta_identities WHERE identifier_key = ''b_user''') AS b_identity_rows;
RESET search_path;
