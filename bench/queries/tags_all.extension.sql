-- The 50 newest agents with all of two tags (ranks drawn from the bands given by -D), through the function.
\set t1 random(:lo1, :hi1)
\set t2 random(:lo2, :hi2)
SELECT * FROM letta_list_agents(tags => ARRAY[bench.tag(:t1), bench.tag(:t2)], match_all_tags => true);
