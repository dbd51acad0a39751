//! Letta's ids: `<kind>-<uuid>` with a lowercase canonical uuid4, stored as `uuid`.

use crate::error::{given, or_raise, quoted, InputError};
use pgrx::prelude::*;
use pgrx::Uuid as PgUuid;

/// Parse `<prefix>-<uuid4>` as Letta validates it: lowercase, canonical, version 4.
pub fn parse(prefix: &str, text: &str) -> Result<uuid::Uuid, InputError> {
    let bad = || {
        InputError::malformed(format!(
            "invalid {prefix} id {}: expected {prefix}-<uuid4>, lowercase",
            quoted(text)
        ))
    };
    let hex = text
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('-'))
        .ok_or_else(bad)?;
    let b = hex.as_bytes();
    let canonical = b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(&c),
        })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b');
    if !canonical {
        return Err(bad());
    }
    uuid::Uuid::parse_str(hex).map_err(|_| bad())
}

fn required<'a>(value: Option<&'a str>, arg: &str) -> Result<&'a str, InputError> {
    value.ok_or_else(|| InputError::invalid(format!("{arg} must not be NULL")))
}

/// One id argument: NULL is 22023, malformed is 22P02.
#[pg_extern(immutable, parallel_safe)]
fn _letta_uuid(id: Option<&str>, prefix: Option<&str>, arg: Option<&str>) -> PgUuid {
    let (prefix, arg) = (given!(prefix, "prefix"), given!(arg, "arg"));
    let text = or_raise!(required(id, arg));
    PgUuid::from_bytes(*or_raise!(parse(prefix, text)).as_bytes())
}

/// A list of ids as a set: NULL elements are 22023; duplicates collapse; sorted as PostgreSQL
/// sorts uuid (bytewise), the order in which the functions show linked ids and lock rows.
/// A NULL list is an empty one (the argument is optional wherever lists are taken).
#[pg_extern(immutable, parallel_safe)]
fn _letta_uuids(ids: Option<Array<&str>>, prefix: Option<&str>, arg: Option<&str>) -> Vec<PgUuid> {
    let (prefix, arg) = (given!(prefix, "prefix"), given!(arg, "arg"));
    let mut out: Vec<uuid::Uuid> = Vec::new();
    for (n, id) in ids.iter().flat_map(|a| a.iter()).enumerate() {
        let text = or_raise!(id.ok_or_else(|| {
            InputError::invalid(format!("{arg} must not contain NULL (element {})", n + 1))
        }));
        out.push(or_raise!(parse(prefix, text)));
    }
    out.sort_unstable();
    out.dedup();
    out.into_iter()
        .map(|u| PgUuid::from_bytes(*u.as_bytes()))
        .collect()
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::parse;
    use pgrx::prelude::*;

    #[pg_test]
    fn parses_canonical_ids() {
        let u = parse("agent", "agent-3f1c2a9e-8b7d-4c6e-9a5b-0d1e2f3a4b5c").unwrap();
        assert_eq!(u.to_string(), "3f1c2a9e-8b7d-4c6e-9a5b-0d1e2f3a4b5c");
        assert!(parse("org", "org-00000000-0000-4000-8000-000000000000").is_ok());
    }

    #[pg_test]
    fn rejects_what_letta_rejects() {
        for bad in [
            "",
            "agent-",
            "agent3f1c2a9e-8b7d-4c6e-9a5b-0d1e2f3a4b5c",
            "identity-3f1c2a9e-8b7d-4c6e-9a5b-0d1e2f3a4b5c", // wrong kind
            "agent-3F1C2A9E-8B7D-4C6E-9A5B-0D1E2F3A4B5C",    // upper case
            "agent-3f1c2a9e8b7d4c6e9a5b0d1e2f3a4b5c",        // not canonical
            "agent-3f1c2a9e-8b7d-1c6e-9a5b-0d1e2f3a4b5c",    // version 1
            "agent-3f1c2a9e-8b7d-4c6e-7a5b-0d1e2f3a4b5c",    // wrong variant
            "agent-3f1c2a9e-8b7d-4c6e-9a5b-0d1e2f3a4b5c ",   // trailing space
            "agent-{3f1c2a9e-8b7d-4c6e-9a5b-0d1e2f3a4b5c}",
        ] {
            let e = parse("agent", bad).unwrap_err();
            assert_eq!(
                e.code,
                PgSqlErrorCode::ERRCODE_INVALID_TEXT_REPRESENTATION,
                "{bad}"
            );
            assert!(e.message.contains("invalid agent id"), "{}", e.message);
        }
    }

    #[pg_test]
    fn sql_ids_dedupe_and_reject_null() {
        let n = Spi::get_one::<i32>(
            "SELECT cardinality(_letta_uuids(ARRAY['agent-3f1c2a9e-8b7d-4c6e-9a5b-0d1e2f3a4b5c', \
             'agent-3f1c2a9e-8b7d-4c6e-9a5b-0d1e2f3a4b5c'], 'agent', 'agent_ids'))",
        );
        assert_eq!(n, Ok(Some(1)));
    }

    #[pg_test(error = "agent_ids must not contain NULL (element 2)")]
    fn sql_ids_reject_null_elements() {
        Spi::run(
            "SELECT _letta_uuids(ARRAY['agent-3f1c2a9e-8b7d-4c6e-9a5b-0d1e2f3a4b5c', NULL], \
             'agent', 'agent_ids')",
        )
        .unwrap();
    }
}
