-- Filters that compose: any of a common tag, all of another common one, none of a middling
-- one (the 50 newest such agents).
\set t1 random(1, 2)
\set t2 random(3, 4)
\set t3 random(90, 110)
SELECT * FROM letta_list_agents(tags => ARRAY[bench.tag(:t1)], all_tags => ARRAY[bench.tag(:t2)],
                                exclude_tags => ARRAY[bench.tag(:t3)]);
