//! No role but the tables' owner holds, or queues for, a lock that stops other organizations'
//! calls.
//!
//! Every organization shares the extension's relations (tables, their indexes and TOAST, the
//! row views). PostgreSQL lets a role with UPDATE or DELETE on a table `LOCK` it in any mode,
//! and several statements queue for a strong lock on a relation before they check that the
//! role owns it: `CREATE TRIGGER`, `CREATE RULE`, a foreign key referencing it, `INHERITS`,
//! `PARTITION OF` (foreign tables too), `ATTACH PARTITION` (of tables and of indexes), `COMMENT`
//! and `SECURITY LABEL` on it or its triggers, rules, policies and constraints, `DROP TRIGGER`,
//! `DROP RULE` and `DROP POLICY` on it, `CREATE STATISTICS`, and a `LOCK` of a view, whose
//! tables PostgreSQL locks with the view owner's rights. While such a request waits (behind any
//! open transaction, the role's own included), every later call on the relation waits behind
//! it.
//!
//! A ProcessUtility hook refuses them (42501), before they queue, to roles that do not own the
//! relations: the statements above when they name one of the extension's relations, by name
//! and in any schema (a name is resolved again after a wait, perhaps to another relation, so
//! the name decides, not what it resolves to now); a `LOCK` stronger than ROW EXCLUSIVE (the
//! mode INSERT, UPDATE and DELETE take anyway) of one of them, or of any view (a view can be
//! replaced while the LOCK waits for it). After any strong `LOCK` it also refuses a lock that
//! the statement left on them. The hook is installed when the library loads:
//! `session_preload_libraries` must name it, so that it is there before a session's first
//! statement (README, Security model).

use crate::error::InputError;
use pgrx::prelude::*;
use pgrx::PgSqlErrorCode;
use std::ffi::CStr;

static mut PREVIOUS: pg_sys::ProcessUtility_hook_type = None;

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
    let strong_lock = before_statement(pstmt);
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

/// Refuses a statement that would queue for a strong lock on one of the extension's relations
/// (the module's comment); whether it is a strong LOCK, checked again after it ran.
#[pg_guard]
unsafe extern "C-unwind" fn before_statement(pstmt: *mut pg_sys::PlannedStmt) -> bool {
    let statement = (*pstmt).utilityStmt;
    if statement.is_null() {
        return false;
    }
    let lock = ((*statement).type_ == pg_sys::NodeTag::T_LockStmt)
        .then_some(statement as *mut pg_sys::LockStmt)
        .filter(|&lock| (*lock).mode > pg_sys::RowExclusiveLock as i32);
    let named = if lock.is_some() {
        range_vars((*(statement as *mut pg_sys::LockStmt)).relations)
    } else {
        relations_named(statement)
    };
    if named.is_empty() || !extension_installed() {
        return false;
    }
    let guarded = guarded_relations();
    if guarded.is_empty() {
        return false;
    }
    let what = if lock.is_some() {
        "a lock stronger than ROW EXCLUSIVE on"
    } else {
        statement_name((*statement).type_)
    };
    for relation in &named {
        let name = CStr::from_ptr((**relation).relname).to_string_lossy();
        if guarded.iter().any(|(_, g)| *g == name) {
            refused(&name, what);
        }
        if lock.is_some() && is_view(*relation) {
            refused(&name, "a lock stronger than ROW EXCLUSIVE on the view");
        }
    }
    lock.is_some()
}

#[pg_guard]
unsafe extern "C-unwind" fn after_lock() {
    refuse_locks_held();
}

fn extension_installed() -> bool {
    // SAFETY: a catalog lookup by name, valid in any backend running a statement.
    unsafe { pg_sys::get_extension_oid(c"letta_identity".as_ptr(), true) != pg_sys::InvalidOid }
}

/// The extension's relations that the current role does not own (a superuser owns all): its
/// tables and views, the tables' indexes, TOAST tables and their indexes.
fn guarded_relations() -> Vec<(pg_sys::Oid, String)> {
    let found = crate::pinned::search_path(|| {
        Spi::connect(|client| {
            client
                .select(
                    "WITH members AS ( \
                         SELECT c.oid, c.reltoastrelid FROM pg_catalog.pg_depend d \
                           JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.objid \
                          WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass \
                            AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass \
                            AND d.deptype OPERATOR(pg_catalog.=) 'e' \
                            AND d.refobjid OPERATOR(pg_catalog.=) (SELECT e.oid FROM pg_catalog.pg_extension e \
                                     WHERE e.extname OPERATOR(pg_catalog.=) 'letta_identity')), \
                     tables AS ( \
                         SELECT m.oid FROM members m \
                         UNION SELECT m.reltoastrelid FROM members m \
                                WHERE m.reltoastrelid OPERATOR(pg_catalog.<>) 0::pg_catalog.oid), \
                     relations AS ( \
                         SELECT t.oid FROM tables t \
                         UNION SELECT i.indexrelid FROM pg_catalog.pg_index i, tables t \
                                WHERE i.indrelid OPERATOR(pg_catalog.=) t.oid) \
                     SELECT r.oid, c.relname::pg_catalog.text FROM relations r \
                       JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) r.oid",
                    None,
                    &[],
                )?
                .map(|row| Ok((row.get::<pg_sys::Oid>(1)?, row.get::<String>(2)?)))
                .collect::<Result<Vec<_>, pgrx::spi::SpiError>>()
        })
    });
    match found {
        Ok(relations) => relations
            .into_iter()
            .filter_map(|(oid, name)| {
                // SAFETY: a catalog lookup, valid in any backend running a statement.
                let owned = unsafe { pg_sys::pg_class_ownercheck(oid?, pg_sys::GetUserId()) };
                (!owned).then_some((oid?, name?))
            })
            .collect(),
        Err(e) => error!("letta_identity: reading the extension's relations failed: {e}"),
    }
}

fn refused(name: &str, statement: &str) -> ! {
    InputError::new(
        PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
        format!("{statement} {name} is reserved to its owner"),
    )
    .with_detail(
        "Every organization shares the extension's relations: a strong lock on one, held or \
         waited for, would stop every organization's calls.",
    )
    .with_hint("The extension's functions take the row locks they need; no LOCK TABLE is needed.")
    .raise_in("ProcessUtility")
}

fn statement_name(tag: pg_sys::NodeTag) -> &'static str {
    use pg_sys::NodeTag::*;
    match tag {
        T_CreateTrigStmt => "CREATE TRIGGER naming",
        T_RuleStmt => "CREATE RULE on",
        T_CreateStmt | T_CreateForeignTableStmt => "CREATE TABLE naming",
        T_AlterTableStmt => "ALTER naming",
        T_CreateStatsStmt => "CREATE STATISTICS on",
        T_CommentStmt => "COMMENT on",
        T_SecLabelStmt => "SECURITY LABEL on",
        T_DropStmt => "DROP on",
        _ => "this statement on",
    }
}

/// Whether a name resolves to a view now (a view of the role's own may be replaced while a
/// LOCK waits for it: any view is refused).
unsafe fn is_view(relation: *mut pg_sys::RangeVar) -> bool {
    let oid = pg_sys::RangeVarGetRelidExtended(
        relation,
        pg_sys::NoLock as i32,
        pg_sys::RVROption::RVR_MISSING_OK,
        None,
        std::ptr::null_mut(),
    );
    oid != pg_sys::InvalidOid && pg_sys::get_rel_relkind(oid) == pg_sys::RELKIND_VIEW as i8
}

/// The relations a statement names that PostgreSQL locks before it checks ownership or
/// privileges (the module's comment).
unsafe fn relations_named(statement: *mut pg_sys::Node) -> Vec<*mut pg_sys::RangeVar> {
    use pg_sys::NodeTag::*;
    let mut found = Vec::new();
    match (*statement).type_ {
        T_CreateTrigStmt => {
            let trigger = statement as *mut pg_sys::CreateTrigStmt;
            found.extend([(*trigger).relation, (*trigger).constrrel]);
        }
        T_RuleStmt => found.push((*(statement as *mut pg_sys::RuleStmt)).relation),
        // (A foreign table's statement begins with a CreateStmt.)
        T_CreateStmt | T_CreateForeignTableStmt => {
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
            found.extend(relation_of_object((*comment).objtype, (*comment).object));
        }
        T_SecLabelStmt => {
            let label = statement as *mut pg_sys::SecLabelStmt;
            found.extend(relation_of_object((*label).objtype, (*label).object));
        }
        // (DROP of a relation checks ownership first; of a trigger, rule or policy, after
        // locking its table.)
        T_DropStmt => {
            use pg_sys::ObjectType::*;
            let drop = statement as *mut pg_sys::DropStmt;
            if matches!(
                (*drop).removeType,
                OBJECT_TRIGGER | OBJECT_RULE | OBJECT_POLICY
            ) {
                for object in nodes((*drop).objects) {
                    found.extend(relation_of_object((*drop).removeType, object));
                }
            }
        }
        _ => {}
    }
    found.retain(|relation| !relation.is_null() && !(**relation).relname.is_null());
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

/// The relation of a COMMENT, SECURITY LABEL or DROP: the object itself (a relation), or the
/// one its column, trigger, rule, policy or constraint belongs to.
unsafe fn relation_of_object(
    kind: pg_sys::ObjectType::Type,
    object: *mut pg_sys::Node,
) -> Option<*mut pg_sys::RangeVar> {
    use pg_sys::ObjectType::*;
    if object.is_null() || (*object).type_ != pg_sys::NodeTag::T_List {
        return None;
    }
    let names = object as *mut pg_sys::List;
    let length = (*names).length;
    let relation_names = match kind {
        OBJECT_TABLE | OBJECT_VIEW | OBJECT_INDEX | OBJECT_FOREIGN_TABLE | OBJECT_MATVIEW
        | OBJECT_SEQUENCE => names,
        OBJECT_COLUMN | OBJECT_TRIGGER | OBJECT_RULE | OBJECT_POLICY | OBJECT_TABCONSTRAINT
            if length > 1 =>
        {
            pg_sys::list_truncate(pg_sys::list_copy(names), length - 1)
        }
        _ => return None,
    };
    Some(pg_sys::makeRangeVarFromNameList(relation_names))
}

/// After a strong LOCK: a lock it left on one of the extension's relations (through a view or
/// a table that inherits). The error ends the transaction, which releases it.
fn refuse_locks_held() {
    // SAFETY: MyDatabaseId is set in any backend running a statement.
    let database = unsafe { pg_sys::MyDatabaseId };
    for (relation, name) in guarded_relations() {
        let tag = pg_sys::LOCKTAG {
            locktag_field1: database.to_u32(),
            locktag_field2: relation.to_u32(),
            locktag_field3: 0,
            locktag_field4: 0,
            locktag_type: pg_sys::LockTagType::LOCKTAG_RELATION as u8,
            locktag_lockmethodid: pg_sys::DEFAULT_LOCKMETHOD as u8,
        };
        // SAFETY: a lookup in this backend's own lock table.
        if unsafe { pg_sys::LockOrStrongerHeldByMe(&tag, pg_sys::ShareUpdateExclusiveLock as i32) }
        {
            refused(&name, "a lock stronger than ROW EXCLUSIVE on");
        }
    }
}
