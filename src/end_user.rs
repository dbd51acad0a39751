//! The current end user: the setting `letta.identifier_key`, within the current organization.
//!
//! A transaction that sets it acts for that end user of the organization: it sees the
//! identities with that identifier_key, the agents linked to them, and the blocks linked to
//! them or in those agents' memory, through every function and on the tables directly, and it
//! cannot link anything else to them. Row-level security enforces it (the policies named
//! letta_end_user, tenancy.sql); the functions narrow their reads to the same rows first, so
//! that an end user's list costs what their rows are, not a walk of the organization.
//!
//! - A role bound with letta_require_end_user must set it in each transaction: only a value set
//!   in the current transaction counts (as letta.organization_id for a switching role), so a
//!   value left on a pooled connection by another client is refused (22023), as is none.
//! - Only such a role acts for end users: letta_require_end_user makes it a member of
//!   letta_end_users, the role the end users' policies apply to (so that roles serving whole
//!   organizations pay nothing for them). Another role naming one is refused (42501), as is a
//!   required role that lost the membership (a restore without the cluster's roles).
//! - A role that bypasses row-level security (a superuser, the tables' owner, BYPASSRLS) is
//!   refused (42501): nothing would enforce the scope on its direct reads and writes.
//! - Not on Citus yet (0A000): the policies read other tables, which Citus refuses in policies.

use crate::error::InputError;
use crate::organization;
use crate::pinned;
use crate::session::{self, denied, origin_of, role_name, Origin, Statement};
use pgrx::guc::{GucContext, GucFlags, GucRegistry, GucSetting};
use pgrx::prelude::*;
use pgrx::PgSqlErrorCode;
use std::cell::RefCell;
use std::ffi::{CStr, CString};

const SETTING: &CStr = c"letta.identifier_key";

static IDENTIFIER_KEY: GucSetting<Option<CString>> = GucSetting::<Option<CString>>::new(None);

pub fn init() {
    GucRegistry::define_string_guc(
        SETTING,
        c"The end user (an identifier_key) a transaction acts for: it sees that user's identities, agents and blocks only.",
        c"Set it per transaction (SET LOCAL); a role bound with letta_require_end_user must. Empty or unset: the whole organization.",
        &IDENTIFIER_KEY,
        GucContext::Userset,
        GucFlags::default(),
    );
}

fn setting() -> Option<String> {
    IDENTIFIER_KEY
        .get()
        .and_then(|c| c.to_str().ok().map(str::to_owned))
        .filter(|s| !s.is_empty())
}

const PER_TRANSACTION_HINT: &str = "Set it at the start of each transaction: \
     BEGIN; SET LOCAL letta.identifier_key = 'user_1'; ... COMMIT; \
     or SELECT set_config('letta.identifier_key', 'user_1', true) inside the transaction.";

/// The end user, given the binding's requirement, where the setting comes from and its value.
pub fn resolve(
    required: bool,
    origin: Origin,
    value: Option<String>,
) -> Result<Option<String>, InputError> {
    if !required {
        // The role's own choice only: what another role left on the connection is not one.
        return Ok(match origin {
            Origin::ThisTransaction
            | Origin::Earlier {
                by_current_role: true,
            } => value,
            _ => None,
        });
    }
    match (origin, value) {
        (Origin::ThisTransaction, Some(key)) => Ok(Some(key)),
        (Origin::ThisTransaction, None) => Err(InputError::invalid(format!(
            "letta.identifier_key is empty: role \"{}\" acts for one end user in each transaction",
            role_name()
        ))
        .with_hint(PER_TRANSACTION_HINT)),
        (Origin::Default, _) => Err(InputError::invalid(format!(
            "letta.identifier_key is not set: role \"{}\" acts for one end user in each transaction",
            role_name()
        ))
        .with_hint(PER_TRANSACTION_HINT)),
        (Origin::Earlier { .. }, _) => Err(InputError::invalid(format!(
            "letta.identifier_key was not set in this transaction: role \"{}\" acts for one end user in each transaction",
            role_name()
        ))
        .with_detail(
            "A value left on the connection by an earlier transaction (a session-level SET, \
             perhaps another client's behind a connection pooler) is not used.",
        )
        .with_hint(PER_TRANSACTION_HINT)),
    }
}

/// Of the current role: whether row-level security applies to it on the extension's agents,
/// whether it has letta_end_users' privileges (the end users' policies apply to the roles that
/// do: a NOINHERIT member has not), and
/// whether Citus distributes the tables (read only when an end user is named).
fn role_and_node() -> (bool, bool, bool) {
    let citus = session::citus_installed();
    let query = format!(
        "SELECT pg_catalog.row_security_active(c.oid), \
                coalesce((SELECT pg_catalog.pg_has_role(r.oid, 'USAGE') FROM pg_catalog.pg_roles r \
                           WHERE r.rolname OPERATOR(pg_catalog.=) 'letta_end_users'), false), {} \
           FROM pg_catalog.pg_extension e \
           JOIN pg_catalog.pg_class c ON c.relnamespace OPERATOR(pg_catalog.=) e.extnamespace \
                                     AND c.relname OPERATOR(pg_catalog.=) 'letta_agents' \
          WHERE e.extname OPERATOR(pg_catalog.=) 'letta_identity'",
        if citus {
            "EXISTS (SELECT FROM pg_catalog.pg_dist_partition p \
                      WHERE p.logicalrelid OPERATOR(pg_catalog.=) c.oid)"
        } else {
            "false"
        }
    );
    // (Read-only, as session::extension: a standby must be able to run it.)
    let row = pinned::search_path(|| {
        Spi::connect(|client| {
            client
                .select(query.as_str(), Some(1), &[])?
                .first()
                .get_three::<bool, bool, bool>()
        })
    });
    match row {
        Ok((enforced, member, distributed)) => (
            enforced.unwrap_or(false),
            member.unwrap_or(false),
            distributed.unwrap_or(false),
        ),
        Err(e) => error!("_letta_end_user: reading the role's row-level security failed: {e}"),
    }
}

/// What the last call resolved, and for which statement, role and setting.
struct Resolved {
    statement: Statement,
    value: Option<String>,
    origin: Origin,
    key: Option<String>,
}

thread_local! {
    static LAST: RefCell<Option<Resolved>> = const { RefCell::new(None) };
}

/// The end user the current statement acts for (the rules at the top of this file), or None
/// for the whole organization; once per statement.
pub fn current() -> Option<String> {
    let statement = Statement::current();
    let value = setting();
    let origin = origin_of(SETTING);
    let cached = LAST.with(|last| {
        last.borrow().as_ref().and_then(|r| {
            (r.statement == statement && r.value == value && r.origin == origin)
                .then(|| r.key.clone())
        })
    });
    if let Some(key) = cached {
        return key;
    }
    let required = organization::current().end_user_required;
    let key =
        resolve(required, origin, value.clone()).unwrap_or_else(|e| e.raise_in("_letta_end_user"));
    if let Some(key) = &key {
        let (enforced, member, distributed) = role_and_node();
        if distributed {
            InputError::new(
                PgSqlErrorCode::ERRCODE_FEATURE_NOT_SUPPORTED,
                format!("cannot act for end user \"{key}\" on Citus"),
            )
            .with_detail(
                "End-user scoping (letta.identifier_key) works on one node only in this version.",
            )
            .raise_in("_letta_end_user");
        }
        if !enforced {
            denied(format!(
                "role \"{}\" bypasses row-level security, which scopes a transaction to end user \"{key}\"",
                role_name()
            ))
            .with_detail("A superuser, the tables' owner and a role with BYPASSRLS would read and write past the scope.")
            .with_hint("Act for end users through a role bound with letta_bind_role or letta_allow_switching.")
            .raise_in("_letta_end_user");
        }
        if !member {
            // Without the membership the policies would not hold it to the scope (a role
            // never made to act for end users, one restored without its memberships, or a
            // NOINHERIT member, to which policies for letta_end_users do not apply).
            let role = role_name();
            denied(format!(
                "role \"{role}\" does not act for end users, and cannot act for \"{key}\""
            ))
            .with_detail("The end users' policies apply to roles that inherit letta_end_users' privileges (members that are not NOINHERIT).")
            .with_hint(format!(
                "An administrator makes it act for them: letta_require_end_user('{role}')."
            ))
            .raise_in("_letta_end_user");
        }
    }
    LAST.with(|last| {
        *last.borrow_mut() = Some(Resolved {
            statement,
            value,
            origin,
            key: key.clone(),
        })
    });
    key
}

/// _letta_org() calls it: a function called with an end user set checks the scope first (a
/// role that may not act for one is refused before anything is read).
pub fn check(end_user_required: bool) {
    if end_user_required || setting().is_some() {
        current();
    }
}

/// The end user the current transaction acts for, or NULL for the whole organization.
#[pg_extern(stable, parallel_restricted)]
fn _letta_end_user() -> Option<String> {
    current()
}

/// Whether a row version was written by the current transaction (its xmin, as a number; a
/// subtransaction's counts): _letta_end_user_wrote's check.
#[pg_extern(stable, parallel_restricted)]
fn _letta_written_here(xmin: i64) -> bool {
    u32::try_from(xmin).is_ok_and(|xid| {
        // SAFETY: a lookup in this backend's transaction state.
        unsafe { pg_sys::TransactionIdIsCurrentTransactionId(pg_sys::TransactionId::from(xid)) }
    })
}

/// Which end user of which organization the caches below answer for: a transaction may name
/// another one between two statements (even two of one simple-query message, which share
/// their statement's start and command id).
type Scope = (uuid::Uuid, String);

fn scope(key: &str) -> Scope {
    (organization::current().org, key.to_owned())
}

/// An answer of end_user_ids: (kind, statement, end user, ids).
type Found = (&'static str, Statement, Scope, Vec<pgrx::Uuid>);

/// Agents and blocks the current transaction wrote for an end user and has not linked yet:
/// that end user's until the transaction ends (a new agent before its links, a new block
/// before it is attached). By local transaction id; a savepoint rolled back leaves ids of rows
/// that are gone, which match nothing.
#[derive(Default)]
struct Written {
    transaction: u32,
    /// (end user, kind, id)
    rows: Vec<(Scope, &'static str, pgrx::Uuid)>,
}

thread_local! {
    static WRITTEN: RefCell<Written> = RefCell::new(Written::default());
    /// as_owner's kept plans, by query text.
    static PLANS: RefCell<Vec<(String, pgrx::spi::OwnedPreparedStatement)>> = const { RefCell::new(Vec::new()) };
    /// end_user_ids' answers, by kind, for the statement and end user that asked.
    static FOUND: RefCell<Vec<Found>> = const { RefCell::new(Vec::new()) };
}

fn this_transaction() -> u32 {
    // SAFETY: MyProc is valid in any backend running a query.
    unsafe { (*pg_sys::MyProc).lxid }
}

/// The rows of kind ('agent' or 'block') the current transaction wrote for an end user.
fn written(kind: &str, scope: &Scope) -> Vec<pgrx::Uuid> {
    WRITTEN.with(|w| {
        let w = w.borrow();
        if w.transaction != this_transaction() {
            return Vec::new();
        }
        w.rows
            .iter()
            .filter(|(s, k, _)| s == scope && *k == kind)
            .map(|(_, _, id)| *id)
            .collect()
    })
}

/// Runs query as the extension's owner ($1 the organization, $2 the key, $3 ids), the
/// policies' own view of the end user's rows, which row-level security would otherwise filter
/// by these very rows; with search_path pinned (pinned.rs), so that nothing of the caller's is
/// resolved as the owner. The organization and the key are the caller's, resolved before the
/// switch; nothing a caller passes chooses them.
fn as_owner(key: &str, ids: &[pgrx::Uuid], query: impl Fn(&str) -> String) -> Vec<pgrx::Uuid> {
    let org = organization::current().org;
    let session::Extension { schema, owner, .. } = session::extension();
    let (mut user, mut context) = (pg_sys::InvalidOid, 0);
    // SAFETY: the documented way to run as another role for a while (as SECURITY DEFINER
    // does); an error in between is an abort, which restores the caller's role itself.
    unsafe {
        pg_sys::GetUserIdAndSecContext(&mut user, &mut context);
        pg_sys::SetUserIdAndSecContext(
            owner,
            context
                | pg_sys::SECURITY_LOCAL_USERID_CHANGE as i32
                | pg_sys::SECURITY_RESTRICTED_OPERATION as i32,
        );
    }
    // A kept plan per query (by its text): planned once per connection, not per statement.
    let text = query(&schema);
    let found = pinned::search_path(|| {
        Spi::connect(
            |client| -> Result<Option<Vec<pgrx::Uuid>>, pgrx::spi::SpiError> {
                let args = [
                    pgrx::Uuid::from_bytes(*org.as_bytes()).into(),
                    key.into(),
                    ids.to_vec().into(),
                ];
                PLANS.with(|plans| {
                    let mut plans = plans.borrow_mut();
                    if !plans.iter().any(|(t, _)| *t == text) {
                        use pgrx::{PgBuiltInOids, PgOid};
                        let types = [
                            PgOid::BuiltIn(PgBuiltInOids::UUIDOID),
                            PgOid::BuiltIn(PgBuiltInOids::TEXTOID),
                            PgOid::BuiltIn(PgBuiltInOids::UUIDARRAYOID),
                        ];
                        let plan = client.prepare(text.as_str(), &types)?.keep();
                        plans.push((text.clone(), plan));
                    }
                    let (_, plan) = plans.iter().find(|(t, _)| *t == text).unwrap();
                    client
                        .select(plan, Some(1), &args)?
                        .first()
                        .get_one::<Vec<pgrx::Uuid>>()
                })
            },
        )
    });
    // SAFETY: restores what GetUserIdAndSecContext read above.
    unsafe { pg_sys::SetUserIdAndSecContext(user, context) };
    match found {
        Ok(found) => found.unwrap_or_default(),
        Err(e) => error!("_letta_end_user: reading the end user's rows failed: {e}"),
    }
}

/// The end user's rows that a query finds (as_owner), with those of kind the transaction wrote
/// for them; empty without an end user. Once per statement and kind: every policy of a
/// statement asks (an initplan each).
fn end_user_ids(kind: &'static str, query: impl Fn(&str) -> String) -> Vec<pgrx::Uuid> {
    let Some(key) = current() else {
        return Vec::new();
    };
    let statement = Statement::current();
    let scope = scope(&key);
    let cached = FOUND.with(|found| {
        found
            .borrow()
            .iter()
            .find(|(k, st, sc, _)| *k == kind && *st == statement && *sc == scope)
            .map(|(_, _, _, ids)| ids.clone())
    });
    if let Some(ids) = cached {
        return ids;
    }
    let mut ids = as_owner(&key, &[], query);
    ids.extend(written(kind, &scope));
    FOUND.with(|found| {
        let mut found = found.borrow_mut();
        found.retain(|(k, _, _, _)| *k != kind);
        found.push((kind, statement, scope, ids.clone()));
    });
    ids
}

/// The functions tell which agents or blocks they just wrote for the end user, so that the
/// transaction sees them before they are linked: only rows this transaction wrote are taken
/// (a caller cannot make another's rows theirs by naming them). Nothing without an end user.
#[pg_extern(volatile, parallel_unsafe)]
fn _letta_end_user_wrote(kind: &str, ids: pgrx::Array<pgrx::Uuid>) {
    let table = match kind {
        "agent" => "letta_agents",
        "block" => "letta_blocks",
        other => InputError::invalid(format!(
            "kind must be agent or block, got {}",
            crate::error::quoted(other)
        ))
        .raise_in("_letta_end_user_wrote"),
    };
    let Some(key) = current() else {
        return;
    };
    let ids: Vec<pgrx::Uuid> = ids.iter().flatten().collect();
    let mine = as_owner(&key, &ids, |s| {
        format!(
            "SELECT ARRAY(SELECT t.id FROM {s}.{table} t \
                           WHERE t.organization_id = $1 AND $2 IS NOT NULL AND t.id = ANY ($3) \
                             AND {s}._letta_written_here(t.xmin::pg_catalog.text::pg_catalog.int8))"
        )
    });
    // What the policies found before these rows were theirs is out of date.
    FOUND.with(|found| found.borrow_mut().clear());
    let scope = scope(&key);
    let kind = if kind == "agent" { "agent" } else { "block" };
    WRITTEN.with(|w| {
        let mut w = w.borrow_mut();
        let transaction = this_transaction();
        if w.transaction != transaction {
            *w = Written {
                transaction,
                ..Written::default()
            };
        }
        w.rows
            .extend(mine.into_iter().map(|id| (scope.clone(), kind, id)));
    });
}

/// The end user's identities (every project's).
#[pg_extern(stable, parallel_restricted)]
fn _letta_end_user_identities() -> Vec<pgrx::Uuid> {
    end_user_ids("identity", |s| {
        format!(
            "SELECT ARRAY(SELECT i.id FROM {s}.letta_identities i \
                           WHERE i.organization_id = $1 AND i.identifier_key = $2)"
        )
    })
}

/// The agents linked to the end user's identities.
#[pg_extern(stable, parallel_restricted)]
fn _letta_end_user_agents() -> Vec<pgrx::Uuid> {
    end_user_ids("agent", |s| {
        format!(
            "SELECT ARRAY(SELECT DISTINCT l.agent_id FROM {s}.letta_identities i \
                            JOIN {s}.letta_identities_agents l \
                              ON l.organization_id = i.organization_id AND l.identity_id = i.id \
                           WHERE i.organization_id = $1 AND i.identifier_key = $2)"
        )
    })
}

/// The blocks linked to the end user's identities, and those in their agents' memory.
#[pg_extern(stable, parallel_restricted)]
fn _letta_end_user_blocks() -> Vec<pgrx::Uuid> {
    end_user_ids("block", |s| {
        format!(
            "SELECT ARRAY(SELECT l.block_id FROM {s}.letta_identities i \
                            JOIN {s}.letta_identities_blocks l \
                              ON l.organization_id = i.organization_id AND l.identity_id = i.id \
                           WHERE i.organization_id = $1 AND i.identifier_key = $2 \
                          UNION \
                          SELECT m.block_id FROM {s}.letta_identities i \
                            JOIN {s}.letta_identities_agents l \
                              ON l.organization_id = i.organization_id AND l.identity_id = i.id \
                            JOIN {s}.letta_blocks_agents m \
                              ON m.organization_id = l.organization_id AND m.agent_id = l.agent_id \
                           WHERE i.organization_id = $1 AND i.identifier_key = $2)"
        )
    })
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use crate::end_user::resolve;
    use crate::session::Origin;
    use pgrx::prelude::*;

    #[pg_test]
    fn optional_scope_takes_the_roles_own_choice_only() {
        let key = Some("user_1".to_owned());
        assert_eq!(
            resolve(false, Origin::ThisTransaction, key.clone()),
            Ok(key.clone())
        );
        assert_eq!(
            resolve(
                false,
                Origin::Earlier {
                    by_current_role: true
                },
                key.clone()
            ),
            Ok(key.clone())
        );
        assert_eq!(
            resolve(
                false,
                Origin::Earlier {
                    by_current_role: false
                },
                key.clone()
            ),
            Ok(None)
        );
        assert_eq!(resolve(false, Origin::Default, None), Ok(None));
    }

    #[pg_test]
    fn required_scope_takes_this_transactions_value_only() {
        let key = Some("user_1".to_owned());
        assert_eq!(
            resolve(true, Origin::ThisTransaction, key.clone()),
            Ok(key.clone())
        );
        for (origin, says) in [
            (Origin::Default, "is not set"),
            (
                Origin::Earlier {
                    by_current_role: true,
                },
                "was not set in this transaction",
            ),
        ] {
            let e = resolve(true, origin, key.clone()).unwrap_err();
            assert!(e.message.contains(says), "{}", e.message);
        }
        let e = resolve(true, Origin::ThisTransaction, None).unwrap_err();
        assert!(e.message.contains("is empty"), "{}", e.message);
    }

    #[pg_test]
    fn knows_when_the_end_user_was_set() {
        use crate::session::origin_of;
        assert_eq!(crate::end_user::current(), None);
        assert_eq!(origin_of(c"letta.identifier_key"), Origin::Default);
        Spi::run("SET LOCAL letta.identifier_key = 'user_1'").unwrap();
        assert_eq!(origin_of(c"letta.identifier_key"), Origin::ThisTransaction);
    }
}
