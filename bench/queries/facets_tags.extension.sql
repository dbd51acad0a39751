-- Facets: the agent counts of ten tags (a filter sidebar), ranks drawn from the band given by -D,
-- through the function.
\set t random(:lo1, :hi2)
SELECT * FROM letta_count_agents_by_tag(ARRAY(SELECT bench.tag(:t + n) FROM generate_series(0, 9) n));
