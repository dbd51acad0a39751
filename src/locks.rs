//! No role but the tables' owner holds, or queues for, a lock that stops other organizations'
//! calls.
//!
//! Every organization shares the extension's tables. PostgreSQL lets a role with UPDATE or
//! DELETE on a table `LOCK` it in any mode, and several statements queue for a strong lock on a
//! table before they check that the role owns it (`CREATE TRIGGER`, `CREATE RULE`, a foreign
//! key referencing it, `INHERITS`, `PARTITION OF`, `COMMENT ON`, `CREATE STATISTICS`, a `LOCK`
//! of a view over it): while such a request waits (behind any open transaction, the role's own
//! included), every later call on the table waits behind it. A ProcessUtility hook refuses
//! them (42501) to roles that do not own the tables, before they queue: an explicit `LOCK`
//! stronger than ROW EXCLUSIVE (the mode INSERT, UPDATE and DELETE take anyway) of the tables
//! or of a view over them, and the statements above when they name one of the tables. The
//! hook is installed when the library loads: `session_preload_libraries` must name it, so that
//! it is there before a session's first statement (README, Security model).

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

/// Refuses a statement that would queue for a strong lock on one of the extension's tables
/// (the module's comment); whether it is a strong LOCK, checked again after it ran.
#[pg_guard]
unsafe extern "C-unwind" fn before_lock(pstmt: *mut pg_sys::PlannedStmt) -> bool {
    let statement = (*pstmt).utilityStmt;
    if statement.is_null() {
        return false;
    }
    let lock = if (*statement).type_ == pg_sys::NodeTag::T_LockStmt {
        let lock = statement as *mut pg_sys::LockStmt;
        if (*lock).mode <= pg_sys::RowExclusiveLock as i32 {
            return false;
        }
        Some(lock)
    } else {
        None
    };
    let named = if lock.is_none() {
        tables_named(statement)
    } else {
        Vec::new()
    };
    if (lock.is_none() && named.is_empty()) || !extension_installed() {
        return false;
    }
    let guarded = guarded_tables();
    if guarded.is_empty() {
        return false;
    }
    if let Some(lock) = lock {
        for relation in pgrx::PgList::<pg_sys::RangeVar>::from_pg((*lock).relations).iter_ptr() {
            let table = relation_of(relation);
            if let Some(&(_, name)) = guarded.iter().find(|(t, _)| *t == table) {
                refused(name, "a lock stronger than ROW EXCLUSIVE on");
            }
            if let Some(name) = view_over(table, &guarded) {
                refused(name, "a lock stronger than ROW EXCLUSIVE on");
            }
        }
        return true;
    }
    for relation in named {
        let table = relation_of(relation);
        if let Some(&(_, name)) = guarded.iter().find(|(t, _)| *t == table) {
            refused(name, statement_name((*statement).type_));
        }
    }
    false
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

fn refused(name: &CStr, statement: &str) -> ! {
    InputError::new(
        PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
        format!(
            "{statement} {} is reserved to its owner",
            name.to_string_lossy()
        ),
    )
    .with_detail(
        "Every organization shares the table: a strong lock on it, held or waited for, would stop \
         every organization's calls.",
    )
    .with_hint("The extension's functions take the row locks they need; no LOCK TABLE is needed.")
    .raise_in("ProcessUtility")
}

fn statement_name(tag: pg_sys::NodeTag) -> &'static str {
    use pg_sys::NodeTag::*;
    match tag {
        T_CreateTrigStmt => "CREATE TRIGGER on",
        T_RuleStmt => "CREATE RULE on",
        T_CreateStmt => "CREATE TABLE naming",
        T_AlterTableStmt => "ALTER TABLE naming",
        T_CreateStatsStmt => "CREATE STATISTICS on",
        T_CommentStmt => "COMMENT on",
        T_SecLabelStmt => "SECURITY LABEL on",
        _ => "this statement on",
    }
}

/// The relation a name resolves to (as the statement will resolve it), without locking it.
unsafe fn relation_of(relation: *mut pg_sys::RangeVar) -> pg_sys::Oid {
    pg_sys::RangeVarGetRelidExtended(
        relation,
        pg_sys::NoLock as i32,
        pg_sys::RVROption::RVR_MISSING_OK,
        None,
        std::ptr::null_mut(),
    )
}

/// The tables a statement names that PostgreSQL locks before it checks ownership or privileges
/// (the module's comment).
unsafe fn tables_named(statement: *mut pg_sys::Node) -> Vec<*mut pg_sys::RangeVar> {
    use pg_sys::NodeTag::*;
    let mut found = Vec::new();
    match (*statement).type_ {
        T_CreateTrigStmt => {
            let trigger = statement as *mut pg_sys::CreateTrigStmt;
            found.extend([(*trigger).relation, (*trigger).constrrel]);
        }
        T_RuleStmt => found.push((*(statement as *mut pg_sys::RuleStmt)).relation),
        T_CreateStmt => {
            let create = statement as *mut pg_sys::CreateStmt;
            found.extend(range_vars((*create).inhRelations));
            for element in nodes((*create).tableElts).chain(nodes((*create).constraints)) {
                found.extend(referenced(element));
            }
        }
        T_AlterTableStmt => {
            for command in nodes((*(statement as *mut pg_sys::AlterTableStmt)).cmds) {
                let def = (*(command as *mut pg_sys::AlterTableCmd)).def;
                if def.is_null() {
                    continue;
                }
                match (*def).type_ {
                    T_RangeVar => found.push(def as *mut pg_sys::RangeVar),
                    T_PartitionCmd => found.push((*(def as *mut pg_sys::PartitionCmd)).name),
                    _ => found.extend(referenced(def)),
                }
            }
        }
        T_CreateStatsStmt => found.extend(range_vars(
            (*(statement as *mut pg_sys::CreateStatsStmt)).relations,
        )),
        T_CommentStmt => {
            let comment = statement as *mut pg_sys::CommentStmt;
            found.extend(table_of_object((*comment).objtype, (*comment).object));
        }
        T_SecLabelStmt => {
            let label = statement as *mut pg_sys::SecLabelStmt;
            found.extend(table_of_object((*label).objtype, (*label).object));
        }
        _ => {}
    }
    found.retain(|relation| !relation.is_null());
    found
}

unsafe fn nodes(list: *mut pg_sys::List) -> impl Iterator<Item = *mut pg_sys::Node> {
    pgrx::PgList::<pg_sys::Node>::from_pg(list)
        .iter_ptr()
        .collect::<Vec<_>>()
        .into_iter()
}

unsafe fn range_vars(list: *mut pg_sys::List) -> Vec<*mut pg_sys::RangeVar> {
    nodes(list)
        .filter(|&node| (*node).type_ == pg_sys::NodeTag::T_RangeVar)
        .map(|node| node as *mut pg_sys::RangeVar)
        .collect()
}

/// The tables a column or table constraint refers to (a foreign key's).
unsafe fn referenced(node: *mut pg_sys::Node) -> Vec<*mut pg_sys::RangeVar> {
    match (*node).type_ {
        pg_sys::NodeTag::T_Constraint => vec![(*(node as *mut pg_sys::Constraint)).pktable],
        pg_sys::NodeTag::T_ColumnDef => nodes((*(node as *mut pg_sys::ColumnDef)).constraints)
            .flat_map(|constraint| referenced(constraint))
            .collect(),
        _ => Vec::new(),
    }
}

/// The table of a COMMENT or SECURITY LABEL: the object itself, or the one its column,
/// trigger, rule, policy or constraint belongs to.
unsafe fn table_of_object(
    kind: pg_sys::ObjectType::Type,
    object: *mut pg_sys::Node,
) -> Option<*mut pg_sys::RangeVar> {
    use pg_sys::ObjectType::*;
    if object.is_null() || (*object).type_ != pg_sys::NodeTag::T_List {
        return None;
    }
    let names = object as *mut pg_sys::List;
    let length = (*names).length;
    let table_names = match kind {
        OBJECT_TABLE | OBJECT_VIEW => names,
        OBJECT_COLUMN | OBJECT_TRIGGER | OBJECT_RULE | OBJECT_POLICY | OBJECT_TABCONSTRAINT
            if length > 1 =>
        {
            pg_sys::list_truncate(pg_sys::list_copy(names), length - 1)
        }
        _ => return None,
    };
    Some(pg_sys::makeRangeVarFromNameList(table_names))
}

/// The extension's table under a view (through views over views), if any: PostgreSQL locks
/// the tables under a view that a LOCK names, as the view's owner.
fn view_over(view: pg_sys::Oid, guarded: &[(pg_sys::Oid, &'static CStr)]) -> Option<&'static CStr> {
    if view == pg_sys::InvalidOid {
        return None;
    }
    let tables: Vec<pg_sys::Oid> = guarded.iter().map(|(t, _)| *t).collect();
    let found = crate::pinned::search_path(|| {
        Spi::connect(|client| {
            let found = client.select(
                    "WITH RECURSIVE under(rel) AS ( \
                         SELECT $1 \
                         UNION \
                         SELECT d.refobjid FROM under \
                           JOIN pg_catalog.pg_rewrite r ON r.ev_class OPERATOR(pg_catalog.=) under.rel \
                           JOIN pg_catalog.pg_depend d \
                             ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass \
                            AND d.objid OPERATOR(pg_catalog.=) r.oid \
                            AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass) \
                     SELECT u.rel FROM under u WHERE u.rel OPERATOR(pg_catalog.=) ANY ($2) \
                      ORDER BY u.rel LIMIT 1",
                    Some(1),
                    &[view.into(), tables.clone().into()],
                )?;
            if found.is_empty() {
                return Ok(None);
            }
            found.first().get_one::<pg_sys::Oid>()
        })
    });
    match found {
        Ok(Some(table)) => guarded.iter().find(|(t, _)| *t == table).map(|(_, n)| *n),
        Ok(None) => None,
        Err(e) => error!("letta_identity: reading what a view reads failed: {e}"),
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
            refused(name, "a lock stronger than ROW EXCLUSIVE on");
        }
    }
}
