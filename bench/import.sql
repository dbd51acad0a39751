-- The import from Letta's schema (scripts/bench, in a database of its own holding a copy of
-- letta_baseline and the extension, empty): letta_import_from_letta over the whole dataset,
-- then the same counts on both sides. Prints the seconds the import took.
\set ON_ERROR_STOP on
\set QUIET on
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
CREATE TEMPORARY TABLE report AS SELECT * FROM letta_import_from_letta('letta_baseline');
SELECT extract(epoch FROM clock_timestamp()) - :t0 AS seconds \gset
-- Nothing skipped: the dataset has none of Letta's inconsistencies.
DO $$
BEGIN
    IF EXISTS (SELECT FROM report WHERE outcome <> 'imported')
       OR (SELECT count(*) FROM letta_agents) <> (SELECT count(*) FROM letta_baseline.agents)
       OR (SELECT count(*) FROM letta_identities_agents) <> (SELECT count(*) FROM letta_baseline.identities_agents)
       OR (SELECT sum(cardinality(tags)) FROM letta_agents) <> (SELECT count(*) FROM letta_baseline.agents_tags) THEN
        RAISE EXCEPTION 'the import differs from its source: %', (SELECT jsonb_agg(r) FROM report r);
    END IF;
END
$$;
\echo :seconds
