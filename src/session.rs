//! Session plumbing shared by the organization (organization.rs) and the end user
//! (end_user.rs): where a setting's value comes from, the statement a call belongs to (the
//! per-statement caches' key), the current role, the extension's schema and owner, and
//! whether Citus is installed.

use crate::error::InputError;
use crate::pinned;
use pgrx::prelude::*;
use pgrx::PgSqlErrorCode;
use std::cell::RefCell;
use std::ffi::CStr;

/// Where the setting's current value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The built-in default, or RESET to it.
    Default,
    /// Set before this transaction began: a session SET or set_config(..., false) of an earlier
    /// transaction, ALTER ROLE/DATABASE ... SET, a startup option or a configuration file;
    /// `by_current_role` when the role that set it is the current one.
    Earlier { by_current_role: bool },
    /// Set in the current transaction (SET LOCAL, SET, set_config, a function's SET clause).
    ThisTransaction,
}

/// A setting's entry in PostgreSQL's GUC table, found once per setting: entries of variables
/// defined by extensions are allocated once and never move (only the array that lists them
/// does). (letta.organization_id here, letta.identifier_key in end_user.rs.)
pub fn setting_entry(name: &'static CStr) -> *const pg_sys::config_generic {
    thread_local! {
        static ENTRIES: RefCell<Vec<(&'static CStr, usize)>> = const { RefCell::new(Vec::new()) };
    }
    ENTRIES.with(|entries| {
        if let Some(&(_, at)) = entries.borrow().iter().find(|(n, _)| *n == name) {
            return at as *const pg_sys::config_generic;
        }
        // SAFETY: the GUC table is backend-local and stable while we read it; our variables
        // are registered in _PG_init, before any call can get here.
        let found = unsafe {
            let vars = pg_sys::get_guc_variables();
            let n = pg_sys::GetNumConfigOptions() as usize;
            (0..n)
                .map(|i| *vars.add(i))
                .find(|&v| !v.is_null() && CStr::from_ptr((*v).name) == name)
                .unwrap_or(std::ptr::null_mut())
        };
        if !found.is_null() {
            entries.borrow_mut().push((name, found as usize));
        }
        found
    })
}

/// Where the current value of a setting comes from. PostgreSQL keeps a stack of saved values
/// for every variable assigned in the open transaction (to restore them at rollback or at the
/// end of a SET LOCAL) and empties it at commit: a value with a stack was set in this
/// transaction. RESET gives back the reset value's own source, so it never counts as a choice.
pub fn origin_of(name: &'static CStr) -> Origin {
    let entry = setting_entry(name);
    if entry.is_null() {
        return Origin::Default;
    }
    // SAFETY: the entry is a live GUC record of this backend (see setting_entry).
    let (source, stacked, set_by) =
        unsafe { ((*entry).source, !(*entry).stack.is_null(), (*entry).srole) };
    match source {
        pg_sys::GucSource::PGC_S_DEFAULT => Origin::Default,
        pg_sys::GucSource::PGC_S_SESSION if stacked => Origin::ThisTransaction,
        // SAFETY: GetUserId is always valid in a backend.
        _ => Origin::Earlier {
            by_current_role: set_by == unsafe { pg_sys::GetUserId() },
        },
    }
}

pub fn denied(message: String) -> InputError {
    InputError::new(PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE, message)
}

pub fn role_name() -> String {
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

/// The extension's schema (quoted, and its namespace) and owner, read once per backend.
#[derive(Clone)]
pub struct Extension {
    pub schema: String,
    pub namespace: pg_sys::Oid,
    pub owner: pg_sys::Oid,
}

pub fn extension() -> Extension {
    thread_local! {
        static FOUND: RefCell<Option<Extension>> = const { RefCell::new(None) };
    }
    FOUND.with(|found| {
        if let Some(e) = found.borrow().as_ref() {
            return e.clone();
        }
        // (A read-only SPI client: pgrx's Spi::get_* would assign the transaction an id, which
        // a hot standby refuses.)
        let row = pinned::search_path(|| {
            Spi::connect(|client| {
                client
                    .select(
                        "SELECT pg_catalog.quote_ident(n.nspname), n.oid, e.extowner \
                           FROM pg_catalog.pg_extension e \
                           JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace \
                          WHERE e.extname OPERATOR(pg_catalog.=) 'letta_identity'",
                        Some(1),
                        &[],
                    )?
                    .first()
                    .get_three::<String, pg_sys::Oid, pg_sys::Oid>()
            })
        });
        let e = match row {
            Ok((Some(schema), Some(namespace), Some(owner))) => Extension {
                schema,
                namespace,
                owner,
            },
            other => {
                error!("letta_identity: reading the extension's schema and owner failed: {other:?}")
            }
        };
        *found.borrow_mut() = Some(e.clone());
        e
    })
}

/// Whether Citus is installed in this database (its catalog exists).
/// Whether this is one of Citus's own connections from another node (a shard query, say):
/// Citus names them so.
pub fn citus_connection() -> bool {
    // SAFETY: application_name is valid in any backend running a query (NULL before the
    // startup packet is read).
    unsafe {
        let name = pg_sys::application_name;
        !name.is_null()
            && CStr::from_ptr(name)
                .to_bytes()
                .starts_with(b"citus_internal")
    }
}

pub fn citus_installed() -> bool {
    // SAFETY: a catalog lookup by name, valid in any backend running a query.
    let found = unsafe {
        pg_sys::get_relname_relid(
            c"pg_dist_partition".as_ptr(),
            pg_sys::Oid::from(pg_sys::PG_CATALOG_NAMESPACE),
        )
    };
    found != pg_sys::InvalidOid
}

/// The statement a call belongs to, as the current role runs it: what the per-statement
/// caches (here and in end_user.rs) are keyed by.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Statement {
    transaction: u32,
    start: pg_sys::TimestampTz,
    command: pg_sys::CommandId,
    role: pg_sys::Oid,
}

impl Statement {
    pub fn current() -> Self {
        // SAFETY: MyProc and the transaction state are valid in any backend running a query.
        unsafe {
            Statement {
                transaction: (*pg_sys::MyProc).lxid,
                start: pg_sys::GetCurrentStatementStartTimestamp(),
                command: pg_sys::GetCurrentCommandId(false),
                role: pg_sys::GetUserId(),
            }
        }
    }
}
