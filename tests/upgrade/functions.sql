-- Every function of the extension with a digest of all it declares (definition, parallel
-- safety, comment): compared between a release and this version by tests/safety/run.
SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       md5(pg_get_functiondef(p.oid) || p.proparallel::text || coalesce(obj_description(p.oid, 'pg_proc'), ''))
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'letta_identity'
 ORDER BY 1;
