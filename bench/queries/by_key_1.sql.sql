-- The agents of 1 identifier key(s): the function's query written by hand on its tables.
\set k1 random(1, :identities)
SELECT 'agent-' || a.id AS id, a.name, a.tags,
       ARRAY(SELECT 'identity-' || l.identity_id FROM letta_identities_agents l
              WHERE l.organization_id = a.organization_id AND l.agent_id = a.id ORDER BY l.identity_id) AS identity_ids,
       a.project_id, 'org-' || a.organization_id AS organization_id, a.model, a.embedding,
       a.context_window_limit, NULL::jsonb AS memory_blocks, a.metadata, a.hidden, a.created_at, a.updated_at
  FROM letta_agents a
 WHERE a.organization_id = '00000000-0000-4000-8000-000000000000' AND NOT a.hidden
   AND a.id IN (SELECT l.agent_id
                  FROM letta_identities i
                  JOIN letta_identities_agents l ON l.organization_id = i.organization_id AND l.identity_id = i.id
                 WHERE i.organization_id = '00000000-0000-4000-8000-000000000000'
                   AND i.identifier_key = ANY (ARRAY['user_' || :k1]))
 ORDER BY a.created_at DESC, a.id DESC;
