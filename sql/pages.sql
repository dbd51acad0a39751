-- letta_identity: pages, a list as one JSON value with has_more and the cursor of the next
-- page. (Conventions: rows.sql.)

-- The page from a list fetched with one row more than page_size, in listing order: that row
-- (last, or first when paging backwards with "before") says more follow, and is dropped.
CREATE FUNCTION _letta_page(items jsonb, page_size integer, backwards boolean)
RETURNS @extschema@.letta_page
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN jsonb_array_length(items) <= page_size
                THEN ROW(items, false, NULL::text)::@extschema@.letta_page
                WHEN backwards
                THEN ROW(items - 0, true, items -> 1 ->> 'id')::@extschema@.letta_page
                ELSE ROW(items - page_size, true, items -> (page_size - 1) ->> 'id')::@extschema@.letta_page
           END
$$;

CREATE FUNCTION letta_list_agents_page(
    tags            text[]  DEFAULT NULL,
    match_all_tags  boolean DEFAULT false,
    identifier_keys text[]  DEFAULT NULL,
    identity_id     text    DEFAULT NULL,
    name            text    DEFAULT NULL,
    query_text      text    DEFAULT NULL,
    project_id      text    DEFAULT NULL,
    include_hidden  boolean DEFAULT false,
    before          text    DEFAULT NULL,
    after           text    DEFAULT NULL,
    page_size       integer DEFAULT 50,
    ascending       boolean DEFAULT false,
    include_memory  boolean DEFAULT false,
    include_identities boolean DEFAULT false,
    exclude_tags    text[]  DEFAULT NULL,
    all_tags        text[]  DEFAULT NULL,
    metadata        jsonb   DEFAULT NULL,
    order_by        text    DEFAULT 'created_at'
)
RETURNS @extschema@.letta_page
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
BEGIN
    RETURN @extschema@._letta_page(
        coalesce((SELECT jsonb_agg(to_jsonb(l))
                    FROM @extschema@.letta_list_agents(tags, match_all_tags, identifier_keys, identity_id,
                             name, query_text, project_id, include_hidden, before, after,
                             least(@extschema@._letta_page_size(page_size), 2147483646) + 1, ascending,
                             include_memory, include_identities, exclude_tags, all_tags, metadata, order_by) l), '[]'),
        page_size, before IS NOT NULL AND after IS NULL);
END
$$;

COMMENT ON FUNCTION letta_list_agents_page(text[], boolean, text[], text, text, text, text, boolean, text, text, integer, boolean, boolean, boolean, text[], text[], jsonb, text) IS
'letta_list_agents as one page: items (Letta''s JSON), has_more, and next_cursor when more follow (pass it as after, or as before when paging with before).';

CREATE FUNCTION letta_list_identities_page(
    name           text    DEFAULT NULL,
    project_id     text    DEFAULT NULL,
    identifier_key text    DEFAULT NULL,
    identity_type  text    DEFAULT NULL,
    property_key   text    DEFAULT NULL,
    property_value jsonb   DEFAULT NULL,
    before         text    DEFAULT NULL,
    after          text    DEFAULT NULL,
    page_size      integer DEFAULT 50,
    ascending      boolean DEFAULT false,
    properties     jsonb   DEFAULT NULL,
    order_by       text    DEFAULT 'created_at'
)
RETURNS @extschema@.letta_page
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
BEGIN
    RETURN @extschema@._letta_page(
        coalesce((SELECT jsonb_agg(to_jsonb(l))
                    FROM @extschema@.letta_list_identities(name, project_id, identifier_key, identity_type,
                             property_key, property_value, before, after,
                             least(@extschema@._letta_page_size(page_size), 2147483646) + 1, ascending,
                             properties, order_by) l), '[]'),
        page_size, before IS NOT NULL AND after IS NULL);
END
$$;

COMMENT ON FUNCTION letta_list_identities_page(text, text, text, text, text, jsonb, text, text, integer, boolean, jsonb, text) IS
'letta_list_identities as one page: items (Letta''s JSON), has_more, and next_cursor when more follow (pass it as after, or as before when paging with before).';

CREATE FUNCTION letta_list_blocks_page(
    label                        text      DEFAULT NULL,
    label_search                 text      DEFAULT NULL,
    value_search                 text      DEFAULT NULL,
    description_search           text      DEFAULT NULL,
    identity_id                  text      DEFAULT NULL,
    identifier_keys              text[]    DEFAULT NULL,
    project_id                   text      DEFAULT NULL,
    tags                         text[]    DEFAULT NULL,
    match_all_tags               boolean   DEFAULT false,
    connected_to_agents_count_gt integer   DEFAULT NULL,
    connected_to_agents_count_lt integer   DEFAULT NULL,
    connected_to_agents_count_eq integer[] DEFAULT NULL,
    include_hidden               boolean   DEFAULT false,
    before                       text      DEFAULT NULL,
    after                        text      DEFAULT NULL,
    page_size                    integer   DEFAULT 50,
    ascending                    boolean   DEFAULT true
)
RETURNS @extschema@.letta_page
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
AS $$
BEGIN
    RETURN @extschema@._letta_page(
        coalesce((SELECT jsonb_agg(to_jsonb(l))
                    FROM @extschema@.letta_list_blocks(label, label_search, value_search, description_search,
                             identity_id, identifier_keys, project_id, tags, match_all_tags,
                             connected_to_agents_count_gt, connected_to_agents_count_lt,
                             connected_to_agents_count_eq, include_hidden, before, after,
                             least(@extschema@._letta_page_size(page_size), 2147483646) + 1, ascending) l), '[]'),
        page_size, before IS NOT NULL AND after IS NULL);
END
$$;

COMMENT ON FUNCTION letta_list_blocks_page(text, text, text, text, text, text[], text, text[], boolean, integer, integer, integer[], boolean, text, text, integer, boolean) IS
'letta_list_blocks as one page: items (Letta''s JSON), has_more, and next_cursor when more follow (pass it as after, or as before when paging with before).';
