-- The block list by a rare label: the 100 "persona" blocks among 20,000 "human" ones (the
-- label's index), and a search of their values.
\set p random(0, 99)
SELECT * FROM letta_list_blocks(label => 'persona', value_search => 'persona ' || :p);
