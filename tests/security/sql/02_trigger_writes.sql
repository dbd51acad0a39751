-- Hole 2: the tag index's triggers write any organization's entries. With no cast at all,
-- sec_a (organization A) attaches the trigger functions to a temporary letta_agents of its
-- own and writes rows that claim organization B: the insert trigger would put entries into
-- B's ordered tag index (B's tag lists and facets would show them); in another session, the
-- truncate trigger would empty the index of every organization. Also through the real tables.
-- Must hold: nothing sec_a does changes B's entries; B's tag list is B's own.
SELECT test.masked(organization_id::text) AS org, count(*) AS tag_entries FROM letta_agents_tags GROUP BY 1 ORDER BY 1;

\c - sec_a
CREATE TEMPORARY TABLE letta_agents (organization_id uuid, tags text[], created_at timestamptz, id uuid, hidden boolean);
SELECT test.error_of($$ CREATE TRIGGER plant AFTER INSERT ON pg_temp.letta_agents REFERENCING NEW TABLE AS new_agents
                        FOR EACH STATEMENT EXECUTE FUNCTION public._letta_agents_tags_insert() $$) AS attach_insert;
SELECT test.error_of($$ CREATE TRIGGER unplant AFTER DELETE ON pg_temp.letta_agents REFERENCING OLD TABLE AS old_agents
                        FOR EACH STATEMENT EXECUTE FUNCTION public._letta_agents_tags_delete() $$) AS attach_delete;
-- Entries for organization B, tagged so that B's tag list would show them; one taken out
-- again by the delete trigger (sec_a knows the created_at of its own plants only).
SELECT test.rows_changed($$ INSERT INTO pg_temp.letta_agents
    SELECT 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', ARRAY['planted-in-b'], now(), gen_random_uuid(), false
      FROM generate_series(1, 5) $$) AS planted_rows;
SELECT test.rows_changed($$ DELETE FROM pg_temp.letta_agents WHERE ctid = (SELECT min(ctid) FROM pg_temp.letta_agents) $$) AS unplanted_rows;

-- The real tables: rows of organization B, written or moved there, are refused; the index
-- is not the role's to write.
SELECT test.error_of($$ INSERT INTO public.letta_agents (organization_id, name, tags)
                        VALUES ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'planted', ARRAY['planted-in-b']) $$) AS insert_real_for_b;
SELECT test.error_of(format($$ UPDATE public.letta_agents SET organization_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
                                      tags = ARRAY['planted-in-b'] WHERE id = %L $$,
                            substr((SELECT id FROM test.ids WHERE label = 'a_plain'), 7))) AS move_real_to_b;
SELECT test.error_of($$ INSERT INTO public.letta_agents_tags VALUES ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'planted-in-b', now(), gen_random_uuid(), false) $$) AS write_index;
SELECT test.error_of($$ TRUNCATE public.letta_agents_tags $$) AS truncate_index;
SELECT test.error_of($$ TRUNCATE public.letta_agents $$) AS truncate_agents;

-- B's own view: its tags (nothing planted), and its 37 agents tagged b-secret.
\c - sec_b
SELECT string_agg(tag, ', ' ORDER BY tag) AS b_tags FROM letta_list_tags();
SELECT tag, agents FROM letta_count_agents_by_tag() ORDER BY tag;
SELECT count(*) AS b_secret_agents FROM letta_list_agents(tags => ARRAY['b-secret'], page_size => 100);

-- The truncate trigger, in a new session of sec_a.
\c - sec_a
CREATE TEMPORARY TABLE letta_agents (organization_id uuid, tags text[], created_at timestamptz, id uuid, hidden boolean);
SELECT test.error_of($$ CREATE TRIGGER wipe AFTER TRUNCATE ON pg_temp.letta_agents
                        FOR EACH STATEMENT EXECUTE FUNCTION public._letta_agents_tags_truncate() $$) AS attach_truncate;
SELECT test.error_of($$ TRUNCATE pg_temp.letta_agents $$) AS truncate_imitation;
\c - sec_b
SELECT count(*) AS b_secret_agents FROM letta_list_agents(tags => ARRAY['b-secret'], page_size => 100);

-- As the owner: B's entries as before, none planted, none gone.
\c - postgres
SELECT test.masked(organization_id::text) AS org, count(*) AS tag_entries, count(*) FILTER (WHERE tag LIKE 'planted%') AS planted
  FROM letta_agents_tags GROUP BY 1 ORDER BY 1;
SELECT test.tag_index_matches() AS index_matches_agents;
-- (Rebuilt from the agents, for the files after this one, should an open hole have changed it.)
SELECT test.repair_tag_index();
