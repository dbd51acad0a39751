//! Input errors and how they reach the client: each with its own SQLSTATE.

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::{PgLogLevel, PgSqlErrorCode};

/// A failure the caller caused, reported with a specific SQLSTATE (never XX000).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub code: PgSqlErrorCode,
    pub message: String,
    /// Why, when the message alone does not say it (the client's DETAIL line).
    pub detail: Option<String>,
    /// What to do instead (the client's HINT line).
    pub hint: Option<String>,
}

impl InputError {
    /// An error with this SQLSTATE and message, and no DETAIL or HINT yet.
    pub fn new(code: PgSqlErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            detail: None,
            hint: None,
        }
    }

    /// 22023 invalid_parameter_value: a value of the wrong shape, or NULL/empty where required.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE, message)
    }

    /// 22P02 invalid_text_representation: a malformed id.
    pub fn malformed(message: impl Into<String>) -> Self {
        Self::new(PgSqlErrorCode::ERRCODE_INVALID_TEXT_REPRESENTATION, message)
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Raise as a PostgreSQL ERROR of the SQL function `function` (the report's LOCATION
    /// names it, with the Rust line that raised); does not return.
    #[track_caller]
    pub fn raise_in(self, function: &'static str) -> ! {
        let mut report = ErrorReport::new(self.code, self.message, sql_name(function));
        if let Some(detail) = self.detail {
            report = report.set_detail(detail);
        }
        if let Some(hint) = self.hint {
            report = report.set_hint(hint);
        }
        report.report(PgLogLevel::ERROR);
        unreachable!("ERROR does not return")
    }
}

/// The SQL function a Rust path names: its last segment, closures left out
/// (`letta_identity::input::_letta_tags::{{closure}}` is `_letta_tags`).
pub fn sql_name(path: &'static str) -> &'static str {
    path.rsplit("::")
        .find(|segment| !segment.starts_with('{'))
        .unwrap_or(path)
}

/// Raise an InputError as the enclosing SQL function's: `raise!(error)`.
macro_rules! raise {
    ($error:expr) => {
        $error.raise_in(pgrx::function_name!())
    };
}

/// Unwrap a validation result, raising its error as the enclosing SQL function's.
macro_rules! or_raise {
    ($result:expr) => {{
        let function = pgrx::function_name!();
        $result.unwrap_or_else(|e: $crate::error::InputError| e.raise_in(function))
    }};
}

/// An argument of an internal helper that SQL callers always pass: NULL is 22023, not a panic.
macro_rules! given {
    ($value:expr, $name:expr) => {{
        let function = pgrx::function_name!();
        $value.unwrap_or_else(|| {
            $crate::error::InputError::invalid(format!("{} must not be NULL", $name))
                .raise_in(function)
        })
    }};
}

pub(crate) use {given, or_raise, raise};

/// A value quoted for an error message, cut short so a 1 MB argument gives a readable message.
pub fn quoted(value: &str) -> String {
    const MAX_CHARS: usize = 80;
    match value.char_indices().nth(MAX_CHARS) {
        None => format!("\"{value}\""),
        Some((cut, _)) => format!("\"{}…\" ({} bytes)", &value[..cut], value.len()),
    }
}

/// The one "not found" error of every function (P0002): `<kind> "<id>" not found`.
#[pgrx::pg_extern(immutable, parallel_safe)]
fn _letta_not_found(kind: Option<&str>, id: Option<&str>) {
    raise!(InputError::new(
        PgSqlErrorCode::ERRCODE_NO_DATA_FOUND,
        format!(
            "{} {} not found",
            given!(kind, "kind"),
            quoted(given!(id, "id"))
        ),
    ))
}
