-- Facets: the agents and blocks of one identity, through the function.
\set i random(1, :identities)
SELECT * FROM letta_count_by_identity(ARRAY[bench.identity_id(:i)]);
