//! The current organization: one place, the setting `letta.organization_id`.

use crate::error::{or_raise, InputError};
use crate::ids;
use pgrx::guc::{GucContext, GucFlags, GucRegistry, GucSetting};
use pgrx::prelude::*;
use pgrx::Uuid as PgUuid;
use std::ffi::CString;

/// Letta's default organization.
pub const DEFAULT_ORGANIZATION: &std::ffi::CStr = c"org-00000000-0000-4000-8000-000000000000";

static ORGANIZATION_ID: GucSetting<Option<CString>> =
    GucSetting::<Option<CString>>::new(Some(DEFAULT_ORGANIZATION));

pub fn init() {
    GucRegistry::define_string_guc(
        c"letta.organization_id",
        c"Organization whose rows letta_identity functions read and write (org-<uuid4>).",
        c"Defaults to Letta's default organization. An empty value selects no organization: every call fails.",
        &ORGANIZATION_ID,
        GucContext::Userset,
        GucFlags::default(),
    );
}

/// The organization of the current setting; empty or malformed is an error, never "all".
pub fn current() -> Result<uuid::Uuid, InputError> {
    let setting = ORGANIZATION_ID.get();
    let text = setting
        .as_deref()
        .and_then(|c| c.to_str().ok())
        .unwrap_or("");
    if text.is_empty() {
        return Err(InputError::invalid(
            "letta.organization_id is empty: set it to org-<uuid4>",
        ));
    }
    ids::parse("org", text)
        .map_err(|e| InputError::invalid(format!("letta.organization_id: {}", e.message)))
}

#[pg_extern(stable, parallel_safe)]
fn _letta_org() -> PgUuid {
    PgUuid::from_bytes(*or_raise(current()).as_bytes())
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use pgrx::prelude::*;

    #[pg_test]
    fn defaults_to_lettas_default_org() {
        let org = Spi::get_one::<String>("SELECT letta_current_organization()");
        assert_eq!(
            org,
            Ok(Some("org-00000000-0000-4000-8000-000000000000".into()))
        );
    }

    #[pg_test]
    fn follows_the_setting() {
        Spi::run("SET LOCAL letta.organization_id = 'org-11111111-1111-4111-8111-111111111111'")
            .unwrap();
        let org = Spi::get_one::<String>("SELECT letta_current_organization()");
        assert_eq!(
            org,
            Ok(Some("org-11111111-1111-4111-8111-111111111111".into()))
        );
    }

    #[pg_test(error = "letta.organization_id is empty: set it to org-<uuid4>")]
    fn empty_setting_denies() {
        Spi::run("SET LOCAL letta.organization_id = ''").unwrap();
        Spi::run("SELECT _letta_org()").unwrap();
    }

    #[pg_test(
        error = "letta.organization_id: invalid org id \"acme\": expected org-<uuid4>, lowercase"
    )]
    fn malformed_setting_is_an_error() {
        Spi::run("SET LOCAL letta.organization_id = 'acme'").unwrap();
        Spi::run("SELECT _letta_org()").unwrap();
    }
}
