-- After: GIN keyed by organization, no statistics on text, tags and JSON.
SET client_min_messages = warning;
DROP INDEX IF EXISTS letta_agents_tags_idx;
CREATE INDEX letta_agents_tags_idx ON letta_agents USING gin (organization_id, tags letta_tags_ops) WITH (fastupdate = off);
DROP INDEX IF EXISTS letta_blocks_tags_idx;
CREATE INDEX letta_blocks_tags_idx ON letta_blocks USING gin (organization_id, tags letta_tags_ops) WITH (fastupdate = off);
DO $$
DECLARE t regclass; c name;
BEGIN
    FOREACH t IN ARRAY _letta_tenant_tables() LOOP
        FOR c IN SELECT attname FROM pg_attribute WHERE attrelid = t AND attnum > 0 AND NOT attisdropped
                  AND atttypid NOT IN ('uuid'::regtype, 'timestamptz'::regtype) LOOP
            EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET STATISTICS 0', t, c);
        END LOOP;
    END LOOP;
END $$;
DELETE FROM pg_statistic s USING pg_attribute a
 WHERE s.starelid = ANY (_letta_tenant_tables()) AND a.attrelid = s.starelid AND a.attnum = s.staattnum AND a.attstattarget = 0;
ANALYZE letta_agents, letta_blocks, letta_agents_tags, letta_identities, letta_identities_agents;

-- The tag index's trigger functions of this build.
CREATE OR REPLACE FUNCTION _letta_tags_shard(agents regclass, agents_schema name, agents_table name)
RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shard text;
BEGIN
    IF agents = 'public.letta_agents'::regclass THEN
        RETURN NULL;
    END IF;
    IF to_regclass('pg_catalog.pg_dist_shard') IS NOT NULL
       AND agents_schema = (SELECT n.nspname FROM pg_catalog.pg_class c
                              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                             WHERE c.oid = 'public.letta_agents'::regclass) THEN
        EXECUTE $q$SELECT 'public.' || quote_ident('letta_agents_tags_' || t.shardid)
                     FROM pg_catalog.pg_dist_shard a
                     JOIN pg_catalog.pg_dist_shard t ON t.shardminvalue = a.shardminvalue
                                                    AND t.logicalrelid = 'public.letta_agents_tags'::regclass
                    WHERE a.logicalrelid = 'public.letta_agents'::regclass
                      AND $1 = 'letta_agents_' || a.shardid$q$
           INTO shard
          USING agents_table;
    END IF;
    IF shard IS NULL THEN
        RAISE EXCEPTION 'the tag index''s triggers fire on letta_agents only, not on %.%', agents_schema, agents_table
              USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN shard;
END
$$;

CREATE OR REPLACE FUNCTION _letta_agents_tags_insert()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shard text := public._letta_tags_shard(TG_RELID, TG_TABLE_SCHEMA, TG_TABLE_NAME);
BEGIN
    IF shard IS NOT NULL THEN
        EXECUTE format('INSERT INTO %s (organization_id, tag, created_at, agent_id, hidden)
            SELECT n.organization_id, t, n.created_at, n.id, n.hidden FROM new_agents n, unnest(n.tags) t', shard);
        RETURN NULL;
    END IF;
    INSERT INTO public.letta_agents_tags (organization_id, tag, created_at, agent_id, hidden)
    SELECT n.organization_id, t, n.created_at, n.id, n.hidden FROM new_agents n, unnest(n.tags) t;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION _letta_agents_tags_update()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shard text := public._letta_tags_shard(TG_RELID, TG_TABLE_SCHEMA, TG_TABLE_NAME);
BEGIN
    IF shard IS NOT NULL THEN
        EXECUTE format('DELETE FROM %s s
             USING (SELECT o.organization_id, t AS tag, o.created_at, o.id, o.hidden FROM old_agents o, unnest(o.tags) t
                    EXCEPT
                    SELECT n.organization_id, t, n.created_at, n.id, n.hidden FROM new_agents n, unnest(n.tags) t) g
             WHERE s.organization_id = g.organization_id AND s.tag = g.tag COLLATE "C"
               AND s.created_at = g.created_at AND s.agent_id = g.id', shard);
        EXECUTE format('INSERT INTO %s (organization_id, tag, created_at, agent_id, hidden)
            SELECT n.organization_id, t, n.created_at, n.id, n.hidden FROM new_agents n, unnest(n.tags) t
            EXCEPT
            SELECT o.organization_id, t, o.created_at, o.id, o.hidden FROM old_agents o, unnest(o.tags) t', shard);
        RETURN NULL;
    END IF;
    -- Only what changed: an update that leaves tags, created_at and hidden alone writes nothing.
    DELETE FROM public.letta_agents_tags s
     USING (SELECT o.organization_id, t AS tag, o.created_at, o.id, o.hidden FROM old_agents o, unnest(o.tags) t
            EXCEPT
            SELECT n.organization_id, t, n.created_at, n.id, n.hidden FROM new_agents n, unnest(n.tags) t) g
     WHERE s.organization_id = g.organization_id AND s.tag = g.tag COLLATE "C"
       AND s.created_at = g.created_at AND s.agent_id = g.id;
    INSERT INTO public.letta_agents_tags (organization_id, tag, created_at, agent_id, hidden)
    SELECT n.organization_id, t, n.created_at, n.id, n.hidden FROM new_agents n, unnest(n.tags) t
    EXCEPT
    SELECT o.organization_id, t, o.created_at, o.id, o.hidden FROM old_agents o, unnest(o.tags) t;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION _letta_agents_tags_delete()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shard text := public._letta_tags_shard(TG_RELID, TG_TABLE_SCHEMA, TG_TABLE_NAME);
BEGIN
    IF shard IS NOT NULL THEN
        EXECUTE format('DELETE FROM %s s
             USING old_agents o, unnest(o.tags) t
             WHERE s.organization_id = o.organization_id AND s.tag = t COLLATE "C"
               AND s.created_at = o.created_at AND s.agent_id = o.id', shard);
        RETURN NULL;
    END IF;
    DELETE FROM public.letta_agents_tags s
     USING old_agents o, unnest(o.tags) t
     WHERE s.organization_id = o.organization_id AND s.tag = t COLLATE "C"
       AND s.created_at = o.created_at AND s.agent_id = o.id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION _letta_agents_tags_truncate()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shard text := public._letta_tags_shard(TG_RELID, TG_TABLE_SCHEMA, TG_TABLE_NAME);
BEGIN
    IF shard IS NOT NULL THEN
        EXECUTE format('TRUNCATE %s', shard);
        RETURN NULL;
    END IF;
    -- On a Citus coordinator, letta_agents itself holds no rows: a TRUNCATE reaches every
    -- shard, whose trigger empties its own shard of the index.
    IF cardinality(public._letta_citus_tables()) > 0 THEN
        RETURN NULL;
    END IF;
    TRUNCATE public.letta_agents_tags;
    RETURN NULL;
END
$$;

