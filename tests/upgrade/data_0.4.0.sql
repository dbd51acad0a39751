-- Data written with the 0.4.0 API before the upgrade: the 0.3.0 data (a bound role, a role
-- allowed to switch).
\ir data_0.3.0.sql
-- Agents' inline memory with every key 0.4.0 kept: limit, description, metadata, read_only and
-- keys of its own; in both organizations, through both create paths.
SET letta.organization_id = 'org-55555555-5555-4555-8555-555555555555';
SELECT count(letta_create_agent(name => 'memory ' || n,
           memory_blocks => jsonb_build_array(
               jsonb_build_object('label', 'human', 'value', 'Caren ' || n, 'limit', 100,
                                  'description', 'who', 'metadata', jsonb_build_object('n', n),
                                  'template_name', 'h', 'read_only', true),
               jsonb_build_object('label', 'persona', 'value', ''))))
  FROM generate_series(1, 3) n \g /dev/null
RESET letta.organization_id;
SELECT count(*) FROM letta_create_agents('[{"name": "bulk memory", "memory_blocks": [{"label": "notes", "value": "n", "description": "d", "x": [1, 2]}]}]') \g /dev/null
-- Agents tagged role:subagent, shown and hidden: 0.5.0 hides the shown one (export.sql).
SELECT count(letta_create_agent(name => 'subagent ' || n, tags => ARRAY['role:subagent'], hidden => n = 2))
  FROM generate_series(1, 2) n \g /dev/null
