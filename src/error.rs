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
    /// 22023 invalid_parameter_value: a value of the wrong shape, or NULL/empty where required.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            code: PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
            message: message.into(),
            detail: None,
            hint: None,
        }
    }

    /// 22P02 invalid_text_representation: a malformed id.
    pub fn malformed(message: impl Into<String>) -> Self {
        Self {
            code: PgSqlErrorCode::ERRCODE_INVALID_TEXT_REPRESENTATION,
            message: message.into(),
            detail: None,
            hint: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Raise as a PostgreSQL ERROR; does not return.
    pub fn raise(self) -> ! {
        let mut report = ErrorReport::new(self.code, self.message, "letta_identity");
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

/// Unwrap a validation result, raising the error in PostgreSQL.
pub fn or_raise<T>(result: Result<T, InputError>) -> T {
    result.unwrap_or_else(|e| e.raise())
}

/// An argument of an internal helper that SQL callers always pass: NULL is 22023, not a panic.
pub fn given<T>(value: Option<T>, name: &str) -> T {
    value.unwrap_or_else(|| InputError::invalid(format!("{name} must not be NULL")).raise())
}

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
    InputError {
        code: PgSqlErrorCode::ERRCODE_NO_DATA_FOUND,
        message: format!(
            "{} {} not found",
            given(kind, "kind"),
            quoted(given(id, "id"))
        ),
        detail: None,
        hint: None,
    }
    .raise()
}
