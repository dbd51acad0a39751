-- Data written with the 0.1.0 API before the upgrade: identities with properties in two
-- organizations, agents with tags, links.
\set ON_ERROR_STOP on
\set QUIET on
SET letta.organization_id = 'org-55555555-5555-4555-8555-555555555555';
SELECT count(letta_create_identity('user_' || n, 'User ' || n, project_id => CASE WHEN n % 2 = 0 THEN 'p' END,
           properties => jsonb_build_array(jsonb_build_object('key', 'n', 'value', n, 'type', 'number'))))
  FROM generate_series(1, 20) n \g /dev/null
RESET letta.organization_id;
SELECT count(letta_create_identity('user_' || n, 'User ' || n)) FROM generate_series(1, 20) n \g /dev/null
SELECT count(letta_create_agent(name => 'agent ' || n, tags => ARRAY['t' || (n % 4), 'all'],
           identity_ids => ARRAY(SELECT i.id FROM letta_identities l, letta_get_identity('identity-' || l.id) i
                                  WHERE l.identifier_key IN ('user_' || (1 + n % 20), 'user_' || (1 + n * 3 % 20))
                                    AND l.organization_id = '00000000-0000-4000-8000-000000000000'),
           memory_blocks => '[{"label": "human", "value": "x"}]', metadata => jsonb_build_object('n', n)))
  FROM generate_series(1, 50) n \g /dev/null
