-- The sample rows of one organization (the current one); see data.sql.
SELECT count(letta_create_identity('user_' || n, 'User ' || n,
           CASE WHEN n % 10 = 0 THEN 'org' ELSE 'user' END,
           CASE WHEN n % 3 = 0 THEN 'proj-' || (n % 2) END,
           properties => jsonb_build_array(
               jsonb_build_object('key', 'plan', 'value', CASE WHEN n % 7 = 0 THEN 'pro' ELSE 'free' END, 'type', 'string'),
               jsonb_build_object('key', 'seats', 'value', n, 'type', 'number'))))
  FROM generate_series(1, 40) n \g /dev/null
SELECT count(letta_create_agent(
           name => 'agent ' || n,
           tags => ARRAY['tag_' || (n % 13), 'tag_' || (n % 5), 'common'],
           identity_ids => ARRAY(SELECT id FROM letta_list_identities(identifier_key => 'user_' || (1 + n % 40))
                                 UNION
                                 SELECT id FROM letta_list_identities(identifier_key => 'user_' || (1 + (n * 7) % 40))),
           model => 'openai/gpt-4o-mini', context_window_limit => 1000 + n,
           memory_blocks => jsonb_build_array(jsonb_build_object('label', 'human', 'value', 'Agent ' || n)),
           metadata => jsonb_build_object('n', n), hidden => n % 17 = 0))
  FROM generate_series(1, 120) n \g /dev/null
SELECT count(letta_create_block('block ' || n, repeat('v', n), char_limit => 100,
           identity_ids => ARRAY(SELECT id FROM letta_list_identities(identifier_key => 'user_' || (1 + n % 40)))))
  FROM generate_series(1, 30) n \g /dev/null
-- Agents' memory: each of these blocks in a few agents' memory, some read-only.
SELECT count(letta_attach_agent_block(a.id, b.id))
  FROM (SELECT id, row_number() OVER (ORDER BY id) n FROM letta_list_agents(include_hidden => true, page_size => 1000)) a,
       (SELECT (letta_create_block('memory ' || n, 'shared ' || n, read_only => n % 2 = 0)).id, n FROM generate_series(1, 10) n) b
 WHERE a.n % 10 = b.n - 1 \g /dev/null
