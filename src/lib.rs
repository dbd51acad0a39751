//! letta_identity: Letta's multi-user model (identities, agents, their links and tags)
//! as a PostgreSQL extension.
//!
//! The SQL lives in `sql/`: `schema.sql` (tables, indexes, result types), `tags.sql` (the
//! leakproof tag operators and their GIN index) and `api.sql` (the public functions). Rust does what SQL is poor at: parsing Letta's ids, reading the
//! organization setting, and validating input with a precise SQLSTATE and message.

use pgrx::prelude::*;

mod error;
mod ids;
mod input;
mod organization;
mod tags;

::pgrx::pg_module_magic!(name, version);

extension_sql_file!("../sql/schema.sql", name = "schema", bootstrap);
extension_sql_file!(
    "../sql/tags.sql",
    name = "tags",
    requires = ["schema", _letta_tags_sel]
);
extension_sql_file!("../sql/api.sql", name = "api", finalize);

#[pg_guard]
pub extern "C-unwind" fn _PG_init() {
    organization::init();
}

/// Setup for `cargo pgrx test`.
#[cfg(test)]
pub mod pg_test {
    pub fn setup(_options: Vec<&str>) {}

    pub fn postgresql_conf_options() -> Vec<&'static str> {
        vec![]
    }
}
