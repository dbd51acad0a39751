-- The import from a Letta database (letta_import_from_letta): Letta's tables in schema letta_src,
-- generated data of two organizations with each of Letta's known inconsistencies, then what every
-- function returns after the import compared with what Letta's queries return before it.

-- Letta's tables as its migrations create them (the columns the import reads, and some it
-- leaves), without the constraints that older Letta versions lacked, so that their
-- inconsistencies can be written.
CREATE SCHEMA letta_src;
CREATE TABLE letta_src.identities (
    id varchar PRIMARY KEY, identifier_key varchar NOT NULL, name varchar NOT NULL,
    identity_type varchar NOT NULL, project_id varchar, organization_id varchar NOT NULL,
    properties json NOT NULL DEFAULT '[]', created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(), is_deleted boolean NOT NULL DEFAULT false,
    _created_by_id varchar, _last_updated_by_id varchar);
CREATE TABLE letta_src.agents (
    id varchar PRIMARY KEY, name varchar, description varchar, system text, agent_type varchar,
    organization_id varchar NOT NULL, project_id varchar, llm_config json, embedding_config json,
    metadata_ json, hidden boolean, message_ids json, created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(), is_deleted boolean NOT NULL DEFAULT false,
    _created_by_id varchar, _last_updated_by_id varchar);
CREATE TABLE letta_src.agents_tags (agent_id varchar NOT NULL, tag varchar NOT NULL);
CREATE TABLE letta_src.identities_agents (identity_id varchar NOT NULL, agent_id varchar NOT NULL);
CREATE TABLE letta_src.block (
    id varchar PRIMARY KEY, label varchar NOT NULL, value varchar NOT NULL, "limit" integer,
    description varchar, metadata_ json, is_template boolean NOT NULL DEFAULT false,
    template_name varchar, read_only boolean NOT NULL DEFAULT false, hidden boolean,
    project_id varchar, organization_id varchar NOT NULL, created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(), is_deleted boolean NOT NULL DEFAULT false);
CREATE TABLE letta_src.blocks_tags (
    block_id varchar NOT NULL, tag varchar NOT NULL, organization_id varchar NOT NULL,
    is_deleted boolean NOT NULL DEFAULT false);
CREATE TABLE letta_src.identities_blocks (identity_id varchar NOT NULL, block_id varchar NOT NULL);
CREATE TABLE letta_src.blocks_agents (agent_id varchar NOT NULL, block_id varchar NOT NULL, block_label varchar NOT NULL);

-- Letta's id of object n of a kind: a uuid4 made from n, so that every run writes the same ids.
CREATE FUNCTION test.letta_id(kind text, n integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT kind || '-' || substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-8'
           || substr(h, 18, 3) || '-' || substr(h, 21, 12)
      FROM md5(kind || n) h
$$;
-- Organization k of two; identity n is in organization 1 + n % 2, agent m with its owner
-- (identity 1 + m % 40), block b in 1 + b % 2.
CREATE FUNCTION test.letta_org(k integer) RETURNS text LANGUAGE sql IMMUTABLE
RETURN test.letta_id('org', k);
CREATE FUNCTION test.owner_of(m integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN 1 + m % 40;

INSERT INTO letta_src.identities (id, identifier_key, name, identity_type, project_id, organization_id,
                                  properties, created_at, updated_at)
SELECT test.letta_id('identity', n), 'user_' || n, 'User ' || n, CASE WHEN n % 5 = 0 THEN 'org' ELSE 'user' END,
       CASE WHEN n % 4 = 0 THEN 'project-a' END, test.letta_org(1 + n % 2),
       CASE WHEN n % 3 = 0 THEN json_build_array(json_build_object('key', 'age', 'value', 20 + n, 'type', 'number'))
            ELSE '[]' END,
       '2025-01-01'::timestamptz + n * interval '1 minute', '2025-01-02'::timestamptz + n * interval '1 minute'
  FROM generate_series(1, 40) n;
INSERT INTO letta_src.agents (id, name, organization_id, project_id, llm_config, embedding_config, metadata_,
                              hidden, created_at, updated_at, system)
SELECT test.letta_id('agent', m), 'agent ' || m, test.letta_org(1 + test.owner_of(m) % 2),
       CASE WHEN m % 7 = 0 THEN 'project-a' END,
       json_build_object('model', 'gpt-4o-mini', 'handle', 'openai/gpt-4o-mini', 'context_window', 128000),
       json_build_object('embedding_model', 'text-embedding-3-small', 'handle', 'openai/text-embedding-3-small'),
       CASE WHEN m % 10 = 0 THEN '{"tier": "gold"}' WHEN m % 10 = 1 THEN 'null' ELSE '{}' END::json,
       m % 25 = 0, '2025-02-01'::timestamptz + m * interval '1 minute', '2025-02-02'::timestamptz + m * interval '1 minute',
       'You are agent ' || m
  FROM generate_series(1, 200) m;
INSERT INTO letta_src.agents_tags (agent_id, tag)
SELECT test.letta_id('agent', m), t
  FROM generate_series(1, 200) m,
       LATERAL (VALUES ('team-' || m % 3), (CASE WHEN m % 2 = 0 THEN 'tier-' || m % 5 END),
                       (CASE WHEN m % 50 = 0 THEN 'role:subagent' END)) v(t)
 WHERE t IS NOT NULL;
INSERT INTO letta_src.identities_agents (identity_id, agent_id)
SELECT test.letta_id('identity', test.owner_of(m)), test.letta_id('agent', m) FROM generate_series(1, 200) m
UNION ALL  -- one agent in ten shared with a second identity of its organization
SELECT test.letta_id('identity', 1 + (m + 2) % 40), test.letta_id('agent', m) FROM generate_series(10, 200, 10) m;
INSERT INTO letta_src.block (id, label, value, "limit", description, metadata_, read_only, project_id,
                             organization_id, created_at, updated_at)
SELECT test.letta_id('block', b), (ARRAY['human', 'persona', 'policy'])[1 + b % 3], 'block ' || b, 5000,
       CASE WHEN b % 2 = 0 THEN 'about ' || b END, '{}', b % 9 = 0, CASE WHEN b % 6 = 0 THEN 'project-a' END,
       test.letta_org(1 + b % 2), '2025-03-01'::timestamptz + b * interval '1 minute', '2025-03-01'::timestamptz + b * interval '1 minute'
  FROM generate_series(1, 60) b;
INSERT INTO letta_src.blocks_tags (block_id, tag, organization_id)
SELECT test.letta_id('block', b), 'shared', test.letta_org(1 + b % 2) FROM generate_series(4, 60, 4) b;
-- Identity 2 + b % 38 has the parity of b: the block's organization.
INSERT INTO letta_src.identities_blocks (identity_id, block_id)
SELECT test.letta_id('identity', 2 + b % 38), test.letta_id('block', b) FROM generate_series(1, 60) b;
-- Each agent's persona (block 4 in organization 1, block 1 in 2) and, one in five, a human
-- block (6 in organization 1, 3 in 2).
INSERT INTO letta_src.blocks_agents (agent_id, block_id, block_label)
SELECT test.letta_id('agent', m), test.letta_id('block', CASE WHEN test.owner_of(m) % 2 = 0 THEN 4 ELSE 1 END), 'persona'
  FROM generate_series(1, 200) m
UNION ALL
SELECT test.letta_id('agent', m), test.letta_id('block', CASE WHEN test.owner_of(m) % 2 = 0 THEN 6 ELSE 3 END), 'human'
  FROM generate_series(5, 200, 5) m;

-- Letta's known inconsistencies, one or two of each.
-- Links across organizations (identity 1 is in organization 2, agent 3 and block 4 in 1).
INSERT INTO letta_src.identities_agents VALUES (test.letta_id('identity', 1), test.letta_id('agent', 3));
INSERT INTO letta_src.identities_blocks VALUES (test.letta_id('identity', 1), test.letta_id('block', 4));
INSERT INTO letta_src.blocks_agents VALUES (test.letta_id('agent', 3), test.letta_id('block', 5), 'policy');
-- Duplicate rows.
INSERT INTO letta_src.agents_tags VALUES (test.letta_id('agent', 1), 'team-1'), (test.letta_id('agent', 1), 'team-1');
INSERT INTO letta_src.identities_agents VALUES (test.letta_id('identity', 2), test.letta_id('agent', 1));
-- Links and tags of rows that do not exist.
INSERT INTO letta_src.identities_agents VALUES (test.letta_id('identity', 2), test.letta_id('agent', 999));
INSERT INTO letta_src.identities_blocks VALUES (test.letta_id('identity', 999), test.letta_id('block', 2));
INSERT INTO letta_src.blocks_agents VALUES (test.letta_id('agent', 2), test.letta_id('block', 999), 'human');
INSERT INTO letta_src.agents_tags VALUES (test.letta_id('agent', 999), 'orphan');
-- A soft-deleted agent, with a link and a tag; a malformed id; an identity whose property
-- value does not have its type; an agent with an empty tag; a block over its limit; a
-- template block; an identifier_key twice with no project (older Letta); a second persona
-- in agent 3's memory (block 10, organization 1, created after block 4).
INSERT INTO letta_src.agents (id, name, organization_id, is_deleted)
VALUES (test.letta_id('agent', 201), 'deleted', test.letta_org(1), true),
       ('agent-12345', 'malformed', test.letta_org(1), false),
       (test.letta_id('agent', 202), 'empty tag', test.letta_org(1), false);
INSERT INTO letta_src.identities_agents VALUES (test.letta_id('identity', 2), test.letta_id('agent', 201)),
                                               (test.letta_id('identity', 2), 'agent-12345');
INSERT INTO letta_src.agents_tags VALUES (test.letta_id('agent', 201), 'gone'), (test.letta_id('agent', 202), '');
INSERT INTO letta_src.identities (id, identifier_key, name, identity_type, organization_id, properties, created_at)
VALUES (test.letta_id('identity', 41), 'user_41', 'Typed', 'user', test.letta_org(1),
        '[{"key": "age", "value": "29", "type": "number"}]', '2025-01-05'),
       (test.letta_id('identity', 42), 'user_2', 'Again', 'user', test.letta_org(1), '[]', '2025-01-05');
INSERT INTO letta_src.block (id, label, value, "limit", organization_id)
VALUES (test.letta_id('block', 61), 'human', 'too long', 3, test.letta_org(1));
INSERT INTO letta_src.block (id, label, value, is_template, template_name, organization_id)
VALUES (test.letta_id('block', 62), 'persona', 'a template', true, 'helpful', test.letta_org(1));
INSERT INTO letta_src.blocks_agents VALUES (test.letta_id('agent', 3), test.letta_id('block', 10), 'persona');

-- What Letta holds and shows but this API would refuse, in organization 4: kept as it is and
-- noted, or changed without loss (a tag the API refuses leaves its agent, which is kept; metadata
-- that is not an object is kept under "value"); only what an index cannot hold, or what Letta
-- cannot show either (an unknown identity_type), is skipped.
INSERT INTO letta_src.identities (id, identifier_key, name, identity_type, project_id, organization_id, properties)
VALUES (test.letta_id('identity', 43), '', 'Empty key', 'user', NULL, test.letta_org(4), '[]'),
       (test.letta_id('identity', 44), 'user_44', '', 'user', NULL, test.letta_org(4), '[]'),
       (test.letta_id('identity', 45), repeat('k', 1500), 'Long key', 'user', NULL, test.letta_org(4), '[]'),
       (test.letta_id('identity', 46), repeat('k', 3000), 'Key past the index', 'user', NULL, test.letta_org(4), '[]'),
       (test.letta_id('identity', 47), 'user_47', 'Empty project', 'user', '', test.letta_org(4), '[]'),
       (test.letta_id('identity', 48), 'user_48', 'Odd properties', 'org', NULL, test.letta_org(4),
        '[{"key": "tags", "value": ["a"], "type": "json"}, {"key": "age", "value": "41", "type": "number"}, {"key": "ok", "value": 1, "type": "number"}]'),
       (test.letta_id('identity', 49), 'user_49', 'Robot', 'robot', NULL, test.letta_org(4), '[]');
INSERT INTO letta_src.agents (id, name, organization_id, project_id, llm_config, metadata_, hidden)
VALUES (test.letta_id('agent', 203), 'long tag', test.letta_org(4), NULL, NULL, NULL, false),
       (test.letta_id('agent', 204), 'many tags', test.letta_org(4), NULL, NULL, NULL, false),
       (test.letta_id('agent', 205), 'list metadata', test.letta_org(4), NULL, NULL, '[1, 2]', false),
       (test.letta_id('agent', 206), 'no handle', test.letta_org(4), NULL, '{"model": "gpt-4", "context_window": "big"}', NULL, false),
       (test.letta_id('agent', 207), 'old subagent', test.letta_org(4), NULL, NULL, NULL, NULL),
       (test.letta_id('agent', 208), 'empty project', test.letta_org(4), '', NULL, NULL, false);
INSERT INTO letta_src.agents_tags
VALUES (test.letta_id('agent', 203), repeat('t', 1001)), (test.letta_id('agent', 203), 'fine'),
       (test.letta_id('agent', 207), 'role:subagent');
INSERT INTO letta_src.agents_tags SELECT test.letta_id('agent', 204), 'many-' || n FROM generate_series(1, 1001) n;
INSERT INTO letta_src.identities_agents VALUES (test.letta_id('identity', 43), test.letta_id('agent', 203)),
                                               (test.letta_id('identity', 48), test.letta_id('agent', 205));
INSERT INTO letta_src.block (id, label, value, "limit", metadata_, organization_id)
VALUES (test.letta_id('block', 63), '', 'no label', 100, '{}', test.letta_org(4)),
       (test.letta_id('block', 64), 'zero', 'limit 0', 0, '{}', test.letta_org(4)),
       (test.letta_id('block', 65), 'unlimited', 'limit NULL', NULL, '{}', test.letta_org(4)),
       (test.letta_id('block', 66), 'text metadata', 'x', 100, '"a note"', test.letta_org(4)),
       (test.letta_id('block', 67), repeat('l', 3000), 'label past the index', 100, '{}', test.letta_org(4));
INSERT INTO letta_src.blocks_tags VALUES (test.letta_id('block', 64), '', test.letta_org(4)),
                                         (test.letta_id('block', 64), 'kept', test.letta_org(4));
INSERT INTO letta_src.blocks_agents VALUES (test.letta_id('agent', 203), test.letta_id('block', 63), '');

-- A dry run reports and writes nothing.
SELECT count(*) AS agents_before FROM letta_agents WHERE organization_id IN (substr(test.letta_org(1), 5)::uuid, substr(test.letta_org(2), 5)::uuid);
SELECT * FROM letta_import_from_letta('letta_src', dry_run => true);
SELECT count(*) AS agents_after_dry_run FROM letta_agents WHERE organization_id IN (substr(test.letta_org(1), 5)::uuid, substr(test.letta_org(2), 5)::uuid);

-- The import: the same report.
SELECT * FROM letta_import_from_letta('letta_src');

-- What Letta's queries return (in one organization, hidden agents included, deleted rows not),
-- against what the functions return, each row that differs shown: the only differences are
-- the inconsistencies the report named.
CREATE FUNCTION test.compare(letta text, ours text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format(
        'SELECT * FROM (SELECT ''Letta only: '' || x::text FROM ((%1$s) EXCEPT (%2$s)) x
                        UNION ALL SELECT ''here only: '' || x::text FROM ((%2$s) EXCEPT (%1$s)) x) d ORDER BY 1',
        letta, ours);
END
$$;
-- (On a distributed database Citus warns that these views stay on the coordinator: they read
-- local tables only.)
SET client_min_messages = error;
-- Letta: an identity with its agents and blocks (linked, not deleted), ids sorted.
CREATE VIEW test.letta_identities AS
SELECT i.organization_id, i.id, i.identifier_key, i.name, i.identity_type, i.project_id, i.properties::jsonb AS properties,
       ARRAY(SELECT DISTINCT ia.agent_id::text COLLATE "C" FROM letta_src.identities_agents ia
               JOIN letta_src.agents a ON a.id = ia.agent_id AND NOT a.is_deleted
              WHERE ia.identity_id = i.id ORDER BY 1) AS agent_ids,
       ARRAY(SELECT DISTINCT ib.block_id::text COLLATE "C" FROM letta_src.identities_blocks ib
               JOIN letta_src.block b ON b.id = ib.block_id AND NOT b.is_deleted
              WHERE ib.identity_id = i.id ORDER BY 1) AS block_ids
  FROM letta_src.identities i WHERE NOT i.is_deleted;
-- Letta: an agent with its tags, identities and memory (labels and blocks).
CREATE VIEW test.letta_agents AS
SELECT a.organization_id, a.id, a.name, a.project_id, coalesce(a.hidden, false) AS hidden,
       a.llm_config ->> 'handle' AS model, a.embedding_config ->> 'handle' AS embedding,
       (a.llm_config ->> 'context_window')::integer AS context_window_limit,
       coalesce(nullif(a.metadata_::jsonb, 'null'), '{}') AS metadata,
       ARRAY(SELECT DISTINCT t.tag::text COLLATE "C" FROM letta_src.agents_tags t WHERE t.agent_id = a.id ORDER BY 1) AS tags,
       ARRAY(SELECT DISTINCT ia.identity_id::text COLLATE "C" FROM letta_src.identities_agents ia
               JOIN letta_src.identities i ON i.id = ia.identity_id AND NOT i.is_deleted
              WHERE ia.agent_id = a.id ORDER BY 1) AS identity_ids,
       ARRAY(SELECT ba.block_label || '=' || ba.block_id COLLATE "C" FROM letta_src.blocks_agents ba
               JOIN letta_src.block b ON b.id = ba.block_id AND NOT b.is_deleted
              WHERE ba.agent_id = a.id ORDER BY 1) AS memory
  FROM letta_src.agents a WHERE NOT a.is_deleted;
RESET client_min_messages;

-- The identities and the agents, compared in each organization.
CREATE FUNCTION test.compare_identities() RETURNS SETOF text LANGUAGE sql AS $f$
SELECT test.compare(
    $$SELECT id, identifier_key, name, identity_type, project_id, properties, agent_ids, block_ids
        FROM test.letta_identities WHERE organization_id = current_setting('letta.organization_id')$$,
    $$SELECT id, identifier_key, name, identity_type, project_id, properties,
             ARRAY(SELECT x COLLATE "C" FROM unnest(agent_ids) x ORDER BY 1),
             ARRAY(SELECT x COLLATE "C" FROM unnest(block_ids) x ORDER BY 1)
        FROM letta_list_identities(page_size => 1000)$$)
$f$;
CREATE FUNCTION test.compare_agents() RETURNS SETOF text LANGUAGE sql AS $f$
SELECT test.compare(
    $$SELECT id, name, project_id, hidden, model, embedding, context_window_limit, metadata, tags, identity_ids, memory
        FROM test.letta_agents WHERE organization_id = current_setting('letta.organization_id')$$,
    $$SELECT id, name, project_id, hidden, model, embedding, context_window_limit, metadata,
             ARRAY(SELECT x COLLATE "C" FROM unnest(tags) x ORDER BY 1),
             ARRAY(SELECT x COLLATE "C" FROM unnest(identity_ids) x ORDER BY 1),
             ARRAY(SELECT (b ->> 'label') || '=' || (b ->> 'id') COLLATE "C" FROM jsonb_array_elements(memory_blocks) b ORDER BY 1)
        FROM letta_list_agents(include_hidden => true, include_memory => true, page_size => 1000)$$)
$f$;
SELECT set_config('letta.organization_id', test.letta_org(1), false) IS NOT NULL AS in_organization_1;
-- Identities: list (every field), agent_ids, block_ids.
SELECT test.compare_identities();
-- Agents: list (every field this model keeps), tags, identities, memory.
SELECT test.compare_agents();
-- Agents by identifier_keys, one key at a time (Letta: identities of the key, their agents,
-- hidden ones left out).
SELECT test.compare(
    $$SELECT i.identifier_key, a.id FROM test.letta_identities i
        JOIN letta_src.identities_agents ia ON ia.identity_id = i.id
        JOIN letta_src.agents a ON a.id = ia.agent_id AND NOT a.is_deleted AND NOT coalesce(a.hidden, false)
       WHERE i.organization_id = current_setting('letta.organization_id')$$,
    $$SELECT k.identifier_key, a.id FROM letta_list_identities(page_size => 1000) k,
             LATERAL letta_agents_by_key(ARRAY[k.identifier_key]) a$$);
-- Tags: the distinct tags (agents' and blocks'); the agents with any of, and with all of, two tags.
SELECT test.compare(
    $$SELECT t.tag FROM letta_src.agents_tags t JOIN letta_src.agents a ON a.id = t.agent_id AND NOT a.is_deleted
       WHERE a.organization_id = current_setting('letta.organization_id')
      UNION SELECT t.tag FROM letta_src.blocks_tags t WHERE t.organization_id = current_setting('letta.organization_id')$$,
    $$SELECT tag FROM letta_list_tags(page_size => 1000) tag$$);
SELECT test.compare(
    $$SELECT a.id FROM test.letta_agents a WHERE a.organization_id = current_setting('letta.organization_id')
         AND NOT a.hidden AND a.tags && ARRAY['team-1', 'tier-2']$$,
    $$SELECT id FROM letta_list_agents(tags => ARRAY['team-1', 'tier-2'], page_size => 1000)$$);
SELECT test.compare(
    $$SELECT a.id FROM test.letta_agents a WHERE a.organization_id = current_setting('letta.organization_id')
         AND NOT a.hidden AND a.tags @> ARRAY['team-1', 'tier-2']$$,
    $$SELECT id FROM letta_list_agents(tags => ARRAY['team-1', 'tier-2'], match_all_tags => true, page_size => 1000)$$);
-- Blocks: every field, their identities and agents.
SELECT test.compare(
    $$SELECT b.id, b.label, b.value, b."limit", b.description, b.read_only, b.project_id,
             ARRAY(SELECT DISTINCT t.tag::text FROM letta_src.blocks_tags t WHERE t.block_id = b.id ORDER BY 1),
             ARRAY(SELECT DISTINCT ib.identity_id::text COLLATE "C" FROM letta_src.identities_blocks ib
                     JOIN letta_src.identities i ON i.id = ib.identity_id AND NOT i.is_deleted
                    WHERE ib.block_id = b.id ORDER BY 1),
             ARRAY(SELECT DISTINCT ba.agent_id::text COLLATE "C" FROM letta_src.blocks_agents ba
                     JOIN letta_src.agents a ON a.id = ba.agent_id AND NOT a.is_deleted
                    WHERE ba.block_id = b.id ORDER BY 1)
        FROM letta_src.block b WHERE NOT b.is_deleted AND b.organization_id = current_setting('letta.organization_id')$$,
    $$SELECT b.id, b.label, b.value, b."limit", b.description, b.read_only, b.project_id, b.tags,
             ARRAY(SELECT x COLLATE "C" FROM unnest(b.identity_ids) x ORDER BY 1),
             ARRAY(SELECT a.id COLLATE "C" FROM letta_block_agents(b.id, page_size => 1000) a ORDER BY 1)
        FROM letta_list_blocks(page_size => 1000) b$$);

-- One row at a time: each identity and agent got by id is its list row; each identity's agents
-- and blocks, and each agent's blocks, as Letta's links give them; the counts.
SELECT test.compare(
    $$SELECT (i).* FROM letta_list_identities(page_size => 1000) i$$,
    $$SELECT (letta_get_identity(i.id)).* FROM letta_list_identities(page_size => 1000) i$$);
SELECT test.compare(
    $$SELECT (a).* FROM letta_list_agents(include_hidden => true, include_memory => true, include_identities => true, page_size => 1000) a$$,
    $$SELECT (letta_get_agent(a.id)).* FROM letta_list_agents(include_hidden => true, page_size => 1000) a$$);
SELECT test.compare(
    $$SELECT i.id, a.id FROM test.letta_identities i
        JOIN letta_src.identities_agents ia ON ia.identity_id = i.id
        JOIN letta_src.agents a ON a.id = ia.agent_id AND NOT a.is_deleted
       WHERE i.organization_id = current_setting('letta.organization_id')$$,
    $$SELECT i.id, a.id FROM letta_list_identities(page_size => 1000) i,
             LATERAL letta_identity_agents(i.id, page_size => 1000) a$$);
SELECT test.compare(
    $$SELECT i.id, b FROM test.letta_identities i, unnest(i.block_ids) b
       WHERE i.organization_id = current_setting('letta.organization_id')$$,
    $$SELECT i.id, b.id FROM letta_list_identities(page_size => 1000) i,
             LATERAL letta_identity_blocks(i.id, page_size => 1000) b$$);
SELECT test.compare(
    $$SELECT a.id, m FROM test.letta_agents a, unnest(a.memory) m
       WHERE a.organization_id = current_setting('letta.organization_id')$$,
    $$SELECT a.id, b.label || '=' || b.id FROM letta_list_agents(include_hidden => true, page_size => 1000) a,
             LATERAL letta_agent_blocks(a.id) b$$);
SELECT (SELECT count(*) FROM test.letta_identities WHERE organization_id = current_setting('letta.organization_id')) AS letta_identities,
       letta_count_identities() AS identities,
       (SELECT count(*) FROM test.letta_agents WHERE organization_id = current_setting('letta.organization_id') AND NOT hidden) AS letta_agents,
       letta_count_agents() AS agents;

-- The second organization: no inconsistency is in it but the cross-organization link's identity.
SELECT set_config('letta.organization_id', test.letta_org(2), false) IS NOT NULL AS in_organization_2;
SELECT test.compare_identities();
SELECT test.compare_agents();
SELECT count(*) AS identities, (SELECT count(*) FROM letta_list_agents(include_hidden => true, page_size => 1000)) AS agents
  FROM letta_list_identities(page_size => 1000);
RESET letta.organization_id;

-- Organization 4: each row the API would refuse, as the functions return it.
SELECT set_config('letta.organization_id', test.letta_org(4), false) IS NOT NULL AS in_organization_4;
SELECT CASE WHEN length(identifier_key) > 20 THEN left(identifier_key, 3) || '… (' || length(identifier_key) || ')' ELSE identifier_key END AS identifier_key,
       quote_literal(name) AS name, identity_type, quote_nullable(project_id) AS project_id, properties,
       cardinality(agent_ids) AS agents
  FROM letta_list_identities(ascending => true, page_size => 1000) ORDER BY name;
SELECT name, cardinality(tags) AS tags, tags[1] AS first_tag, metadata, model, context_window_limit, hidden,
       quote_nullable(project_id) AS project_id, cardinality(identity_ids) AS identities
  FROM letta_list_agents(include_hidden => true, ascending => true, page_size => 1000) ORDER BY name;
SELECT quote_literal(label) AS label, value, "limit", metadata, tags FROM letta_list_blocks(include_hidden => true, page_size => 1000) ORDER BY value;
-- By key, the empty one too; an agent's memory with its unlabelled block; the stored values
-- the API would refuse stay through an update that does not touch them.
SELECT name FROM letta_agents_by_key(ARRAY['']);
SELECT label, value FROM letta_agent_blocks((SELECT id FROM letta_list_agents(name => 'long tag')));
SELECT properties FROM letta_update_identity((SELECT id FROM letta_list_identities(identifier_key => 'user_48')),
                                             properties => '[{"key": "ok", "value": 2, "type": "number"}]');
SELECT cardinality(tags) AS tags FROM letta_update_agent((SELECT id FROM letta_list_agents(name => 'many tags')), name => 'many tags, renamed');
SELECT test.error_of(format($$ SELECT letta_add_agent_tags(%L, ARRAY['one more']) $$,
                            (SELECT id FROM letta_list_agents(name => 'many tags, renamed'))));
RESET letta.organization_id;

-- Run again: nothing is written (every row present), and no row changed.
CREATE TABLE test.imported AS
SELECT 'identity' AS kind, md5(i::text) AS digest FROM letta_identities i WHERE organization_id IN (substr(test.letta_org(1), 5)::uuid, substr(test.letta_org(2), 5)::uuid)
UNION ALL SELECT 'agent', md5(a::text) FROM letta_agents a WHERE organization_id IN (substr(test.letta_org(1), 5)::uuid, substr(test.letta_org(2), 5)::uuid)
UNION ALL SELECT 'block', md5(b::text) FROM letta_blocks b WHERE organization_id IN (substr(test.letta_org(1), 5)::uuid, substr(test.letta_org(2), 5)::uuid)
UNION ALL SELECT 'link', md5(l::text) FROM letta_identities_agents l WHERE organization_id IN (substr(test.letta_org(1), 5)::uuid, substr(test.letta_org(2), 5)::uuid)
UNION ALL SELECT 'memory', md5(l::text) FROM letta_blocks_agents l WHERE organization_id IN (substr(test.letta_org(1), 5)::uuid, substr(test.letta_org(2), 5)::uuid);
SELECT kind, outcome, sum(rows) AS rows FROM letta_import_from_letta('letta_src') GROUP BY 1, 2 ORDER BY 1, 2;
CREATE TEMPORARY TABLE imported_again AS
SELECT 'identity' AS kind, md5(i::text) AS digest FROM letta_identities i WHERE organization_id IN (substr(test.letta_org(1), 5)::uuid, substr(test.letta_org(2), 5)::uuid)
    UNION ALL SELECT 'agent', md5(a::text) FROM letta_agents a WHERE organization_id IN (substr(test.letta_org(1), 5)::uuid, substr(test.letta_org(2), 5)::uuid)
    UNION ALL SELECT 'block', md5(b::text) FROM letta_blocks b WHERE organization_id IN (substr(test.letta_org(1), 5)::uuid, substr(test.letta_org(2), 5)::uuid)
    UNION ALL SELECT 'link', md5(l::text) FROM letta_identities_agents l WHERE organization_id IN (substr(test.letta_org(1), 5)::uuid, substr(test.letta_org(2), 5)::uuid)
    UNION ALL SELECT 'memory', md5(l::text) FROM letta_blocks_agents l WHERE organization_id IN (substr(test.letta_org(1), 5)::uuid, substr(test.letta_org(2), 5)::uuid);
-- (Both ways: a row gone counts as much as a row changed or added.)
SELECT (SELECT count(*) FROM (SELECT * FROM imported_again EXCEPT SELECT * FROM test.imported) d) AS changed_or_added,
       (SELECT count(*) FROM (SELECT * FROM test.imported EXCEPT SELECT * FROM imported_again) d) AS changed_or_gone;

-- A row mended in the source is imported by the next run, alone.
UPDATE letta_src.identities SET identity_type = 'user' WHERE id = test.letta_id('identity', 49);
SELECT kind, outcome, rows FROM letta_import_from_letta('letta_src') WHERE outcome = 'imported';

-- Errors.
SELECT test.error_of($$SELECT * FROM letta_import_from_letta(NULL)$$);
SELECT test.error_of($$SELECT * FROM letta_import_from_letta('no_such_schema')$$);
SELECT test.error_of($$SELECT * FROM letta_import_from_letta('test')$$);
CREATE SCHEMA letta_old;
CREATE TABLE letta_old.identities (id text, organization_id text, identifier_key text, name text);
CREATE TABLE letta_old.agents (id text, organization_id text);
SELECT test.error_of($$SELECT * FROM letta_import_from_letta('letta_old')$$);
-- An older Letta without blocks, tags or the later columns: what it has is imported.
ALTER TABLE letta_old.identities ADD COLUMN identity_type text;
INSERT INTO letta_old.identities VALUES (test.letta_id('identity', 100), test.letta_org(3), 'old_user', 'Old', 'user');
INSERT INTO letta_old.agents VALUES (test.letta_id('agent', 300), test.letta_org(3));
SELECT * FROM letta_import_from_letta('letta_old');
-- Administrators only: a bound role may not import.
CREATE ROLE letta_import_app;
SELECT letta_bind_role('letta_import_app', test.letta_org(3));
SET ROLE letta_import_app;
-- expected error: 42501, administrators only
SELECT * FROM letta_import_from_letta('letta_old');
RESET ROLE;
SELECT letta_unbind_role('letta_import_app');
DROP ROLE letta_import_app;
DROP FUNCTION test.compare_identities(), test.compare_agents();
DROP VIEW test.letta_identities, test.letta_agents;
DROP TABLE test.imported;
DROP SCHEMA letta_old, letta_src CASCADE;
