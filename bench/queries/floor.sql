-- The floor: one identity by its unique key, straight from the extension's table.
\set k random(1, :identities)
SELECT * FROM letta_identities
 WHERE organization_id = '00000000-0000-4000-8000-000000000000' AND identifier_key = 'user_' || :k AND project_id IS NULL;
