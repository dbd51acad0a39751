DO $$
DECLARE o int; b int; org text; ids uuid[];
BEGIN
  FOR o IN 1..4 LOOP
    org := 'org-0000000' || o || '-0000-4000-8000-000000000000';
    PERFORM set_config('letta.organization_id', org, true);
    SELECT array_agg(id::uuid) INTO ids FROM (SELECT substr(id, 10)::uuid AS id FROM letta_list_identities(page_size => 2000)) x;
    FOR b IN 0..3 LOOP
      PERFORM letta_create_agents((SELECT jsonb_agg(jsonb_build_object(
          'name', 'agent ' || n,
          'tags', jsonb_build_array('tag_' || (n % 100), 'tag_' || ((n * 7) % 100), 'tag_' || ((n * 13) % 100)),
          'identity_ids', jsonb_build_array('identity-' || ids[1 + n % 2000])))
        FROM generate_series(b * 5000 + 1, b * 5000 + 5000) n));
    END LOOP;
  END LOOP;
END $$;
CREATE ROLE cb_app LOGIN;
SELECT letta_bind_role('cb_app', 'org-00000002-0000-4000-8000-000000000000');
