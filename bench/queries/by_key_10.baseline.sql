-- The agents of 10 identifier key(s) as Letta asks (list agents, identifier_keys filter: a join,
-- newest first, limit 50), with each agent's tags.
\set k1 random(1, :identities)
\set k2 random(1, :identities)
\set k3 random(1, :identities)
\set k4 random(1, :identities)
\set k5 random(1, :identities)
\set k6 random(1, :identities)
\set k7 random(1, :identities)
\set k8 random(1, :identities)
\set k9 random(1, :identities)
\set k10 random(1, :identities)
SELECT a.id, a.name,
       ARRAY(SELECT t.tag FROM letta_baseline.agents_tags t WHERE t.agent_id = a.id ORDER BY t.tag) AS tags,
       a.project_id, a.organization_id, a.llm_config, a.embedding_config, a.metadata_, a.hidden,
       a.created_at, a.updated_at
  FROM letta_baseline.agents a
  JOIN letta_baseline.identities_agents ia ON ia.agent_id = a.id
  JOIN letta_baseline.identities i ON i.id = ia.identity_id
 WHERE a.organization_id = 'org-00000000-0000-4000-8000-000000000000'
   AND i.identifier_key IN ('user_' || :k1, 'user_' || :k2, 'user_' || :k3, 'user_' || :k4, 'user_' || :k5, 'user_' || :k6, 'user_' || :k7, 'user_' || :k8, 'user_' || :k9, 'user_' || :k10)
 ORDER BY a.created_at DESC, a.id DESC
 LIMIT 50;
