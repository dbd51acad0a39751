-- The rows of the tables that 0.1.0 has, in a canonical order.
\set QUIET on
\pset tuples_only on
\pset format unaligned
SELECT 'identity ' || to_jsonb(t)::text FROM letta_identities t ORDER BY t.organization_id, t.id;
SELECT 'agent ' || to_jsonb(t)::text FROM letta_agents t ORDER BY t.organization_id, t.id;
SELECT 'identity_agent ' || to_jsonb(t)::text FROM letta_identities_agents t ORDER BY 1;
