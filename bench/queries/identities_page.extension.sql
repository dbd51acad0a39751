-- A page of 50 identities after a random one, newest first, through the function.
\set i random(1, :identities)
SELECT * FROM letta_list_identities(after => bench.identity_id(:i));
