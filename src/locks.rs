//! No role but the tables' owner holds a lock that stops other organizations' calls.
//!
//! Every organization shares the extension's tables, and PostgreSQL lets any role with UPDATE
//! or DELETE on a table `LOCK` it in any mode: a bound role could hold ACCESS EXCLUSIVE on
//! letta_agents and stall every organization. A ProcessUtility hook refuses (42501) an explicit
//! `LOCK` stronger than ROW EXCLUSIVE (the mode that INSERT, UPDATE and DELETE take anyway) on
//! the extension's tables to a role that does not own them, before it queues for the lock; and
//! after any `LOCK` (of a view over them, say) it refuses a lock that the statement left on
//! them. The hook is installed when the library loads: `session_preload_libraries` must name
//! it, so that it is there before a session's first statement (README, Security model).

use crate::error::InputError;
use crate::organization;
use pgrx::prelude::*;
use pgrx::PgSqlErrorCode;
use std::ffi::CStr;

static mut PREVIOUS: pg_sys::ProcessUtility_hook_type = None;

/// The extension's tables, by name in its schema.
const TABLES: [&CStr; 9] = [
    c"letta_identities",
    c"letta_agents",
    c"letta_identities_agents",
    c"letta_blocks",
    c"letta_identities_blocks",
    c"letta_blocks_agents",
    c"letta_agents_tags",
    c"letta_role_organizations",
    c"letta_role_end_users",
];

pub fn init() {
    // SAFETY: _PG_init runs once per backend, before any statement; the previous hook is
    // called in turn.
    unsafe {
        PREVIOUS = pg_sys::ProcessUtility_hook;
        pg_sys::ProcessUtility_hook = Some(process_utility);
    }
}

extern "C-unwind" {
    /// PostgreSQL's own ProcessUtility, called directly (not through pgrx's guard): an error
    /// in the statement goes on to PostgreSQL as it is.
    #[link_name = "standard_ProcessUtility"]
    fn standard_process_utility(
        pstmt: *mut pg_sys::PlannedStmt,
        query_string: *const std::ffi::c_char,
        read_only_tree: bool,
        context: pg_sys::ProcessUtilityContext::Type,
        params: pg_sys::ParamListInfo,
        query_env: *mut pg_sys::QueryEnvironment,
        dest: *mut pg_sys::DestReceiver,
        qc: *mut pg_sys::QueryCompletion,
    );
}

/// The hook. Not guarded itself, and holding nothing to drop: an error of the statement
/// (permission denied, say) passes through it to PostgreSQL untouched; the checks around the
/// statement are guarded functions of their own.
#[allow(clippy::too_many_arguments)]
unsafe extern "C-unwind" fn process_utility(
    pstmt: *mut pg_sys::PlannedStmt,
    query_string: *const std::ffi::c_char,
    read_only_tree: bool,
    context: pg_sys::ProcessUtilityContext::Type,
    params: pg_sys::ParamListInfo,
    query_env: *mut pg_sys::QueryEnvironment,
    dest: *mut pg_sys::DestReceiver,
    qc: *mut pg_sys::QueryCompletion,
) {
    let strong_lock = before_lock(pstmt);
    match PREVIOUS {
        Some(previous) => previous(
            pstmt,
            query_string,
            read_only_tree,
            context,
            params,
            query_env,
            dest,
            qc,
        ),
        None => standard_process_utility(
            pstmt,
            query_string,
            read_only_tree,
            context,
            params,
            query_env,
            dest,
            qc,
        ),
    }
    if strong_lock {
        after_lock();
    }
}

/// Whether the statement is a LOCK stronger than ROW EXCLUSIVE (with the extension in this
/// database); refuses it when it names one of the extension's tables.
#[pg_guard]
unsafe extern "C-unwind" fn before_lock(pstmt: *mut pg_sys::PlannedStmt) -> bool {
    let statement = (*pstmt).utilityStmt;
    if statement.is_null() || (*statement).type_ != pg_sys::NodeTag::T_LockStmt {
        return false;
    }
    let lock = statement as *mut pg_sys::LockStmt;
    if (*lock).mode <= pg_sys::RowExclusiveLock as i32 || !extension_installed() {
        return false;
    }
    refuse_named_tables(lock);
    true
}

#[pg_guard]
unsafe extern "C-unwind" fn after_lock() {
    refuse_locks_held();
}

fn extension_installed() -> bool {
    // SAFETY: a catalog lookup by name, valid in any backend running a statement.
    unsafe { pg_sys::get_extension_oid(c"letta_identity".as_ptr(), true) != pg_sys::InvalidOid }
}

/// The extension's tables that the current role does not own (a superuser owns all).
fn guarded_tables() -> Vec<(pg_sys::Oid, &'static CStr)> {
    let namespace = organization::extension().namespace;
    TABLES
        .iter()
        .filter_map(|&name| {
            // SAFETY: catalog lookups, valid in any backend running a statement.
            unsafe {
                let table = pg_sys::get_relname_relid(name.as_ptr(), namespace);
                (table != pg_sys::InvalidOid
                    && !pg_sys::pg_class_ownercheck(table, pg_sys::GetUserId()))
                .then_some((table, name))
            }
        })
        .collect()
}

fn refused(name: &CStr) -> ! {
    InputError::new(
        PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
        format!(
            "a lock stronger than ROW EXCLUSIVE on {} is reserved to its owner",
            name.to_string_lossy()
        ),
    )
    .with_detail(
        "Every organization shares the table: such a lock would stop every organization's calls.",
    )
    .with_hint("The extension's functions take the row locks they need; no LOCK TABLE is needed.")
    .raise_in("LOCK")
}

/// Before the lock is queued: a table of the statement that is one of the extension's.
unsafe fn refuse_named_tables(lock: *mut pg_sys::LockStmt) {
    let guarded = guarded_tables();
    if guarded.is_empty() {
        return;
    }
    let relations = pgrx::PgList::<pg_sys::RangeVar>::from_pg((*lock).relations);
    for relation in relations.iter_ptr() {
        let table = pg_sys::RangeVarGetRelidExtended(
            relation,
            pg_sys::NoLock as i32,
            pg_sys::RVROption::RVR_MISSING_OK,
            None,
            std::ptr::null_mut(),
        );
        if let Some(&(_, name)) = guarded.iter().find(|(t, _)| *t == table) {
            refused(name);
        }
    }
}

/// After the statement: a lock it left on one of the extension's tables (through a view, or
/// a table that inherits). The error ends the transaction, which releases it.
fn refuse_locks_held() {
    // SAFETY: MyDatabaseId is set in any backend running a statement.
    let database = unsafe { pg_sys::MyDatabaseId };
    for (table, name) in guarded_tables() {
        let tag = pg_sys::LOCKTAG {
            locktag_field1: database.to_u32(),
            locktag_field2: table.to_u32(),
            locktag_field3: 0,
            locktag_field4: 0,
            locktag_type: pg_sys::LockTagType::LOCKTAG_RELATION as u8,
            locktag_lockmethodid: pg_sys::DEFAULT_LOCKMETHOD as u8,
        };
        // SAFETY: a lookup in this backend's own lock table.
        if unsafe { pg_sys::LockOrStrongerHeldByMe(&tag, pg_sys::ShareUpdateExclusiveLock as i32) }
        {
            refused(name);
        }
    }
}
