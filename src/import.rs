//! The import from a Letta database (letta_import_from_letta, sql/import.sql): each source row
//! checked by the same rules as the API's input, without raising. A row the API would refuse
//! is reported with the API's message and skipped; the rest of the import goes on.

use crate::error::InputError;
use crate::input::{block_fits, identity_type, project_id, properties, required_text, tags};
use crate::json::JsonArg;
use pgrx::prelude::*;
use pgrx::Uuid as PgUuid;
use serde_json::Value;

/// Why a row cannot be imported, or None: the message the API would have raised.
fn problem(check: Result<(), InputError>) -> Option<String> {
    check.err().map(|e| e.message)
}

fn object_or_null(value: Option<JsonArg>, arg: &str) -> Result<(), InputError> {
    match value.map(|v| v.value(arg)).transpose()? {
        None | Some(Value::Null) | Some(Value::Object(_)) => Ok(()),
        Some(_) => Err(InputError::invalid(format!("{arg} must be a JSON object"))),
    }
}

/// A Letta id (`<prefix>-<uuid4>`) as a uuid, or NULL when it is malformed.
#[pg_extern(immutable, parallel_safe)]
fn _letta_import_id(id: &str, prefix: &str) -> Option<PgUuid> {
    crate::ids::parse(prefix, id)
        .ok()
        .map(|u| PgUuid::from_bytes(*u.as_bytes()))
}

/// An identity row of Letta's `identities`: its fields as letta_create_identity checks them
/// (properties: Letta does not check a value against its type; the API does).
#[pg_extern(immutable, parallel_safe)]
fn _letta_import_identity(
    identifier_key: Option<&str>,
    name: Option<&str>,
    identity_type: Option<&str>,
    project_id: Option<&str>,
    properties: Option<JsonArg>,
) -> Option<String> {
    problem((|| {
        required_text(identifier_key, "identifier_key")?;
        required_text(name, "name")?;
        self::identity_type(identity_type)?;
        self::project_id(project_id)?;
        if let Some(p) = properties {
            match p.value("properties")? {
                Value::Null => {}
                v => {
                    self::properties(&v)?;
                }
            }
        }
        Ok(())
    })())
}

/// An agent row of Letta's `agents` with its tags (from `agents_tags`): the fields this
/// model keeps, as letta_create_agent checks them. The model, embedding and context window
/// come from Letta's llm_config and embedding_config.
#[pg_extern(immutable, parallel_safe)]
fn _letta_import_agent(
    project_id: Option<&str>,
    tags: Option<Array<&str>>,
    metadata: Option<JsonArg>,
    llm_config: Option<JsonArg>,
) -> Option<String> {
    problem((|| {
        self::project_id(project_id)?;
        self::tags(tags.iter().flat_map(|a| a.iter()))?;
        object_or_null(metadata, "metadata")?;
        if let Some(config) = llm_config.map(|c| c.value("llm_config")).transpose()? {
            match config.get("context_window") {
                None | Some(Value::Null) => {}
                Some(v) => match v.as_i64().filter(|n| i32::try_from(*n).is_ok()) {
                    Some(n) if n > 0 => {}
                    _ => {
                        return Err(InputError::invalid(format!(
                            "llm_config.context_window must be a positive integer, got {v}"
                        )))
                    }
                },
            }
        }
        Ok(())
    })())
}

/// A block row of Letta's `block` with its tags (from `blocks_tags`), as letta_create_block
/// checks it.
#[pg_extern(immutable, parallel_safe)]
fn _letta_import_block(
    label: Option<&str>,
    value: Option<&str>,
    char_limit: Option<i64>,
    project_id: Option<&str>,
    metadata: Option<JsonArg>,
    tags: Option<Array<&str>>,
) -> Option<String> {
    problem((|| {
        required_text(label, "label")?;
        if char_limit.is_some_and(|n| n > i64::from(i32::MAX)) {
            return Err(InputError::invalid(format!(
                "limit {} is past the largest limit, {}",
                char_limit.unwrap_or_default(),
                i32::MAX
            )));
        }
        block_fits(value.unwrap_or(""), char_limit, "limit")?;
        self::project_id(project_id)?;
        object_or_null(metadata, "metadata")?;
        self::tags(tags.iter().flat_map(|a| a.iter()))?;
        Ok(())
    })())
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;

    #[pg_test]
    fn an_import_row_gets_the_apis_message_not_an_error() {
        assert_eq!(
            problem(required_text(Some(""), "name").map(|_| ())).as_deref(),
            Some("name must not be empty")
        );
        assert!(_letta_import_id("agent-not-a-uuid", "agent").is_none());
        assert!(_letta_import_id("agent-6a7f6a43-7a3c-4b1e-9a55-2c9d3e1f0a11", "agent").is_some());
        assert!(
            _letta_import_id("identity-6a7f6a43-7a3c-4b1e-9a55-2c9d3e1f0a11", "agent").is_none()
        );
        assert!(
            _letta_import_block(Some("human"), Some("abc"), Some(2), None, None, None)
                .is_some_and(|m| m.contains("over the block's limit of 2"))
        );
        assert!(
            _letta_import_block(Some("human"), Some("ab"), Some(2), None, None, None).is_none()
        );
    }
}
