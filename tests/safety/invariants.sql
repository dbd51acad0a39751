-- Data invariants; each row is 'name | violations', and every count must be 0.
\set QUIET on
\pset tuples_only on
\pset format unaligned
SELECT 'duplicate identifier_key per organization and project', count(*) FROM (
    SELECT 1 FROM letta_identities GROUP BY organization_id, identifier_key, project_id HAVING count(*) > 1) d
UNION ALL
SELECT 'dangling identity-agent link', count(*) FROM letta_identities_agents l
 WHERE NOT EXISTS (SELECT FROM letta_identities i WHERE i.organization_id = l.organization_id AND i.id = l.identity_id)
    OR NOT EXISTS (SELECT FROM letta_agents a WHERE a.organization_id = l.organization_id AND a.id = l.agent_id)
UNION ALL
SELECT 'dangling identity-block link', count(*) FROM letta_identities_blocks l
 WHERE NOT EXISTS (SELECT FROM letta_identities i WHERE i.organization_id = l.organization_id AND i.id = l.identity_id)
    OR NOT EXISTS (SELECT FROM letta_blocks b WHERE b.organization_id = l.organization_id AND b.id = l.block_id)
UNION ALL
SELECT 'agent-block link without its agent, or not with its block''s label', count(*) FROM letta_blocks_agents l
 WHERE NOT EXISTS (SELECT FROM letta_agents a WHERE a.organization_id = l.organization_id AND a.id = l.agent_id)
    OR NOT EXISTS (SELECT FROM letta_blocks b WHERE b.organization_id = l.organization_id AND b.id = l.block_id
                                                AND b.label = l.block_label)
UNION ALL
SELECT 'two blocks with one label in an agent''s memory', count(*) FROM (
    SELECT 1 FROM letta_blocks_agents l JOIN letta_blocks b ON b.organization_id = l.organization_id AND b.id = l.block_id
     GROUP BY l.organization_id, l.agent_id, b.label HAVING count(*) > 1) d
UNION ALL
SELECT 'link to a row of another organization', count(*) FROM letta_identities_agents l
  JOIN letta_identities i ON i.id = l.identity_id JOIN letta_agents a ON a.id = l.agent_id
 WHERE i.organization_id <> l.organization_id OR a.organization_id <> l.organization_id
UNION ALL
SELECT 'tags not a sorted set without NULL or empty', count(*) FROM letta_agents a
 WHERE a.tags IS DISTINCT FROM ARRAY(SELECT DISTINCT t COLLATE "C" FROM unnest(a.tags) t WHERE t <> '' ORDER BY 1)
UNION ALL
SELECT 'ordered tag index differs from the agents'' tags', count(*) FROM (
    (SELECT organization_id, t COLLATE "C", created_at, id FROM letta_agents, unnest(tags) t
     EXCEPT ALL SELECT organization_id, tag, created_at, agent_id FROM letta_agents_tags)
    UNION ALL
    (SELECT organization_id, tag, created_at, agent_id FROM letta_agents_tags
     EXCEPT ALL SELECT organization_id, t COLLATE "C", created_at, id FROM letta_agents, unnest(tags) t)) d
UNION ALL
SELECT 'agent_ids of an identity row differ from its links', count(*)
  FROM letta_identities i CROSS JOIN LATERAL letta_get_identity('identity-' || i.id) g
 WHERE i.organization_id = _letta_org()
   AND cardinality(g.agent_ids) <> (SELECT count(*) FROM letta_identities_agents l
                                     WHERE l.organization_id = i.organization_id AND l.identity_id = i.id)
UNION ALL
SELECT 'count functions disagree with the tables', abs(letta_count_agents(include_hidden => true)
       - (SELECT count(*) FROM letta_agents WHERE organization_id = _letta_org()))
     + abs(letta_count_identities() - (SELECT count(*) FROM letta_identities WHERE organization_id = _letta_org()));
