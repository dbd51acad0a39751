//! The current organization: the role's binding (table letta_role_organizations) and the
//! setting `letta.organization_id`.
//!
//! - A role bound to an organization works in it; setting another one is refused (42501).
//! - A role allowed to switch picks the organization per transaction with the setting, which
//!   must then be set explicitly: a pooled connection never falls back to a default.
//! - A superuser without a binding uses the setting, by default Letta's default organization.
//! - Any other role has no organization (42501).

use crate::error::{or_raise, InputError};
use crate::ids;
use pgrx::guc::{GucContext, GucFlags, GucRegistry, GucSetting};
use pgrx::prelude::*;
use pgrx::spi::OwnedPreparedStatement;
use pgrx::{PgSqlErrorCode, Uuid as PgUuid};
use std::cell::RefCell;
use std::ffi::{CStr, CString};

/// Letta's default organization.
pub const DEFAULT_ORGANIZATION: &CStr = c"org-00000000-0000-4000-8000-000000000000";
const SETTING: &CStr = c"letta.organization_id";

static ORGANIZATION_ID: GucSetting<Option<CString>> =
    GucSetting::<Option<CString>>::new(Some(DEFAULT_ORGANIZATION));

pub fn init() {
    GucRegistry::define_string_guc(
        SETTING,
        c"Organization whose rows letta_identity functions read and write (org-<uuid4>).",
        c"Defaults to Letta's default organization. An empty value selects no organization: every call fails.",
        &ORGANIZATION_ID,
        GucContext::Userset,
        GucFlags::default(),
    );
}

/// The organization the setting names; empty or malformed is an error, never "all".
pub fn from_setting() -> Result<uuid::Uuid, InputError> {
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

/// Whether the setting was given (SET, SET LOCAL, ALTER ROLE ... SET, a configuration file)
/// rather than left at its built-in default.
fn setting_given() -> bool {
    // SAFETY: the GUC table is backend-local and stable while we read it; our variable is
    // registered in _PG_init, before any call can get here.
    unsafe {
        let vars = pg_sys::get_guc_variables();
        let n = pg_sys::GetNumConfigOptions() as usize;
        (0..n)
            .map(|i| *vars.add(i))
            .find(|&v| !v.is_null() && CStr::from_ptr((*v).name) == SETTING)
            .is_some_and(|v| (*v).source != pg_sys::GucSource::PGC_S_DEFAULT)
    }
}

fn denied(message: String) -> InputError {
    InputError {
        code: PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
        message,
    }
}

fn role_name() -> String {
    // SAFETY: GetUserId is always valid in a backend; the name is copied before returning.
    unsafe {
        let name = pg_sys::GetUserNameFromId(pg_sys::GetUserId(), true);
        if name.is_null() {
            "?".into()
        } else {
            CStr::from_ptr(name).to_string_lossy().into_owned()
        }
    }
}

/// The current organization, given the current role's binding (NULLs: no binding row).
pub fn resolve(
    bound: Option<uuid::Uuid>,
    may_switch: Option<bool>,
) -> Result<uuid::Uuid, InputError> {
    match (bound, may_switch) {
        (Some(org), _) => {
            if setting_given() {
                if let Ok(asked) = from_setting() {
                    if asked != org {
                        return Err(denied(format!(
                            "role \"{}\" is bound to organization org-{org}; letta.organization_id cannot select org-{asked}",
                            role_name()
                        )));
                    }
                }
            }
            Ok(org)
        }
        (None, Some(true)) => {
            if !setting_given() {
                return Err(InputError::invalid(format!(
                    "letta.organization_id is not set: role \"{}\" picks its organization per transaction (SET LOCAL letta.organization_id = 'org-...')",
                    role_name()
                )));
            }
            from_setting()
        }
        _ if unsafe { pg_sys::superuser() } => from_setting(),
        _ => Err(denied(format!(
            "role \"{}\" is not bound to an organization (an administrator binds it with letta_bind_role)",
            role_name()
        ))),
    }
}

/// The current role's binding: (organization, may_switch), or None without one. A kept plan
/// on the extension's own table (schema-qualified, so search_path cannot redirect it); row-level
/// security shows a role its own row only.
fn binding() -> Result<Option<(Option<uuid::Uuid>, Option<bool>)>, pgrx::spi::SpiError> {
    thread_local! {
        static LOOKUP: RefCell<Option<OwnedPreparedStatement>> = const { RefCell::new(None) };
    }
    Spi::connect(|client| {
        LOOKUP.with(|lookup| {
            let mut lookup = lookup.borrow_mut();
            if lookup.is_none() {
                let schema = client
                    .select(
                        "SELECT quote_ident(n.nspname) FROM pg_catalog.pg_extension e \
                         JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace \
                         WHERE e.extname = 'letta_identity'",
                        Some(1),
                        &[],
                    )?
                    .first()
                    .get_one::<String>()?
                    .unwrap_or_else(|| "public".into());
                let query = format!(
                    "SELECT organization_id, may_switch FROM {schema}.letta_role_organizations \
                     WHERE role_name = current_user"
                );
                *lookup = Some(client.prepare(query.as_str(), &[])?.keep());
            }
            let row = client.select(lookup.as_ref().unwrap(), Some(1), &[])?;
            if row.is_empty() {
                return Ok(None);
            }
            let (org, may_switch) = row.first().get_two::<PgUuid, bool>()?;
            Ok(Some((
                org.map(|u| uuid::Uuid::from_bytes(*u.as_bytes())),
                may_switch,
            )))
        })
    })
}

/// What the last call resolved, and for which statement, role and setting: every _letta_org()
/// of one statement (the functions' filters, each policy's) after the first costs a comparison.
struct Resolved {
    transaction: u32,
    statement: pg_sys::TimestampTz,
    command: pg_sys::CommandId,
    role: pg_sys::Oid,
    setting: Option<CString>,
    org: uuid::Uuid,
}

thread_local! {
    static LAST: RefCell<Option<Resolved>> = const { RefCell::new(None) };
}

/// The current organization (the rules at the top of this file), once per statement.
#[pg_extern(name = "_letta_org", stable, parallel_safe)]
fn current_organization() -> PgUuid {
    // SAFETY: MyProc and the transaction state are valid in any backend running a query.
    let (transaction, statement, command, role) = unsafe {
        (
            (*pg_sys::MyProc).lxid,
            pg_sys::GetCurrentStatementStartTimestamp(),
            pg_sys::GetCurrentCommandId(false),
            pg_sys::GetUserId(),
        )
    };
    let setting = ORGANIZATION_ID.get();
    let cached = LAST.with(|last| {
        last.borrow().as_ref().and_then(|r| {
            (r.transaction == transaction
                && r.statement == statement
                && r.command == command
                && r.role == role
                && r.setting == setting)
                .then_some(r.org)
        })
    });
    let org = cached.unwrap_or_else(|| {
        let (bound, may_switch) = match binding() {
            Ok(found) => found.unwrap_or((None, None)),
            Err(e) => error!("letta_identity: reading the role's organization failed: {e}"),
        };
        let org = or_raise(resolve(bound, may_switch));
        LAST.with(|last| {
            *last.borrow_mut() = Some(Resolved {
                transaction,
                statement,
                command,
                role,
                setting,
                org,
            })
        });
        org
    });
    PgUuid::from_bytes(*org.as_bytes())
}

/// 0.1.0 declared _letta_org() here, as the setting alone. The symbol stays, so that a 0.1.0
/// database keeps working with this library until ALTER EXTENSION ... UPDATE replaces it.
#[pg_extern(sql = false)]
fn _letta_org() -> PgUuid {
    PgUuid::from_bytes(*or_raise(from_setting()).as_bytes())
}

/// 0.2.0's _letta_org() was SQL calling this with the binding row. The symbol stays, so that a
/// 0.2.0 database keeps working with this library until ALTER EXTENSION ... UPDATE.
#[pg_extern(sql = false)]
fn _letta_resolve_org(bound: Option<PgUuid>, may_switch: Option<bool>) -> PgUuid {
    let bound = bound.map(|u| uuid::Uuid::from_bytes(*u.as_bytes()));
    PgUuid::from_bytes(*or_raise(resolve(bound, may_switch)).as_bytes())
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
