//! letta_identity: Letta's multi-user model (identities, agents, their links and tags)
//! as a PostgreSQL extension.
//!
//! The SQL lives in `sql/`, one file per concern, run in this order: `schema.sql` (tables with
//! their indexes, result types), `rows.sql` (row shaping), `links.sql` (shared checks and link
//! writes), `tags.sql` (the leakproof tag operators, the GIN index, the ordered tag index and
//! its triggers, tag edits), the resources
//! `identities.sql`, `agents.sql`, `blocks.sql`, `pages.sql`, then `citus.sql` (scaling out),
//! `import.sql` (the import from a Letta database), and last `tenancy.sql` (role
//! bindings, end users, row-level security, privileges). Rust does what SQL is poor at: parsing
//! Letta's ids, resolving the organization and the end user, stamping writes in order, and
//! validating input with a precise SQLSTATE and message.

use pgrx::prelude::*;

mod current;
mod end_user;
mod error;
mod ids;
mod import;
mod input;
mod json;
mod locks;
mod organization;
mod pinned;
mod session;
mod stamps;
mod tags;

::pgrx::pg_module_magic!(name, version);

// Run in this order. SQL-language bodies are checked when created, so the first file after
// the tables names the Rust functions that the bodies call.
extension_sql_file!("../sql/schema.sql", name = "schema", bootstrap);
extension_sql_file!(
    "../sql/rows.sql",
    name = "rows",
    requires = [
        "schema",
        current_organization,
        _letta_uuid,
        _letta_uuids,
        _letta_required,
        _letta_identity_type,
        _letta_project_id,
        _letta_tags,
        _letta_check_list,
        _letta_properties,
        _letta_merge_properties,
        _letta_property_filters,
        _letta_page_size,
        _letta_by_update,
        _letta_memory_blocks,
        _letta_check_agents,
        _letta_metadata
    ]
);
extension_sql_file!("../sql/links.sql", name = "links", requires = ["rows"]);
extension_sql_file!(
    "../sql/tags.sql",
    name = "tags",
    requires = ["links", _letta_tags_sel, _letta_org_tags]
);
extension_sql_file!(
    "../sql/identities.sql",
    name = "identities",
    requires = ["tags"]
);
extension_sql_file!(
    "../sql/agents.sql",
    name = "agents",
    requires = ["identities"]
);
extension_sql_file!("../sql/blocks.sql", name = "blocks", requires = ["agents"]);
extension_sql_file!("../sql/pages.sql", name = "pages", requires = ["blocks"]);
extension_sql_file!("../sql/citus.sql", name = "citus", requires = ["pages"]);
extension_sql_file!(
    "../sql/import.sql",
    name = "import",
    requires = [
        "citus",
        _letta_import_id,
        _letta_import_refusal,
        _letta_import_tags_refusal
    ]
);
extension_sql_file!("../sql/tenancy.sql", name = "tenancy", finalize);

#[pg_guard]
pub extern "C-unwind" fn _PG_init() {
    organization::init();
    end_user::init();
    locks::init();
}

/// Setup for `cargo pgrx test`.
#[cfg(test)]
pub mod pg_test {
    pub fn setup(_options: Vec<&str>) {}

    pub fn postgresql_conf_options() -> Vec<&'static str> {
        vec![]
    }
}
