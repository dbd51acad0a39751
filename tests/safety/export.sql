-- Every row of every table of the extension, in a canonical order, as JSON lines.
\set QUIET on
\pset tuples_only on
\pset format unaligned
SELECT 'identity ' || to_jsonb(t)::text FROM letta_identities t ORDER BY t.organization_id, t.id;
SELECT 'agent ' || to_jsonb(t)::text FROM letta_agents t ORDER BY t.organization_id, t.id;
SELECT 'identity_agent ' || to_jsonb(t)::text FROM letta_identities_agents t ORDER BY 1;
SELECT 'block ' || to_jsonb(t)::text FROM letta_blocks t ORDER BY t.organization_id, t.id;
SELECT 'identity_block ' || to_jsonb(t)::text FROM letta_identities_blocks t ORDER BY 1;
SELECT 'block_agent ' || to_jsonb(t)::text FROM letta_blocks_agents t ORDER BY 1;
