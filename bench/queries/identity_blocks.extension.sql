-- One identity's blocks, a page (one identity in ten has a block).
\set i random(1, :identities)
SELECT * FROM letta_identity_blocks(bench.identity_id(:i));
