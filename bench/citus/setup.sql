-- same data on both: 4 organizations, each 2,000 identities and 20,000 agents (100 tags, 3 per agent), one link per agent
DO $$
DECLARE o int; org text;
BEGIN
  FOR o IN 1..4 LOOP
    org := 'org-0000000' || o || '-0000-4000-8000-000000000000';
    PERFORM set_config('letta.organization_id', org, true);
    PERFORM letta_create_identity('user_' || n, 'User ' || n) FROM generate_series(1, 2000) n;
  END LOOP;
END $$;
