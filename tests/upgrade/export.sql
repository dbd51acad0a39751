-- The rows of the extension's tables, in a canonical order (the tables of 0.2.0 when present).
\set QUIET on
\pset tuples_only on
\pset format unaligned
SELECT 'identity ' || to_jsonb(t)::text FROM letta_identities t ORDER BY t.organization_id, t.id;
SELECT 'agent ' || to_jsonb(t)::text FROM letta_agents t ORDER BY t.organization_id, t.id;
SELECT 'identity_agent ' || to_jsonb(t)::text FROM letta_identities_agents t ORDER BY 1;
SELECT to_regclass('letta_blocks') IS NOT NULL AS has_blocks \gset
\if :has_blocks
-- (read_only came in 0.5.0, false for the blocks before it.)
SELECT 'block ' || (to_jsonb(t) - 'read_only')::text FROM letta_blocks t ORDER BY t.organization_id, t.id;
SELECT 'identity_block ' || to_jsonb(t)::text FROM letta_identities_blocks t ORDER BY 1;
SELECT 'role ' || to_jsonb(t)::text FROM letta_role_organizations t ORDER BY 1;
\endif
