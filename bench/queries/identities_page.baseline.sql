-- A page of 50 identities after a random one, newest first, as Letta's cursor pagination asks,
-- with each identity's agent ids.
\set i random(1, :identities)
SELECT i.id, i.identifier_key, i.name, i.identity_type, i.project_id,
       ARRAY(SELECT l.agent_id FROM letta_baseline.identities_agents l WHERE l.identity_id = i.id) AS agent_ids,
       i.organization_id, i.properties
  FROM letta_baseline.identities i,
       (SELECT c.created_at, c.id FROM letta_baseline.identities c WHERE c.id = bench.identity_id(:i)) cursor
 WHERE i.organization_id = 'org-00000000-0000-4000-8000-000000000000'
   AND (i.created_at < cursor.created_at OR (i.created_at = cursor.created_at AND i.id < cursor.id))
 ORDER BY i.created_at DESC, i.id DESC
 LIMIT 50;
