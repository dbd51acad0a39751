-- Creation order inside one transaction. Rows written in one transaction (a DO block, a
-- script between BEGIN and COMMIT, one call of letta_create_agents) list in the order they
-- were written, newest first or oldest first, through every list, cursor and page: each write
-- is stamped with the transaction's start plus a microsecond per write before it in the
-- transaction (the first with now() itself), and a new row's updated_at equals its created_at.
SET letta.organization_id = 'org-77777777-7777-4777-8777-777777777777';
SELECT id AS owner FROM letta_create_identity('order_owner', 'Owner') \gset

-- A DO block: five agents, each linked to the owner and tagged.
DO $$
BEGIN
    FOR n IN 1..5 LOOP
        PERFORM letta_create_agent(name => 'do ' || n, tags => ARRAY['ordered', 'do'],
                                   identity_ids => ARRAY[(SELECT id FROM letta_list_identities(identifier_key => 'order_owner'))]);
    END LOOP;
END
$$;
SELECT string_agg(name, ', ') AS newest_first FROM letta_list_agents(tags => ARRAY['do']);
SELECT string_agg(name, ', ') AS oldest_first FROM letta_list_agents(tags => ARRAY['do'], ascending => true);
SELECT string_agg(name, ', ') AS all_of FROM letta_list_agents(tags => ARRAY['do', 'ordered'], match_all_tags => true);
SELECT string_agg(name, ', ') AS by_key FROM letta_agents_by_key(ARRAY['order_owner']);
SELECT string_agg(name, ', ') AS of_the_owner FROM letta_identity_agents(:'owner');
SELECT string_agg(name, ', ') AS unfiltered FROM letta_list_agents();
-- Cursors: the page after the second newest, and before it.
SELECT id AS do_4 FROM letta_list_agents(tags => ARRAY['do']) WHERE name = 'do 4' \gset
SELECT string_agg(name, ', ') AS after_do_4 FROM letta_list_agents(tags => ARRAY['do'], after => :'do_4', page_size => 2);
SELECT string_agg(name, ', ') AS before_do_4 FROM letta_list_agents(tags => ARRAY['do'], before => :'do_4');
SELECT jsonb_path_query_array(p.items, '$[*].name') AS first_page, p.has_more
  FROM letta_list_agents_page(tags => ARRAY['do'], page_size => 3) p;
-- Apart by a microsecond each; a new row's updated_at is its created_at.
SELECT count(DISTINCT created_at) AS distinct_times,
       max(created_at) - min(created_at) AS spread,
       bool_and(updated_at = created_at) AS fresh
  FROM letta_list_agents(tags => ARRAY['do']);

-- A script between BEGIN and COMMIT, and one call of letta_create_agents inside it; the first
-- write of the transaction is stamped with its start.
BEGIN;
SELECT (letta_create_agent(name => 'script 1', tags => ARRAY['script'])).created_at = now() AS stamped_with_the_start;
SELECT name FROM letta_create_agent(name => 'script 2', tags => ARRAY['script']);
SELECT cardinality(letta_create_agents('[{"name": "script 3", "tags": ["script"]}, {"name": "script 4", "tags": ["script"]},
                                         {"name": "script 5", "tags": ["script"]}]')) AS created;
SELECT name FROM letta_create_agent(name => 'script 6', tags => ARRAY['script']);
COMMIT;
SELECT string_agg(name, ', ') AS newest_first FROM letta_list_agents(tags => ARRAY['script']);
SELECT string_agg(name, ', ') AS oldest_first FROM letta_list_agents(tags => ARRAY['script'], ascending => true);

-- Updates are stamped the same way.
BEGIN;
SELECT (letta_update_agent(:'do_4', name => 'do 4, renamed')).updated_at = now() AS first_write_of_the_transaction;
SELECT letta_add_agent_tags(:'do_4', ARRAY['renamed']) AS tags;
SELECT updated_at - now() AS second_write, updated_at > created_at AS after_creation FROM letta_get_agent(:'do_4');
COMMIT;

-- Identities and blocks, in one transaction each.
BEGIN;
SELECT identifier_key FROM letta_create_identity('order_a', 'A');
SELECT identifier_key FROM letta_create_identity('order_b', 'B');
SELECT identifier_key FROM letta_upsert_identity('order_c', 'C');
COMMIT;
SELECT string_agg(identifier_key, ', ') AS newest_first FROM letta_list_identities(identifier_key => NULL) WHERE identifier_key LIKE 'order\__';
SELECT string_agg(identifier_key, ', ') AS oldest_first FROM letta_list_identities(ascending => true) WHERE identifier_key LIKE 'order\__';
BEGIN;
SELECT label FROM letta_create_block('first', 'one', identity_ids => ARRAY[:'owner']);
SELECT label FROM letta_create_block('second', 'two', identity_ids => ARRAY[:'owner']);
SELECT label FROM letta_create_block('third', 'three', identity_ids => ARRAY[:'owner']);
COMMIT;
SELECT string_agg(label, ', ') AS newest_first FROM letta_identity_blocks(:'owner');
SELECT string_agg(label, ', ') AS by_key FROM letta_blocks_by_key(ARRAY['order_owner']);

-- A direct INSERT takes the same stamps from the tables' defaults.
BEGIN;
INSERT INTO letta_agents (organization_id, name, tags)
VALUES ('77777777-7777-4777-8777-777777777777', 'direct 1', '{direct}'),
       ('77777777-7777-4777-8777-777777777777', 'direct 2', '{direct}');
INSERT INTO letta_agents (organization_id, name, tags)
VALUES ('77777777-7777-4777-8777-777777777777', 'direct 3', '{direct}');
COMMIT;
SELECT string_agg(name, ', ') AS newest_first FROM letta_list_agents(tags => ARRAY['direct']);

DELETE FROM letta_identities WHERE organization_id = '77777777-7777-4777-8777-777777777777';
DELETE FROM letta_agents WHERE organization_id = '77777777-7777-4777-8777-777777777777';
DELETE FROM letta_blocks WHERE organization_id = '77777777-7777-4777-8777-777777777777';
RESET letta.organization_id;
