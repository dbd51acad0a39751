-- The 50 newest agents with any of two tags, by hand on the GIN index (what the function did before 0.5.0).
-- (With the extension's leakproof tag operators: the built-in ones cannot use an index under RLS.)
\set t1 random(:lo1, :hi1)
\set t2 random(:lo2, :hi2)
SELECT 'agent-' || a.id AS id, a.name, a.tags,
       ARRAY(SELECT 'identity-' || l.identity_id FROM letta_identities_agents l
              WHERE l.organization_id = a.organization_id AND l.agent_id = a.id ORDER BY l.identity_id) AS identity_ids,
       a.project_id, 'org-' || a.organization_id AS organization_id, a.model, a.embedding,
       a.context_window_limit, NULL::jsonb AS memory_blocks, a.metadata, a.hidden, a.created_at, a.updated_at
  FROM letta_agents a
 WHERE a.organization_id = '00000000-0000-4000-8000-000000000000' AND NOT a.hidden
   AND a.tags &&& ARRAY[bench.tag(:t1), bench.tag(:t2)]
 ORDER BY a.created_at DESC, a.id DESC
 LIMIT 50;
