-- The end users' view after the workload: for each identifier_key, the agents an end user of
-- that key lists (as the application's role, in a transaction of theirs) are exactly the
-- agents linked to the identities with that key. One line per key: ok, or what differs.
\set QUIET on
\pset tuples_only on
\pset format unaligned
SELECT format($q$BEGIN; SET LOCAL ROLE letta_workload_app; SET LOCAL letta.identifier_key = %L;
SELECT CASE WHEN ARRAY(SELECT a.id FROM letta_list_agents(page_size => 100000, include_hidden => true) a ORDER BY 1) = %L::text[]
            THEN 'ok' ELSE 'end user %s lists other agents than its links' END; COMMIT;$q$,
              k.identifier_key,
              ARRAY(SELECT DISTINCT 'agent-' || l.agent_id::text
                      FROM letta_identities i JOIN letta_identities_agents l ON l.organization_id = i.organization_id AND l.identity_id = i.id
                     WHERE i.identifier_key = k.identifier_key ORDER BY 1),
              k.identifier_key)
  FROM (SELECT DISTINCT identifier_key FROM letta_identities) k ORDER BY k.identifier_key \gexec
