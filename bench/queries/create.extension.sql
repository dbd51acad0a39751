-- Create an agent with 5 tags, linked to an identity, through the function.
\set i random(1, :identities)
\set t1 random_zipfian(1, 1000, 1.01)
\set t2 random_zipfian(1, 1000, 1.01)
\set t3 random_zipfian(1, 1000, 1.01)
\set t4 random_zipfian(1, 1000, 1.01)
\set t5 random_zipfian(1, 1000, 1.01)
SELECT letta_create_agent(name => 'new agent', tags => ARRAY[bench.tag(:t1), bench.tag(:t2), bench.tag(:t3), bench.tag(:t4), bench.tag(:t5)],
                          identity_ids => ARRAY[bench.identity_id(:i)],
                          model => 'openai/gpt-4o-mini', embedding => 'openai/text-embedding-3-small');
