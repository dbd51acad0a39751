\set t1 random(0, 99)
SELECT letta_create_agent(name => 'new', tags => ARRAY['tag_' || :t1, 'tag_new']);
