//! The import from a Letta database (letta_import_from_letta, sql/import.sql): source values
//! checked by the same rules as the API's input, without raising, so that the report can say
//! what the API would have refused in what was kept.

use crate::error::{given, InputError};
use crate::input::{project_id, required_text, tags};
use pgrx::prelude::*;
use pgrx::Uuid as PgUuid;

/// Why a row cannot be imported, or None: the message the API would have raised.
fn problem(check: Result<(), InputError>) -> Option<String> {
    check.err().map(|e| e.message)
}

/// A Letta id (`<prefix>-<uuid4>`) as a uuid, or NULL when it is malformed.
#[pg_extern(immutable, parallel_safe)]
fn _letta_import_id(id: &str, prefix: &str) -> Option<PgUuid> {
    crate::ids::parse(prefix, id)
        .ok()
        .map(|u| PgUuid::from_bytes(*u.as_bytes()))
}

/// What the API would say of one value of a source row, by the argument it would come as
/// (identifier_key, name, label, project_id or tag), or NULL when the API takes it. The import
/// keeps such values where the tables can hold them and reports them (a refused tag leaves its
/// agent or block, which is kept).
#[pg_extern(immutable, parallel_safe)]
fn _letta_import_refusal(arg: Option<&str>, value: Option<&str>) -> Option<String> {
    let arg = given!(arg, "arg");
    problem(match arg {
        "project_id" => project_id(value).map(|_| ()),
        _ => required_text(value, arg).map(|_| ()),
    })
}

/// What the API would say of an agent's or a block's tags as a whole (their number), or NULL.
#[pg_extern(immutable, parallel_safe)]
fn _letta_import_tags_refusal(tags: Option<Array<&str>>) -> Option<String> {
    problem(self::tags(tags.iter().flat_map(|a| a.iter())).map(|_| ()))
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;

    #[pg_test]
    fn an_import_value_gets_the_apis_message_not_an_error() {
        assert_eq!(
            _letta_import_refusal(Some("name"), Some("")).as_deref(),
            Some("name must not be empty")
        );
        assert!(_letta_import_refusal(Some("tag"), Some(&"x".repeat(1001)))
            .is_some_and(|m| m.contains("longer than 1000 bytes")));
        assert!(_letta_import_refusal(Some("tag"), Some("ok")).is_none());
        assert!(_letta_import_tags_refusal(None).is_none());
        assert!(_letta_import_refusal(Some("project_id"), None).is_none());
        assert!(_letta_import_refusal(Some("project_id"), Some("")).is_some());
        assert!(_letta_import_id("agent-not-a-uuid", "agent").is_none());
        assert!(_letta_import_id("agent-6a7f6a43-7a3c-4b1e-9a55-2c9d3e1f0a11", "agent").is_some());
        assert!(
            _letta_import_id("identity-6a7f6a43-7a3c-4b1e-9a55-2c9d3e1f0a11", "agent").is_none()
        );
    }
}
