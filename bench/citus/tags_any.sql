\set t1 random(0, 99)
\set t2 random(0, 99)
SELECT * FROM letta_list_agents(tags => ARRAY['tag_' || :t1, 'tag_' || :t2]);
