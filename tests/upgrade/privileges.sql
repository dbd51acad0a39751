-- What a bound role may do (:role), compared between an updated database and a fresh install
-- by tests/safety/run: EXECUTE on every function of the extension, its privileges on every
-- table and view, the mark of its binding.
SELECT p.oid::regprocedure::text AS function, has_function_privilege(:'role', p.oid, 'EXECUTE') AS execute
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'letta_identity'
 ORDER BY 1;
SELECT c.relname, m.privilege, has_table_privilege(:'role', c.oid, m.privilege) AS granted
  FROM pg_class c
  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'letta_identity',
       unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES']) m(privilege)
 WHERE c.relkind IN ('r', 'v')
 ORDER BY 1, 2;
SELECT has_type_privilege(:'role', 'letta_bound_role', 'USAGE') AS marked_as_bound;
