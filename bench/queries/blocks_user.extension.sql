-- The block list of one user's key (one identity in ten has a block).
\set i random(1, :identities)
SELECT * FROM letta_list_blocks(identifier_keys => ARRAY['user_' || :i]);
