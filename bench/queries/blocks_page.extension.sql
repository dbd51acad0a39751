-- The block list: the first page of the organization's blocks, newest first.
SELECT * FROM letta_list_blocks();
