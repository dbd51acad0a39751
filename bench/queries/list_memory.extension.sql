-- The 50 newest agents with their memory and identities (include_memory, include_identities):
-- what reading them costs beside the same page without (tags_any, common band).
\set t1 random(1, 2)
\set t2 random(3, 4)
SELECT * FROM letta_list_agents(tags => ARRAY[bench.tag(:t1), bench.tag(:t2)], include_memory => true,
                                include_identities => true);
