-- Rebalancing: one big organization moved to shards of its own (Citus's
-- isolate_tenant_to_new_shard, with every colocated table) keeps its rows, the tag index and
-- every call working, for it and for the organizations that shared its shard.
SET ROLE letta_citus_a;
SELECT cardinality(letta_create_agents((
    SELECT jsonb_agg(jsonb_build_object('name', 'big ' || n, 'tags', ARRAY['big', 'm' || n % 5]) ORDER BY n)
      FROM generate_series(1, 2000) n))) AS created;
SELECT identifier_key FROM letta_create_identity('big_owner', 'Owner in the big organization',
       agent_ids => ARRAY[test.agent(1), test.agent(2)]);
RESET ROLE;
SELECT get_shard_id_for_distribution_column('letta_agents', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa') AS shard_before \gset
SELECT count(*) AS rows_before FROM letta_agents \gset

SELECT isolate_tenant_to_new_shard('letta_agents', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::uuid, 'CASCADE',
                                   shard_transfer_mode => 'block_writes') <> :shard_before AS moved;
-- Its shards hold it alone, one per table, still colocated.
SELECT s.shardminvalue = s.shardmaxvalue AS one_hash_value, count(*) AS tables
  FROM pg_dist_shard s
 WHERE s.shardid IN (SELECT get_shard_id_for_distribution_column(t, 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa')
                       FROM unnest(_letta_tenant_tables()) t)
 GROUP BY 1;
SELECT count(*) = :rows_before AS no_row_lost FROM letta_agents;
SELECT * FROM test.tag_index_drift;

-- Every call as before, on the new shard.
SET citus.enable_stat_counters = on;
SET ROLE letta_citus_a;
SELECT letta_count_agents(tags => ARRAY['big']) AS big, letta_count_agents(tags => ARRAY['big', 'm3'], match_all_tags => true) AS m3;
SELECT name FROM letta_agents_by_key(ARRAY['big_owner']);
SELECT count(*) AS page FROM letta_list_agents(tags => ARRAY['m4'], page_size => 2);
SELECT name, tags FROM letta_create_agent(name => 'after the move', tags => ARRAY['big', 'moved']);
SELECT letta_add_agent_tags(test.agent(1), ARRAY['moved']) AS tags;
SELECT name FROM letta_list_agents(tags => ARRAY['moved']);
RESET ROLE;
SET letta.organization_id = 'org-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
SELECT f AS call, t.single_shard > 0 AS on_one_shard, t.multi_shard
  FROM unnest(ARRAY[$$ SELECT letta_list_agents(tags => ARRAY['moved']) $$,
                    $$ SELECT letta_agents_by_key(ARRAY['big_owner']) $$,
                    $$ SELECT letta_create_agent(name => 'routed after the move') $$]) f,
       test.shards_touched(f) t;
RESET letta.organization_id;
-- The organizations that shared its shard are untouched.
SET ROLE letta_citus_b;
SELECT name FROM letta_list_agents(tags => ARRAY['shared']);
RESET ROLE;
SELECT * FROM test.tag_index_drift;
