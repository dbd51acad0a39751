-- Data written with the 0.2.0 API before the upgrade: the 0.1.0 data, plus blocks shared by
-- identities, a hidden agent and a bound role.
\ir data_0.1.0.sql
SELECT count(letta_create_block('persona', 'block ' || n, char_limit => 100,
           identity_ids => ARRAY(SELECT id FROM letta_list_identities(identifier_key => 'user_' || (1 + n % 20)))))
  FROM generate_series(1, 10) n \g /dev/null
SELECT count(letta_create_agent(name => 'hidden one', tags => ARRAY['t1'], hidden => true)) \g /dev/null
DROP ROLE IF EXISTS letta_upgrade_app;
CREATE ROLE letta_upgrade_app;
SELECT letta_bind_role('letta_upgrade_app', 'org-55555555-5555-4555-8555-555555555555') \g /dev/null
