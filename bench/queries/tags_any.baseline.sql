-- The 50 newest agents with any of two tags as Letta asks (letta/services/helpers: id IN
-- (SELECT agent_id FROM agents_tags WHERE tag IN (...) GROUP BY agent_id)), with their tags.
\set t1 random(:lo1, :hi1)
\set t2 random(:lo2, :hi2)
SELECT a.id, a.name,
       ARRAY(SELECT t.tag FROM letta_baseline.agents_tags t WHERE t.agent_id = a.id ORDER BY t.tag) AS tags,
       a.project_id, a.organization_id, a.llm_config, a.embedding_config, a.metadata_, a.hidden,
       a.created_at, a.updated_at
  FROM letta_baseline.agents a
 WHERE a.organization_id = 'org-00000000-0000-4000-8000-000000000000'
   AND a.id IN (SELECT t.agent_id FROM letta_baseline.agents_tags t
                 WHERE t.tag IN (bench.tag(:t1), bench.tag(:t2))
                 GROUP BY t.agent_id)
 ORDER BY a.created_at DESC, a.id DESC
 LIMIT 50;
