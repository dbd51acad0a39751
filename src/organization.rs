//! The current organization: the role's binding (table letta_role_organizations) and the
//! setting `letta.organization_id`.
//!
//! - A role bound to an organization works in it. Its own choice of another one is refused
//!   (42501); a value another role left on the connection (behind a pooler) is ignored.
//! - A role allowed to switch names its organization in each transaction: only a value set in
//!   the current transaction counts (SET LOCAL, set_config(..., true), or a SET issued in this
//!   transaction). A value that survives from an earlier transaction on the same connection,
//!   perhaps another client's behind a pooler, is refused (22023), as is none at all.
//! - A superuser without a binding uses the setting, by default Letta's default organization.
//! - Any other role has no organization (42501).

use crate::error::{or_raise, quoted, InputError};
use crate::ids;
use crate::pinned;
use crate::session::{
    citus_connection, citus_installed, denied, extension, origin_of, role_name, Extension, Origin,
    Statement,
};
use pgrx::guc::{GucContext, GucFlags, GucRegistry, GucSetting};
use pgrx::prelude::*;
use pgrx::spi::OwnedPreparedStatement;
use pgrx::Uuid as PgUuid;
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
        c"A role allowed to switch sets it in each transaction (SET LOCAL); bound roles need not set it; for a superuser without a binding it defaults to Letta's default organization. An empty value selects none.",
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
        return Err(InputError::invalid("letta.organization_id is empty")
            .with_detail("An empty setting selects no organization: it never means all of them.")
            .with_hint("Set it to an organization id, org-<uuid4>."));
    }
    ids::parse("org", text).map_err(|e| {
        InputError::invalid(format!(
            "letta.organization_id is not an organization id: {}",
            quoted(text)
        ))
        .with_detail(e.message)
    })
}

/// Where the current value of letta.organization_id comes from (origin_of).
pub fn origin() -> Origin {
    origin_of(SETTING)
}

const PER_TRANSACTION_HINT: &str = "Set it at the start of each transaction: \
     BEGIN; SET LOCAL letta.organization_id = 'org-...'; ... COMMIT; \
     or SELECT set_config('letta.organization_id', 'org-...', true) inside the transaction.";

/// The current organization, given the current role's binding (NULLs: no binding row) and
/// where the setting comes from.
pub fn resolve(
    bound: Option<uuid::Uuid>,
    may_switch: Option<bool>,
    origin: Origin,
) -> Result<uuid::Uuid, InputError> {
    match (bound, may_switch) {
        (Some(org), _) => {
            // The role's own choice (now, or left by its own earlier transaction) must be its
            // organization; what another role left on a pooled connection is not a choice.
            let chosen = match origin {
                Origin::ThisTransaction => true,
                Origin::Earlier { by_current_role } => by_current_role,
                Origin::Default => false,
            };
            if chosen {
                if let Ok(asked) = from_setting() {
                    if asked != org {
                        return Err(denied(format!(
                            "role \"{}\" is bound to organization org-{org} and cannot work in org-{asked}",
                            role_name()
                        ))
                        .with_hint(
                            "A bound role works in its own organization only: leave \
                             letta.organization_id unset.",
                        ));
                    }
                }
            }
            Ok(org)
        }
        (None, Some(true)) => match origin {
            Origin::ThisTransaction => from_setting(),
            Origin::Default => Err(InputError::invalid(format!(
                "letta.organization_id is not set: role \"{}\" names its organization in each transaction",
                role_name()
            ))
            .with_hint(PER_TRANSACTION_HINT)),
            Origin::Earlier { .. } => Err(InputError::invalid(format!(
                "letta.organization_id was not set in this transaction: role \"{}\" names its organization in each transaction",
                role_name()
            ))
            .with_detail(
                "A value left on the connection by an earlier transaction (a session-level SET, \
                 perhaps another client's behind a connection pooler) is not used.",
            )
            .with_hint(PER_TRANSACTION_HINT)),
        },
        _ if unsafe { pg_sys::superuser() } => from_setting(),
        _ => {
            let role = role_name();
            Err(
                denied(format!("role \"{role}\" is not bound to an organization")).with_hint(
                    format!(
                        "An administrator binds it with letta_bind_role('{role}', 'org-...') \
                         or lets it switch with letta_allow_switching('{role}')."
                    ),
                ),
            )
        }
    }
}

/// A binding written for another role of the current role's name (one dropped since, and this
/// one created under its name) is not this role's: fail closed.
fn not_the_bound_role() -> InputError {
    let role = role_name();
    denied(format!(
        "role \"{role}\" is not the role that was bound under its name"
    ))
    .with_detail(
        "The binding was made for a role of this name that has been dropped since; a role \
         created again under a name does not inherit its binding.",
    )
    .with_hint(format!(
        "An administrator binds it again: letta_bind_role('{role}', 'org-...') or \
         letta_allow_switching('{role}')."
    ))
}

/// A role's binding: (organization, may_switch, end_user_required, whether the current role
/// holds the binding's mark: the role bound under the name, not one created under it since).
type Binding = (Option<uuid::Uuid>, Option<bool>, bool, bool);

/// The current role's binding: (organization, may_switch, end_user_required), or None without
/// one, and the extension's schema (quoted) when Citus distributes the tables. A kept plan on the extension's own table
/// (schema-qualified, so search_path cannot redirect it); row-level security shows a role its
/// own row only. On Citus, the node's own copy (below).
fn binding() -> Result<(Option<Binding>, Option<String>), pgrx::spi::SpiError> {
    thread_local! {
        // Kept plans: without and with letta_role_end_users (0.5.0).
        static LOOKUP: RefCell<[Option<OwnedPreparedStatement>; 2]> = const { RefCell::new([None, None]) };
        // On Citus, the one on the node's copy: (the copy, the columns read, plan).
        static COPY_LOOKUP: RefCell<Option<(String, String, OwnedPreparedStatement)>> = const { RefCell::new(None) };
    }
    let Extension {
        schema, namespace, ..
    } = extension();
    // Every name qualified, every operator pg_catalog's: a caller's search_path (a superuser's
    // too) changes nothing here. (Not pinned, as the library's other queries are: this one
    // runs once per statement, and as the caller.)
    Spi::connect(|client| {
        // Whether end users can be required: the table 0.5.0 made, looked up in the catalog
        // cache at each call (this library also serves databases not yet updated, and one that
        // is updated while it runs).
        // SAFETY: a catalog lookup by name, valid in any backend running a query.
        let end_users =
            unsafe { pg_sys::get_relname_relid(c"letta_role_end_users".as_ptr(), namespace) }
                != pg_sys::InvalidOid;
        let copy = citus_copy(client, &schema, namespace, "letta_role_organizations")?;
        // On Citus the end users' requirements are a reference table too (from 0.7.0, or
        // once letta_require_end_user runs on a database distributed before).
        let end_users_copy = match (&copy, end_users) {
            (Some(_), true) => citus_copy(client, &schema, namespace, "letta_role_end_users")?,
            _ => None,
        };
        let required = match (&end_users_copy, end_users) {
            (Some(c), _) => c.name.clone(),
            (None, true) => format!("{schema}.letta_role_end_users"),
            (None, false) => String::new(),
        };
        let required = if end_users {
            format!(
                "EXISTS (SELECT FROM {required} e \
                          WHERE e.role_name OPERATOR(pg_catalog.=) CURRENT_USER)"
            )
        } else {
            "false".to_owned()
        };
        let columns = format!("organization_id, may_switch, {required}");
        let row = match &copy {
            Some(copy) => COPY_LOOKUP.with(|lookup| {
                let mut lookup = lookup.borrow_mut();
                let fresh = !matches!(&*lookup, Some((name, cols, _)) if *name == copy.name && *cols == columns);
                if fresh {
                    let query = format!(
                        "SELECT {columns} FROM {} WHERE role_name OPERATOR(pg_catalog.=) CURRENT_USER",
                        copy.name
                    );
                    *lookup = Some((copy.name.clone(), columns.clone(), client.prepare(query.as_str(), &[])?.keep()));
                }
                client.select(&lookup.as_ref().unwrap().2, Some(1), &[])
            })?,
            None => LOOKUP.with(|lookup| {
                let mut lookup = lookup.borrow_mut();
                let kept = &mut lookup[usize::from(end_users)];
                if kept.is_none() {
                    let query = format!(
                        "SELECT {columns} FROM {schema}.letta_role_organizations \
                          WHERE role_name OPERATOR(pg_catalog.=) CURRENT_USER"
                    );
                    *kept = Some(client.prepare(query.as_str(), &[])?.keep());
                }
                client.select(kept.as_ref().unwrap(), Some(1), &[])
            })?,
        };
        if row.is_empty() {
            return Ok((None, copy.map(|_| schema)));
        }
        let row = row.first();
        let org = row.get::<PgUuid>(1)?;
        Ok((
            Some((
                org.map(|u| uuid::Uuid::from_bytes(*u.as_bytes())),
                row.get::<bool>(2)?,
                row.get::<bool>(3)?.unwrap_or(false),
                holds_mark(namespace),
            )),
            copy.map(|_| schema),
        ))
    })
}

/// Whether the current role holds the binding's mark (tenancy.sql, the domain letta_bound_role):
/// USAGE granted to this role itself, not to a role it is a member of (a role created again
/// under a dropped one's name, then granted a bound role, is not that role). Read from the
/// catalog cache: a query here cost a fifth of a lookup's time. True before 0.5.0, which had
/// no mark.
fn holds_mark(namespace: pg_sys::Oid) -> bool {
    // SAFETY: catalog cache lookups by key, valid in any backend running a query; the tuple is
    // released before returning, and the ACL (an array of AclItem without NULLs, detoasted
    // into this memory context) is read within its bounds.
    unsafe {
        let mark = pg_sys::GetSysCacheOid(
            pg_sys::SysCacheIdentifier::TYPENAMENSP as i32,
            pg_sys::Anum_pg_type_oid as i16,
            pg_sys::Datum::from(c"letta_bound_role".as_ptr()),
            pg_sys::Datum::from(namespace),
            pg_sys::Datum::from(0),
            pg_sys::Datum::from(0),
        );
        if mark == pg_sys::InvalidOid {
            return true;
        }
        let tuple = pg_sys::SearchSysCache1(
            pg_sys::SysCacheIdentifier::TYPEOID as i32,
            pg_sys::Datum::from(mark),
        );
        if tuple.is_null() {
            return false;
        }
        let mut is_null = false;
        let acl = pg_sys::SysCacheGetAttr(
            pg_sys::SysCacheIdentifier::TYPEOID as i32,
            tuple,
            pg_sys::Anum_pg_type_typacl as i16,
            &mut is_null,
        );
        let user = pg_sys::GetUserId();
        let held = !is_null && {
            let acl = pg_sys::pg_detoast_datum(acl.cast_mut_ptr()) as *mut pg_sys::ArrayType;
            let mut items = pgrx::array::RawArray::from_ptr(std::ptr::NonNull::new_unchecked(acl));
            items.data::<pg_sys::AclItem>().as_ref().iter().any(|item| {
                item.ai_grantee == user && item.ai_privs & pg_sys::ACL_USAGE as pg_sys::AclMode != 0
            })
        };
        pg_sys::ReleaseSysCache(tuple);
        held
    }
}

/// The node's copy of a reference table (the bindings, letta_role_organizations, or the end
/// users' requirements, letta_role_end_users):
/// its qualified name, and its relation's name and oid, by which the catalog cache tells at each
/// call that it is still there.
#[derive(Clone)]
struct Copy {
    name: String,
    relname: CString,
    oid: pg_sys::Oid,
}

/// On Citus (after letta_distribute) the bindings are a reference table, copied to every node,
/// and _letta_org() also runs on the workers, inside the shard queries that the policies
/// filter, where Citus refuses to start a distributed query: it reads the node's own copy of
/// the table, its placement. None without Citus, before distribution, or on a coordinator that
/// holds no copy (there the table itself is read). Found by a query once per connection, then
/// checked in the catalog cache (a query at every statement cost a tenth of a Citus call);
/// looked for again when it is gone (the tables undistributed, say). Not finding one is not
/// kept: a connection opened before distribution finds it after.
fn citus_copy(
    client: &pgrx::spi::SpiClient<'_>,
    schema: &str,
    namespace: pg_sys::Oid,
    table: &'static str,
) -> Result<Option<Copy>, pgrx::spi::SpiError> {
    thread_local! {
        /// By table.
        static FOUND: RefCell<Vec<(&'static str, Copy)>> = const { RefCell::new(Vec::new()) };
    }
    if !citus_installed() {
        return Ok(None);
    }
    let kept = FOUND
        .with(|found| {
            found
                .borrow()
                .iter()
                .find(|(t, _)| *t == table)
                .map(|(_, c)| c.clone())
        })
        .filter(|copy| {
            // SAFETY: a catalog lookup by name, valid in any backend running a query.
            unsafe { pg_sys::get_relname_relid(copy.relname.as_ptr(), namespace) == copy.oid }
        });
    if kept.is_some() {
        return Ok(kept);
    }
    // Shards are named after their table and shard id; Citus hides them from pg_class
    // scans, not from to_regclass.
    let copies = client.select(
        format!(
            "SELECT c.name, c.relname, pg_catalog.to_regclass(c.name)::pg_catalog.oid \
               FROM pg_catalog.pg_dist_shard s, \
                    LATERAL (SELECT '{table}_' OPERATOR(pg_catalog.||) s.shardid AS relname) r, \
                    LATERAL (SELECT '{schema}.' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(r.relname) AS name, \
                                    r.relname) c \
              WHERE s.logicalrelid OPERATOR(pg_catalog.=) '{schema}.{table}'::pg_catalog.regclass \
                AND pg_catalog.to_regclass(c.name) IS NOT NULL"
        )
        .as_str(),
        Some(1),
        &[],
    )?;
    if copies.is_empty() {
        return Ok(None);
    }
    let row = copies.first();
    let copy = match (
        row.get::<String>(1)?,
        row.get::<String>(2)?,
        row.get::<pg_sys::Oid>(3)?,
    ) {
        (Some(name), Some(relname), Some(oid)) => Copy {
            name,
            relname: CString::new(relname).expect("a shard's name has no NUL"),
            oid,
        },
        _ => return Ok(None),
    };
    FOUND.with(|found| {
        let mut found = found.borrow_mut();
        found.retain(|(t, _)| *t != table);
        found.push((table, copy.clone()));
    });
    Ok(Some(copy))
}

/// What the last call resolved, and for which statement and setting: every _letta_org() of one
/// statement (the functions' filters, each policy's) after the first costs a comparison.
struct Resolved {
    statement: Statement,
    setting: Option<CString>,
    origin: Origin,
    org: uuid::Uuid,
    end_user_required: bool,
}

/// The organization of the current statement, and what end_user.rs needs of the binding.
pub struct Current {
    pub org: uuid::Uuid,
    /// The role must act for an end user in each transaction (letta_require_end_user).
    pub end_user_required: bool,
}

thread_local! {
    static LAST: RefCell<Option<Resolved>> = const { RefCell::new(None) };
}

/// The organization and the binding, resolved once per statement.
pub fn current() -> Current {
    let statement = Statement::current();
    let setting = ORGANIZATION_ID.get();
    // In a parallel worker (only with 0.3.0's catalog, which marked this function parallel
    // safe) the value arrives with its source and role but no stack: a switching role's value
    // reads as an earlier transaction's and is refused, so it fails closed.
    let origin = origin();
    let cached = LAST.with(|last| {
        last.borrow().as_ref().and_then(|r| {
            (r.statement == statement && r.setting == setting && r.origin == origin).then_some(
                Current {
                    org: r.org,
                    end_user_required: r.end_user_required,
                },
            )
        })
    });
    cached.unwrap_or_else(|| {
        let ((bound, may_switch, end_user_required), citus) = match binding() {
            Ok((Some((bound, may_switch, required, true)), citus)) => {
                ((bound, may_switch, required), citus)
            }
            Ok((Some(_), _)) => not_the_bound_role().raise_in("_letta_org"),
            Ok((None, citus)) => ((None, None, false), citus),
            Err(e) => error!("_letta_org: reading the role's organization failed: {e}"),
        };
        let org = resolve(bound, may_switch, origin).unwrap_or_else(|e| e.raise_in("_letta_org"));
        if let (Some(_), None, Some(true)) = (&citus, bound, may_switch) {
            share_with_workers(c"letta.organization_id", org);
        }
        LAST.with(|last| {
            *last.borrow_mut() = Some(Resolved {
                statement,
                setting,
                origin,
                org,
                end_user_required,
            })
        });
        Current {
            org,
            end_user_required,
        }
    })
}

/// On Citus, the workers' policies call _letta_org() and _letta_end_user() too, so a switching
/// role's organization and the end user must reach them. Citus sends a SET LOCAL on to the
/// workers (with citus.propagate_set_commands = local, which letta_distribute makes the
/// database's default and this sets for the transaction too, for a session opened before), but not a value given
/// by set_config(), by a plain SET or by a function's SET clause: the setting is issued again
/// as a SET LOCAL of its current value (so nothing changes here), once per subtransaction (a
/// savepoint rolled back takes it back on the workers too), inside a DO block, which Citus
/// treats as a transaction block even in autocommit. Citus sends its recorded SET LOCALs when
/// it opens a transaction on a worker, which it does for a read only inside BEGIN ... COMMIT;
/// outside one, a row lock that matches no row (FOR KEY SHARE) makes it open one. Not on
/// Citus's own connections to a worker: the value came with the query.
pub(crate) fn share_with_workers(setting: &'static CStr, org: uuid::Uuid) {
    /// (transaction, subtransaction) and the settings shared in it, with their values.
    type Shared = ((u32, u32), Vec<(&'static CStr, Option<CString>)>);
    thread_local! {
        static SHARED: RefCell<Shared> =
            const { RefCell::new(((0, 0), Vec::new())) };
    }
    // SAFETY: MyProc and the transaction state are valid in any backend running a query.
    let (at, in_block) = unsafe {
        (
            ((*pg_sys::MyProc).lxid, pg_sys::GetCurrentSubTransactionId()),
            pg_sys::IsTransactionBlock(),
        )
    };
    let internal = citus_connection();
    // SAFETY: reads a setting's current value, copied at once.
    let value = unsafe {
        let v = pg_sys::GetConfigOption(setting.as_ptr(), true, false);
        (!v.is_null()).then(|| CStr::from_ptr(v).to_owned())
    };
    let done = SHARED.with(|shared| {
        let shared = shared.borrow();
        shared.0 == at && shared.1.iter().any(|(s, v)| *s == setting && *v == value)
    });
    if internal || done {
        return;
    }
    // Marked first: on a worker that holds the organization's shards, Citus runs the statement
    // below here, whose policies call _letta_org() again.
    SHARED.with(|shared| {
        let mut shared = shared.borrow_mut();
        if shared.0 != at {
            *shared = (at, Vec::new());
        }
        shared.1.retain(|(s, _)| *s != setting);
        shared.1.push((setting, value));
    });
    let open_on_worker = if in_block {
        String::new()
    } else {
        let schema = extension().schema;
        format!(
            "PERFORM FROM {schema}.letta_identities WHERE organization_id = '{org}' \
             AND id = '00000000-0000-0000-0000-000000000000' FOR KEY SHARE;"
        )
    };
    let name = setting.to_str().expect("a setting's name is ASCII");
    pinned::search_path(|| {
        Spi::run(&format!(
            "DO $$BEGIN SET LOCAL citus.propagate_set_commands = local; \
                        EXECUTE format('SET LOCAL {name} = %L', current_setting('{name}')); {open_on_worker} END$$"
        ))
    })
    .unwrap_or_else(|e| error!("_letta_org: sharing {name} with Citus's workers failed: {e}"));
}

/// 0.1.0 declared _letta_org() here, as the setting alone. The symbol stays, so that a 0.1.0
/// database keeps working with this library until ALTER EXTENSION ... UPDATE replaces it.
#[pg_extern(sql = false)]
fn _letta_org() -> PgUuid {
    PgUuid::from_bytes(*or_raise!(from_setting()).as_bytes())
}

/// 0.2.0's _letta_org() was SQL calling this with the binding row. The symbol stays, so that a
/// 0.2.0 database keeps working with this library until ALTER EXTENSION ... UPDATE.
#[pg_extern(sql = false)]
fn _letta_resolve_org(bound: Option<PgUuid>, may_switch: Option<bool>) -> PgUuid {
    let bound = bound.map(|u| uuid::Uuid::from_bytes(*u.as_bytes()));
    PgUuid::from_bytes(*or_raise!(resolve(bound, may_switch, origin())).as_bytes())
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

    #[pg_test]
    fn knows_when_the_setting_was_set() {
        use crate::organization::origin;
        use crate::session::Origin;
        assert_eq!(origin(), Origin::Default);
        Spi::run("SET LOCAL letta.organization_id = 'org-11111111-1111-4111-8111-111111111111'")
            .unwrap();
        assert_eq!(origin(), Origin::ThisTransaction);
        Spi::run("RESET letta.organization_id").unwrap();
        assert_eq!(origin(), Origin::Default);
    }

    #[pg_test(error = "letta.organization_id is empty")]
    fn empty_setting_denies() {
        Spi::run("SET LOCAL letta.organization_id = ''").unwrap();
        Spi::run("SELECT _letta_org()").unwrap();
    }

    #[pg_test(error = "letta.organization_id is not an organization id: \"acme\"")]
    fn malformed_setting_is_an_error() {
        Spi::run("SET LOCAL letta.organization_id = 'acme'").unwrap();
        Spi::run("SELECT _letta_org()").unwrap();
    }
}
