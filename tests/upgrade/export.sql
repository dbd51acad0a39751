-- The rows of the extension's tables, in a canonical order (the tables of 0.2.0 when present).
-- Agents' memory, inline JSON before 0.5.0 and blocks linked to them since, is compared in one
-- form: per agent and label, the value, the limit and the rest (every other key given, with
-- metadata's keys; read_only only when true). A block without a limit has Letta's default,
-- 100000, since 0.5.0.
\set QUIET on
\pset tuples_only on
\pset format unaligned
SELECT 'identity ' || to_jsonb(t)::text FROM letta_identities t ORDER BY t.organization_id, t.id;
-- (hidden as 0.5.0 has it: an agent tagged role:subagent is hidden.)
SELECT 'agent ' || ((to_jsonb(t) - 'memory_blocks')
                    || jsonb_build_object('hidden', t.hidden OR coalesce('role:subagent' = ANY (t.tags), false)))::text
  FROM letta_agents t ORDER BY t.organization_id, t.id;
SELECT 'identity_agent ' || to_jsonb(t)::text FROM letta_identities_agents t ORDER BY 1;
SELECT to_regclass('letta_blocks_agents') IS NOT NULL AS has_memory \gset
\if :has_memory
SELECT 'memory ' || jsonb_build_object('org', l.organization_id, 'agent', l.agent_id, 'label', b.label,
           'value', b.value, 'limit', coalesce(b."limit", 100000),
           'rest', b.metadata || jsonb_strip_nulls(jsonb_build_object('description', b.description))
                   || CASE WHEN b.read_only THEN '{"read_only": true}'::jsonb ELSE '{}' END)::text
  FROM letta_blocks_agents l
  JOIN letta_blocks b ON b.organization_id = l.organization_id AND b.id = l.block_id
 ORDER BY l.organization_id, l.agent_id, b.label;
\else
SELECT 'memory ' || jsonb_build_object('org', a.organization_id, 'agent', a.id, 'label', e->>'label',
           'value', e->>'value', 'limit', coalesce(nullif(e->'limit', 'null'), '100000'),
           'rest', (e - ARRAY['label', 'value', 'limit', 'metadata']) || coalesce(e->'metadata', '{}'))::text
  FROM letta_agents a, jsonb_array_elements(a.memory_blocks) e
 ORDER BY a.organization_id, a.id, e->>'label';
\endif
SELECT to_regclass('letta_blocks') IS NOT NULL AS has_blocks \gset
\if :has_blocks
-- (read_only, project_id, hidden and tags came in 0.5.0, false, NULL, false and empty for the
-- blocks before it; the blocks in agents' memory are the memory lines above.)
\if :has_memory
SELECT 'block ' || (to_jsonb(t) - ARRAY['read_only', 'project_id', 'hidden', 'tags']
                    || jsonb_build_object('limit', coalesce(t."limit", 100000)))::text FROM letta_blocks t
 WHERE NOT EXISTS (SELECT FROM letta_blocks_agents l WHERE l.organization_id = t.organization_id AND l.block_id = t.id)
 ORDER BY t.organization_id, t.id;
\else
SELECT 'block ' || (to_jsonb(t) - ARRAY['read_only', 'project_id', 'hidden', 'tags']
                    || jsonb_build_object('limit', coalesce(t."limit", 100000)))::text FROM letta_blocks t ORDER BY t.organization_id, t.id;
\endif
SELECT 'identity_block ' || to_jsonb(t)::text FROM letta_identities_blocks t ORDER BY 1;
SELECT 'role ' || to_jsonb(t)::text FROM letta_role_organizations t ORDER BY 1;
\endif
-- (The roles required to act for end users, since 0.5.0.)
SELECT to_regclass('letta_role_end_users') IS NOT NULL AS has_end_users \gset
\if :has_end_users
SELECT 'end_user_role ' || to_jsonb(t)::text FROM letta_role_end_users t ORDER BY 1;
\endif
