-- Hole 11: one organization can stall all. A bound role's UPDATE and DELETE privileges let it
-- LOCK the shared tables in any mode, and a lock that conflicts with ROW EXCLUSIVE (SHARE and
-- up) stops every organization's writes, ACCESS EXCLUSIVE their reads too, for as long as
-- its transaction stays open. sec_a tries every mode on every table of the extension.
-- Must hold: refused (42501) for the modes that would stop other organizations' calls
-- (session_preload_libraries loads the library that refuses them: tests/security/run).
SELECT current_setting('session_preload_libraries') AS preloaded;

\c - sec_a
-- Each table and mode, in a transaction of its own (LOCK TABLE needs one; test.error_of's
-- statement is one), the lock released at once.
SELECT t AS extension_table,
       string_agg(m || ': ' || split_part(test.error_of(format('LOCK TABLE %s IN %s MODE', t, m)), ':', 1), ', '
                  ORDER BY ordinality) AS outcomes
  FROM unnest(ARRAY['letta_agents', 'letta_identities', 'letta_blocks', 'letta_identities_agents',
                    'letta_identities_blocks', 'letta_blocks_agents', 'letta_agents_tags', 'letta_role_organizations',
                    'letta_role_end_users']) t,
       unnest(ARRAY['ACCESS EXCLUSIVE', 'EXCLUSIVE', 'SHARE ROW EXCLUSIVE', 'SHARE', 'SHARE UPDATE EXCLUSIVE',
                    'ROW EXCLUSIVE', 'ROW SHARE', 'ACCESS SHARE']) WITH ORDINALITY m
 GROUP BY t ORDER BY t;
-- The messages, for the two modes the issue names.
SELECT test.error_of('LOCK TABLE letta_agents IN ACCESS EXCLUSIVE MODE') AS access_exclusive;
SELECT test.error_of('LOCK TABLE letta_agents IN SHARE MODE') AS share;
-- The same through a view on the tables, and with NOWAIT, and ONLY.
SELECT test.error_of('LOCK TABLE _letta_agents_shown IN ACCESS EXCLUSIVE MODE') AS through_view;
SELECT test.error_of('LOCK TABLE letta_agents IN ACCESS EXCLUSIVE MODE NOWAIT') AS nowait;
SELECT test.error_of('LOCK TABLE ONLY letta_agents IN SHARE MODE') AS only;
SELECT test.error_of('LOCK letta_agents') AS default_mode;
-- Through a view of its own on letta_agents (PostgreSQL locks a view's tables with the view
-- owner's privileges, and sec_a may UPDATE letta_agents).
CREATE VIEW sec_a_schema.agents_view AS SELECT * FROM public.letta_agents;
SELECT test.error_of('LOCK TABLE sec_a_schema.agents_view IN ACCESS EXCLUSIVE MODE') AS through_own_view;
SELECT test.error_of('LOCK TABLE sec_a_schema.agents_view IN SHARE MODE') AS through_own_view_share;
DROP VIEW sec_a_schema.agents_view;
-- A foreign key to letta_agents from a table of its own (SHARE ROW EXCLUSIVE on letta_agents
-- while it is made), and maintenance that would take strong locks.
SELECT test.error_of('CREATE TABLE sec_a_schema.refs (o uuid, i uuid, FOREIGN KEY (o, i) REFERENCES public.letta_agents (organization_id, id))') AS foreign_key;
SELECT test.error_of('CREATE INDEX ON letta_agents (name)') AS create_index;
SELECT test.error_of('REINDEX TABLE letta_agents') AS reindex;
SELECT test.error_of('CLUSTER letta_agents USING letta_agents_pkey') AS cluster;
VACUUM FULL letta_agents;
SELECT test.error_of('ALTER TABLE letta_agents ADD COLUMN planted text') AS alter_table;
SELECT test.error_of('CREATE TRIGGER stall BEFORE INSERT ON letta_agents FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()') AS create_trigger;
-- Statements that PostgreSQL lets queue for a strong lock on a table before it checks that
-- the role owns it (while one waits, behind any open transaction, every later call on the
-- table waits behind it): refused before they queue, on every table of the extension, even by
-- a role with no binding at all (letta_role_organizations is readable by every role).
SELECT test.error_of('CREATE RULE stall AS ON INSERT TO letta_agents DO ALSO NOTHING') AS create_rule;
SELECT test.error_of('CREATE RULE stall AS ON INSERT TO letta_role_organizations DO ALSO NOTHING') AS create_rule_on_bindings;
SELECT test.error_of('CREATE TEMP TABLE fk (o uuid, i uuid, FOREIGN KEY (o, i) REFERENCES public.letta_agents (organization_id, id))') AS temp_foreign_key;
SELECT test.error_of('CREATE TEMP TABLE fk (o uuid REFERENCES public.letta_role_organizations (role_name))') AS column_foreign_key;
SELECT test.error_of('CREATE TEMP TABLE child () INHERITS (public.letta_agents)') AS inherits;
SELECT test.error_of('CREATE TEMP TABLE part PARTITION OF public.letta_agents DEFAULT') AS partition_of;
CREATE TABLE sec_a_schema.own (o uuid, i uuid);
SELECT test.error_of('ALTER TABLE sec_a_schema.own ADD FOREIGN KEY (o, i) REFERENCES public.letta_agents (organization_id, id)') AS alter_foreign_key;
SELECT test.error_of('ALTER TABLE sec_a_schema.own INHERIT public.letta_blocks') AS alter_inherit;
DROP TABLE sec_a_schema.own;
SELECT test.error_of($$COMMENT ON TABLE letta_agents IS 'mine'$$) AS comment_table;
SELECT test.error_of($$COMMENT ON COLUMN letta_agents.name IS 'mine'$$) AS comment_column;
SELECT test.error_of('CREATE STATISTICS sec_a_schema.s ON name, project_id FROM letta_agents') AS create_statistics;
SELECT test.error_of('CREATE TRIGGER stall AFTER INSERT ON letta_blocks FOR EACH STATEMENT EXECUTE FUNCTION suppress_redundant_updates_trigger()') AS create_trigger_blocks;
-- A foreign table as a partition, an index attached as a partition of the role's own, a rule
-- on the row views, dropping or commenting a trigger or a policy of the tables.
SELECT test.error_of('CREATE FOREIGN TABLE pg_temp.ft PARTITION OF public.letta_agents DEFAULT SERVER nowhere') AS foreign_partition;
CREATE TABLE sec_a_schema.p (organization_id uuid, id uuid) PARTITION BY LIST (organization_id);
CREATE INDEX p_idx ON sec_a_schema.p (organization_id, id);
SELECT test.error_of('ALTER INDEX sec_a_schema.p_idx ATTACH PARTITION public.letta_agents_pkey') AS index_attach;
SELECT test.error_of('ALTER TABLE sec_a_schema.p ATTACH PARTITION public.letta_agents DEFAULT') AS table_attach;
DROP TABLE sec_a_schema.p;
SELECT test.error_of('CREATE RULE stall AS ON INSERT TO public._letta_agents_shown DO INSTEAD NOTHING') AS rule_on_row_view;
SELECT test.error_of('DROP TRIGGER letta_agents_tags_insert ON public.letta_agents') AS drop_trigger;
SELECT test.error_of('DROP POLICY letta_organization ON public.letta_agents') AS drop_policy;
SELECT test.error_of($$COMMENT ON TRIGGER letta_agents_tags_insert ON public.letta_agents IS 'mine'$$) AS comment_trigger;
-- The name decides, in any schema: a table of the role's own named letta_agents (which a
-- statement could find first, then resolve again to the extension's after a wait) gets the
-- same answer.
CREATE TABLE sec_a_schema.letta_agents (i int);
SELECT test.error_of('CREATE RULE stall AS ON INSERT TO sec_a_schema.letta_agents DO ALSO NOTHING') AS own_table_of_that_name;
DROP TABLE sec_a_schema.letta_agents;
-- A view over a view over letta_agents.
CREATE VIEW sec_a_schema.v1 AS SELECT * FROM public.letta_agents;
CREATE VIEW sec_a_schema.v2 AS SELECT * FROM sec_a_schema.v1;
SELECT test.error_of('LOCK TABLE sec_a_schema.v2 IN EXCLUSIVE MODE') AS through_two_views;
DROP VIEW sec_a_schema.v2, sec_a_schema.v1;
-- Any view, in a strong mode (a view of the role's own may be replaced while the LOCK waits).
CREATE TEMP VIEW harmless AS SELECT 1 AS one;
SELECT test.error_of('LOCK TABLE harmless IN ACCESS EXCLUSIVE MODE') AS any_view;
DROP VIEW harmless;
-- What the application may do on its own tables is untouched.
CREATE TEMP TABLE mine (i int);
CREATE RULE r AS ON INSERT TO mine DO ALSO NOTHING;
COMMENT ON TABLE mine IS 'mine';
BEGIN; LOCK TABLE mine IN ACCESS EXCLUSIVE MODE; ROLLBACK;
DROP TABLE mine;
CREATE TEMP TABLE like_agents (LIKE public.letta_agents);
CREATE TEMP VIEW my_agents AS SELECT name FROM public.letta_agents;
SELECT count(*) AS my_agents FROM my_agents;
DROP VIEW my_agents;
DROP TABLE like_agents;
-- Nor can it stop the library from being loaded in its sessions.
SELECT test.error_of($$ SET session_preload_libraries = '' $$) AS unload;
-- Held locks the role could take anyway (on rows of its own organization) stop no one else's.
BEGIN;
SELECT count(*) AS own_rows_locked FROM (SELECT FROM letta_agents FOR UPDATE) r;
SELECT mode FROM pg_locks WHERE locktype = 'relation' AND relation = 'letta_agents'::regclass AND pid = pg_backend_pid() ORDER BY mode;
ROLLBACK;
