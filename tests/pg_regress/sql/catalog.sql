-- What the extension declares: every function with its volatility, strictness, parallel
-- safety and security (SECURITY DEFINER: the tag index's triggers only, below); a comment on
-- each public one.
SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS function,
       p.provolatile AS volatility, p.proisstrict AS strict, p.proparallel AS parallel,
       p.prosecdef AS security_definer,
       CASE WHEN p.proname LIKE 'letta\_%' THEN obj_description(p.oid, 'pg_proc') IS NOT NULL END AS commented
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'letta_identity'
 ORDER BY p.proname, 1;

-- pg_dump keeps the data of these tables.
SELECT t AS dumped_table FROM (SELECT unnest(extconfig)::regclass FROM pg_extension WHERE extname = 'letta_identity') s(t) ORDER BY t::text;

-- Indexes, from both sides of the link.
SELECT indexrelid::regclass AS index, pg_get_indexdef(indexrelid) AS definition
  FROM pg_index WHERE indrelid IN ('letta_identities'::regclass, 'letta_agents'::regclass, 'letta_identities_agents'::regclass,
                                  'letta_blocks'::regclass, 'letta_identities_blocks'::regclass)
 ORDER BY indexrelid::regclass::text;

-- Every table, type, operator, operator class and event trigger of the extension says what it
-- is (COMMENT ON): none is missing one.
SELECT pg_describe_object(d.classid, d.objid, 0) AS without_comment
  FROM pg_depend d
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'letta_identity'
 WHERE d.deptype = 'e'
   AND d.classid IN ('pg_class'::regclass, 'pg_type'::regclass, 'pg_operator'::regclass,
                     'pg_opclass'::regclass, 'pg_event_trigger'::regclass)
   AND obj_description(d.objid, d.classid::regclass::name) IS NULL
   AND NOT (d.classid = 'pg_type'::regclass AND EXISTS (SELECT FROM pg_type t WHERE t.oid = d.objid AND t.typtype = 'c'
                                                        AND EXISTS (SELECT FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'r')))
 ORDER BY 1;

-- The rules for code that runs with more rights than its caller (README, Security model):
-- SECURITY DEFINER only for the tag index's triggers (roles read that table, never write it).
SELECT p.oid::regprocedure AS security_definer
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'letta_identity'
 WHERE p.prosecdef
 ORDER BY p.oid::regprocedure::text;

-- Every function an application role cannot call (administrators', triggers') and every
-- SECURITY DEFINER one runs with search_path pinned to pg_catalog, pg_temp: none is missing it.
-- (Functions in Rust pin it for the queries they run themselves: src/pinned.rs.)
SELECT p.oid::regprocedure AS unpinned, p.proconfig
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'letta_identity'
 WHERE (p.prosecdef OR NOT _letta_for_apps(p.oid))
   AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)
   AND p.prolang <> (SELECT l.oid FROM pg_language l WHERE l.lanname = 'c')
 ORDER BY p.oid::regprocedure::text;

-- Which functions application roles are not granted: the administrators' and the triggers'.
SELECT p.oid::regprocedure AS not_for_applications
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'letta_identity'
 WHERE NOT _letta_for_apps(p.oid)
 ORDER BY p.oid::regprocedure::text;

-- Nothing of the extension is granted to PUBLIC but each role's own row of the bindings.
SELECT p.oid::regprocedure AS granted_to_public
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'letta_identity'
 WHERE has_function_privilege('public', p.oid, 'EXECUTE')
 ORDER BY p.oid::regprocedure::text;

-- Only the ids and times of the tenant tables keep planner statistics (README, Security model).
SELECT c.relname, a.attname, a.attstattarget
  FROM pg_class c
  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'letta_identity'
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.oid = ANY (_letta_tenant_tables()) AND a.attstattarget <> 0
   AND a.atttypid NOT IN ('uuid'::regtype, 'timestamptz'::regtype)
 ORDER BY 1, 2;

-- Every index of the tenant tables begins with organization_id, but one whose operators are
-- not leakproof (row-level security never lets a role use it) and the agents' GIN index, whose
-- every entry begins with the organization (_letta_org_tags).
SELECT i.indexrelid::regclass AS index, pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i
 WHERE i.indrelid = ANY (_letta_tenant_tables())
   AND (i.indkey[0] = 0 OR (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[0]) <> 'organization_id')
 ORDER BY i.indexrelid::regclass::text;
-- Citus variants (citus.sql): each _letta_citus_X has its original _letta_X, with the same
-- arguments and result, and the switch renames every one (none missing: no rows).
SELECT v.proname AS variant_without_original
  FROM pg_proc v
 WHERE v.proname LIKE '\_letta\_citus\_%'
   AND NOT EXISTS (SELECT FROM pg_proc o
                    WHERE o.proname = '_letta_' || substr(v.proname, length('_letta_citus_') + 1)
                      AND o.pronamespace = v.pronamespace
                      AND pg_get_function_arguments(o.oid) = pg_get_function_arguments(v.oid)
                      AND o.prorettype = v.prorettype AND o.proretset = v.proretset);
SELECT count(*) AS citus_variants FROM pg_proc WHERE proname LIKE '\_letta\_citus\_%';
-- ... and runs its original's query (the page helpers: a PL/pgSQL statement of the SQL body),
-- but for the rows of agents, identities and blocks (_rows), which Citus reads with the
-- organization in every table.
SELECT v.proname AS variant_with_another_query
  FROM pg_proc v JOIN pg_proc o ON o.proname = '_letta_' || substr(v.proname, length('_letta_citus_') + 1)
                                AND o.pronamespace = v.pronamespace
 WHERE v.proname LIKE '\_letta\_citus\_%' AND v.proname NOT LIKE '%\_rows'
   AND v.prosrc <> E'\n#variable_conflict use_column\nBEGIN\nRETURN QUERY' || rtrim(o.prosrc, E'\n') || E';\nEND\n';

-- Every SQL helper that returns one value is inlined where it is called (none listed): one the
-- planner does not inline (an IMMUTABLE body calling a STABLE function, such as
-- jsonb_build_object) is run by fmgr_sql, which reads and plans its body again in every
-- statement that calls it (every create paid it at 1M agents). Its arguments are columns.
DO $$
DECLARE
    f regprocedure;
    args text;
    line text;
    plan text;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
               JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
              WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'letta_identity')
                AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'sql')
                AND NOT p.proretset AND p.proconfig IS NULL AND NOT p.prosecdef
              ORDER BY 1 LOOP
        SELECT string_agg(format('NULL::%s AS a%s', t::regtype, n), ', ' ORDER BY n) INTO args
          FROM unnest((SELECT proargtypes::oid[] FROM pg_proc WHERE oid = f)) WITH ORDINALITY u(t, n);
        plan := '';
        FOR line IN EXECUTE format('EXPLAIN (VERBOSE, COSTS OFF) SELECT %s(%s) FROM (SELECT %s OFFSET 0) s',
                                   f::regproc,
                                   coalesce((SELECT string_agg('s.a' || n, ', ' ORDER BY n)
                                               FROM generate_series(1, (SELECT pronargs FROM pg_proc WHERE oid = f)) n), ''),
                                   coalesce(args, '1 AS a0')) LOOP
            plan := plan || line;
        END LOOP;
        IF plan LIKE '%' || (SELECT proname FROM pg_proc WHERE oid = f) || '(%' THEN
            RAISE NOTICE 'not inlined: %', f;
        END IF;
    END LOOP;
END
$$;
