-- The agents of 1 identifier key(s) as Letta asks (list agents, identifier_keys filter: a join,
-- newest first, limit 50), with each agent's tags.
\set k1 random(1, :identities)
SELECT a.id, a.name,
       ARRAY(SELECT t.tag FROM letta_baseline.agents_tags t WHERE t.agent_id = a.id ORDER BY t.tag) AS tags,
       a.project_id, a.organization_id, a.llm_config, a.embedding_config, a.metadata_, a.hidden,
       a.created_at, a.updated_at
  FROM letta_baseline.agents a
  JOIN letta_baseline.identities_agents ia ON ia.agent_id = a.id
  JOIN letta_baseline.identities i ON i.id = ia.identity_id
 WHERE a.organization_id = 'org-00000000-0000-4000-8000-000000000000'
   AND i.identifier_key IN ('user_' || :k1)
 ORDER BY a.created_at DESC, a.id DESC
 LIMIT 50;
