-- letta_identity 0.3.0 -> 0.4.0: tenancy that holds behind a connection pooler.
--
-- _letta_org() (src/organization.rs, same symbol) now accepts, for a role allowed to switch,
-- only a letta.organization_id set in the current transaction, and ignores for a bound role a
-- value left by an earlier one. Whether a value was set in this transaction is backend-local
-- state that parallel workers do not receive, so _letta_org() is PARALLEL RESTRICTED, and so is
-- every function that calls it or reads the tables (whose policies call it).
-- Changed: _letta_org and the 26 functions below (parallel safety only);
-- the comment on letta_current_organization. No table changes.
\echo Use "ALTER EXTENSION letta_identity UPDATE TO '0.4.0'" to load this file. \quit

ALTER FUNCTION @extschema@._letta_org() PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@._letta_agent_out(a letta_agents) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@._letta_agent_row(org uuid, agent uuid) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@._letta_agents_matching(tags text[], match_all_tags boolean, identifier_keys text[], identity_id text, name text, query_text text, project_id text, include_hidden boolean) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@._letta_block_out(b letta_blocks) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@._letta_block_row(org uuid, block uuid) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@._letta_cursor_at(kind text, cursor text, arg text) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@._letta_exists(org uuid, kind text, id uuid) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@._letta_identities_matching(name text, project_id text, identifier_key text, identity_type text, property_key text, property_value jsonb) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@._letta_identity_out(i letta_identities) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@._letta_identity_row(org uuid, identity uuid) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@._letta_linked_agents(identifier_keys text[], identity uuid) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_agents_by_key(identifier_keys text[], include_hidden boolean) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_blocks_by_key(identifier_keys text[]) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_count_agents(tags text[], match_all_tags boolean, identifier_keys text[], identity_id text, name text, query_text text, project_id text, include_hidden boolean) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_count_identities(name text, project_id text, identifier_key text, identity_type text, property_key text, property_value jsonb) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_current_organization() PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_get_agent(agent_id text) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_get_block(block_id text) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_get_identity(identity_id text) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_identity_agents(identity_id text, include_hidden boolean, before text, after text, page_size integer, ascending boolean) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_identity_blocks(identity_id text) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_list_agents(tags text[], match_all_tags boolean, identifier_keys text[], identity_id text, name text, query_text text, project_id text, include_hidden boolean, before text, after text, page_size integer, ascending boolean) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_list_agents_page(tags text[], match_all_tags boolean, identifier_keys text[], identity_id text, name text, query_text text, project_id text, include_hidden boolean, before text, after text, page_size integer, ascending boolean) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_list_identities(name text, project_id text, identifier_key text, identity_type text, property_key text, property_value jsonb, before text, after text, page_size integer, ascending boolean) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_list_identities_page(name text, project_id text, identifier_key text, identity_type text, property_key text, property_value jsonb, before text, after text, page_size integer, ascending boolean) PARALLEL RESTRICTED;
ALTER FUNCTION @extschema@.letta_list_tags(query_text text, before text, after text, page_size integer) PARALLEL RESTRICTED;

COMMENT ON FUNCTION @extschema@.letta_current_organization() IS 'The organization every letta_* function works in: the role''s binding; for a role allowed to switch, letta.organization_id as set in this transaction; for a superuser, letta.organization_id (default Letta''s default org).';
