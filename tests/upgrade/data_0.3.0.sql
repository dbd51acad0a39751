-- Data written with the 0.3.0 API before the upgrade: the 0.2.0 data, plus agents of the bulk
-- path and a role allowed to switch organizations, which must keep switching after the update.
\ir data_0.2.0.sql
SELECT count(*) FROM letta_create_agents('[{"name": "bulk one", "tags": ["t1", "t2"]}, {"name": "bulk two"}]') \g /dev/null
DROP ROLE IF EXISTS letta_upgrade_switcher;
CREATE ROLE letta_upgrade_switcher;
SELECT letta_allow_switching('letta_upgrade_switcher') \g /dev/null
