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
//! - On Citus the policies run on the workers, beside the shards: the end user is sent there
//!   with the organization (SET LOCAL), a worker reads the end user's rows from its own shards
//!   of the organization, and the coordinator asks the workers (what their policies let the
//!   caller see). A new agent or block is the end user's by its policy's WITH CHECK on the
//!   worker that writes it (_letta_end_user_claim), checked there by the row's xmin.

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

/// Of the current role and node: whether row-level security applies to the role on the
/// extension's agents, whether it has letta_end_users' privileges (the end users' policies
/// apply to the roles that do: a NOINHERIT member has not), whether Citus distributes the
/// tables, and whether the end users' policies are there (tenancy.sql: on one node
/// letta_end_user, on Citus the organization's per command; a database distributed before
/// 0.7.0 had none). Read only when an end user is named.
fn role_and_node() -> (bool, bool, bool, bool) {
    let citus = session::citus_installed();
    let query = format!(
        "SELECT pg_catalog.row_security_active(c.oid), \
                coalesce((SELECT pg_catalog.pg_has_role(r.oid, 'USAGE') FROM pg_catalog.pg_roles r \
                           WHERE r.rolname OPERATOR(pg_catalog.=) 'letta_end_users'), false), {}, \
                EXISTS (SELECT FROM pg_catalog.pg_policy p WHERE p.polrelid OPERATOR(pg_catalog.=) c.oid \
                           AND (p.polname OPERATOR(pg_catalog.=) 'letta_end_user' \
                                OR p.polname OPERATOR(pg_catalog.=) 'letta_organization_insert')) \
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
            let row = client.select(query.as_str(), Some(1), &[])?.first();
            Ok::<_, pgrx::spi::SpiError>((
                row.get::<bool>(1)?,
                row.get::<bool>(2)?,
                row.get::<bool>(3)?,
                row.get::<bool>(4)?,
            ))
        })
    });
    match row {
        Ok((enforced, member, distributed, policies)) => (
            enforced.unwrap_or(false),
            member.unwrap_or(false),
            distributed.unwrap_or(false),
            policies.unwrap_or(false),
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
    /// Citus distributes the tables (known when an end user is named).
    distributed: bool,
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
    let mut on_citus = false;
    if let Some(key) = &key {
        let (enforced, member, distributed, policies) = role_and_node();
        on_citus = distributed;
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
        if !policies {
            InputError::new(
                PgSqlErrorCode::ERRCODE_FEATURE_NOT_SUPPORTED,
                format!("cannot act for end user \"{key}\": the end users' policies are missing"),
            )
            .with_detail("On Citus the end users' policies are added by the first letta_require_end_user (so that a database without end users pays nothing for them).")
            .with_hint("An administrator adds them: letta_require_end_user('<role>') on the coordinator.")
            .raise_in("_letta_end_user");
        }
        if distributed {
            // The workers' policies ask for the end user too.
            organization::share_with_workers(SETTING, organization::current().org);
        }
    }
    LAST.with(|last| {
        *last.borrow_mut() = Some(Resolved {
            statement,
            value,
            origin,
            key: key.clone(),
            distributed: on_citus,
        })
    });
    key
}

/// Whether Citus distributes the tables, as current() found it (for an end user named).
fn distributed() -> bool {
    LAST.with(|last| last.borrow().as_ref().is_some_and(|r| r.distributed))
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
/// that are gone, which match nothing. A claim (_letta_end_user_claim, from the WITH CHECK of a
/// row being written) counts once the row is there and was written by this transaction.
#[derive(Default)]
struct Written {
    transaction: u32,
    /// (end user, kind, id, checked: the row was found written by this transaction)
    rows: Vec<(Scope, &'static str, pgrx::Uuid, bool)>,
}

thread_local! {
    static WRITTEN: RefCell<Written> = RefCell::new(Written::default());
    /// The kept plans of read(), by query text.
    static PLANS: RefCell<Vec<(String, pgrx::spi::OwnedPreparedStatement)>> = const { RefCell::new(Vec::new()) };
    /// end_user_ids' answers, by kind, for the statement and end user that asked.
    static FOUND: RefCell<Vec<Found>> = const { RefCell::new(Vec::new()) };
    /// A Citus coordinator asking the workers (read() as the caller), in this (sub)transaction
    /// (an error in between ends it, and with it this mark).
    static ASKING: std::cell::Cell<Option<(u32, pg_sys::SubTransactionId)>> = const { std::cell::Cell::new(None) };
}

fn here() -> (u32, pg_sys::SubTransactionId) {
    // SAFETY: the transaction state is valid in any backend running a query.
    (this_transaction(), unsafe {
        pg_sys::GetCurrentSubTransactionId()
    })
}

fn this_transaction() -> u32 {
    // SAFETY: MyProc is valid in any backend running a query.
    unsafe { (*pg_sys::MyProc).lxid }
}

/// Adds rows of kind the transaction wrote for the end user (checked, or claims to check).
fn remember(scope: &Scope, kind: &'static str, ids: &[pgrx::Uuid], checked: bool) {
    // What the policies found before these rows were theirs is out of date.
    FOUND.with(|found| found.borrow_mut().clear());
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
            .extend(ids.iter().map(|id| (scope.clone(), kind, *id, checked)));
    });
}

/// Where the organization's rows are read from.
#[derive(Clone)]
enum Place {
    /// The extension's tables (one node).
    Tables,
    /// On Citus, this node's shards of the organization (a worker, inside the shard query
    /// that the policies filter, where Citus would refuse to start a distributed query), in
    /// TABLES' order.
    Shards(Vec<String>),
    /// On Citus, another node's (the coordinator): what the workers' policies show the caller.
    Elsewhere,
    /// On Citus, a shard query for other organizations' shards (a query over every shard, on a
    /// worker without this organization's): none of its rows are here.
    Nowhere,
}

/// The tables the end user's rows are read from, in Place::Shards' order.
const TABLES: [&str; 6] = [
    "letta_identities",
    "letta_agents",
    "letta_blocks",
    "letta_identities_agents",
    "letta_identities_blocks",
    "letta_blocks_agents",
];

impl Place {
    /// The current organization's place; looked up once per statement, for every kind of
    /// answer (not kept longer: a split or a move gives the organization another shard, and
    /// the old one may stay on the node a while).
    fn current(org: uuid::Uuid, schema: &str) -> Place {
        thread_local! {
            /// The last answer, for its statement and organization: every kind asks.
            static LAST_PLACE: RefCell<Option<(Statement, uuid::Uuid, Place)>> = const { RefCell::new(None) };
        }
        if !distributed() {
            return Place::Tables;
        }
        let statement = Statement::current();
        let kept = LAST_PLACE.with(|last| {
            last.borrow()
                .as_ref()
                .and_then(|(st, o, place)| (*st == statement && *o == org).then(|| place.clone()))
        });
        if let Some(place) = kept {
            return place;
        }
        let place = Self::look_up(org, schema);
        LAST_PLACE.with(|last| *last.borrow_mut() = Some((statement, org, place.clone())));
        place
    }

    fn look_up(org: uuid::Uuid, schema: &str) -> Place {
        let shards = pinned::search_path(|| {
            Spi::connect(|client| {
                client
                    .select(
                        "SELECT pg_catalog.array_agg(pg_catalog.to_regclass(pg_catalog.format('%s.%I', $2, \
                                  t.r OPERATOR(pg_catalog.||) '_' OPERATOR(pg_catalog.||) \
                                  pg_catalog.get_shard_id_for_distribution_column( \
                                      pg_catalog.format('%s.%I', $2, t.r)::pg_catalog.regclass, $1)))::pg_catalog.text \
                                ORDER BY t.n) \
                           FROM pg_catalog.unnest($3) WITH ORDINALITY t(r, n)",
                        Some(1),
                        &[
                            pgrx::Uuid::from_bytes(*org.as_bytes()).into(),
                            schema.into(),
                            TABLES.iter().map(|t| t.to_string()).collect::<Vec<String>>().into(),
                        ],
                    )?
                    .first()
                    .get_one::<Vec<Option<String>>>()
            })
        });
        match shards {
            Ok(Some(names)) if names.iter().all(Option::is_some) => {
                Place::Shards(names.into_iter().flatten().collect())
            }
            Ok(_) if session::citus_connection() => Place::Nowhere,
            Ok(_) => Place::Elsewhere,
            Err(e) => error!("_letta_end_user: finding the organization's shards failed: {e}"),
        }
    }

    /// A table's name in a query (schema-qualified, or the node's shard of it).
    fn table(&self, schema: &str, name: &str) -> String {
        match self {
            Place::Shards(shards) => {
                let i = TABLES
                    .iter()
                    .position(|t| *t == name)
                    .expect("one of TABLES");
                shards[i].clone()
            }
            _ => format!("{schema}.{name}"),
        }
    }
}

/// Runs query ($1 the organization, $2 the key, $3 ids) with a kept plan per query text,
/// search_path pinned (pinned.rs) so that nothing of the caller's is resolved. As the
/// extension's owner, the policies' own view of the end user's rows, which row-level security
/// would otherwise filter by these very rows; or, on a Citus coordinator, as the caller (Citus
/// would reach the workers as the owner, on connections of its own that miss what this
/// transaction wrote): the workers' policies then answer. The organization and the key are
/// the caller's, resolved before; nothing a caller passes chooses them.
fn read(key: &str, ids: &[pgrx::Uuid], text: &str, as_owner: bool) -> Vec<pgrx::Uuid> {
    let org = organization::current().org;
    let (mut user, mut context) = (pg_sys::InvalidOid, 0);
    if as_owner {
        let owner = session::extension().owner;
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
    }
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
                    if !plans.iter().any(|(t, _)| t == text) {
                        use pgrx::{PgBuiltInOids, PgOid};
                        let types = [
                            PgOid::BuiltIn(PgBuiltInOids::UUIDOID),
                            PgOid::BuiltIn(PgBuiltInOids::TEXTOID),
                            PgOid::BuiltIn(PgBuiltInOids::UUIDARRAYOID),
                        ];
                        let plan = client.prepare(text, &types)?.keep();
                        plans.push((text.to_owned(), plan));
                    }
                    let (_, plan) = plans.iter().find(|(t, _)| t == text).unwrap();
                    client
                        .select(plan, Some(1), &args)?
                        .first()
                        .get_one::<Vec<pgrx::Uuid>>()
                })
            },
        )
    });
    if as_owner {
        // SAFETY: restores what GetUserIdAndSecContext read above.
        unsafe { pg_sys::SetUserIdAndSecContext(user, context) };
    }
    match found {
        Ok(found) => found.unwrap_or_default(),
        Err(e) => error!("_letta_end_user: reading the end user's rows failed: {e}"),
    }
}

/// Of ids (agents or blocks), those in place that this transaction wrote.
fn written_here(
    key: &str,
    kind: &str,
    ids: &[pgrx::Uuid],
    place: &Place,
    schema: &str,
) -> Vec<pgrx::Uuid> {
    let table = place.table(
        schema,
        if kind == "agent" {
            "letta_agents"
        } else {
            "letta_blocks"
        },
    );
    read(
        key,
        ids,
        &format!(
            "SELECT ARRAY(SELECT t.id FROM {table} t \
                           WHERE t.organization_id = $1 AND $2 IS NOT NULL AND t.id = ANY ($3) \
                             AND {schema}._letta_written_here(t.xmin::pg_catalog.text::pg_catalog.int8))"
        ),
        true,
    )
}

/// The rows of kind the current transaction wrote for an end user: those checked, and the
/// claims whose rows are now there, written by it.
fn written(
    key: &str,
    kind: &'static str,
    scope: &Scope,
    place: &Place,
    schema: &str,
) -> Vec<pgrx::Uuid> {
    let (mut checked, claims): (Vec<_>, Vec<_>) = WRITTEN.with(|w| {
        let w = w.borrow();
        if w.transaction != this_transaction() {
            return (Vec::new(), Vec::new());
        }
        let (checked, claims): (Vec<_>, Vec<_>) = w
            .rows
            .iter()
            .filter(|(s, k, _, _)| s == scope && *k == kind)
            .partition(|(_, _, _, checked)| *checked);
        (
            checked.into_iter().map(|r| r.2).collect(),
            claims.into_iter().map(|r| r.2).collect(),
        )
    });
    if !claims.is_empty() {
        let found = written_here(key, kind, &claims, place, schema);
        WRITTEN.with(|w| {
            for row in w.borrow_mut().rows.iter_mut() {
                if row.0 == *scope && row.1 == kind && found.contains(&row.2) {
                    row.3 = true;
                }
            }
        });
        checked.extend(found);
    }
    checked
}

/// The end user's rows of kind: what query finds in place (as the owner), with those of kind
/// the transaction wrote for them; on a Citus coordinator, what the workers' policies show the
/// caller (visible); empty without an end user. Once per statement and kind: every policy of a
/// statement asks (an initplan each).
fn end_user_ids(
    kind: &'static str,
    query: impl Fn(&dyn Fn(&str) -> String) -> String,
    visible: &str,
) -> Vec<pgrx::Uuid> {
    let Some(key) = current() else {
        return Vec::new();
    };
    if ASKING.get() == Some(here()) {
        // The coordinator plans its question to the workers over its own tables, empty shells
        // whose policies call this again (to estimate): nothing is read from them.
        return Vec::new();
    }
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
    let schema = session::extension().schema;
    let ids = match Place::current(scope.0, &schema) {
        Place::Nowhere => Vec::new(),
        Place::Elsewhere => {
            ASKING.set(Some(here()));
            let ids = read(
                &key,
                &[],
                &format!("SELECT ARRAY({})", visible.replace("{s}", &schema)),
                false,
            );
            ASKING.set(None);
            ids
        }
        place => {
            let mut ids = read(&key, &[], &query(&|t| place.table(&schema, t)), true);
            if kind != "identity" {
                ids.extend(written(&key, kind, &scope, &place, &schema));
            }
            ids
        }
    };
    FOUND.with(|found| {
        let mut found = found.borrow_mut();
        found.retain(|(k, _, _, _)| *k != kind);
        found.push((kind, statement, scope, ids.clone()));
    });
    ids
}

fn kind_of(kind: &str, function: &'static str) -> &'static str {
    match kind {
        "agent" => "agent",
        "block" => "block",
        other => InputError::invalid(format!(
            "kind must be agent or block, got {}",
            crate::error::quoted(other)
        ))
        .raise_in(function),
    }
}

/// The functions tell which agents or blocks they just wrote for the end user, so that the
/// transaction sees them before they are linked: only rows this transaction wrote are taken
/// (a caller cannot make another's rows theirs by naming them). Nothing without an end user;
/// on a Citus coordinator nothing either: the workers took them as they wrote them
/// (_letta_end_user_claim).
#[pg_extern(volatile, parallel_unsafe)]
fn _letta_end_user_wrote(kind: &str, ids: pgrx::Array<pgrx::Uuid>) {
    let kind = kind_of(kind, "_letta_end_user_wrote");
    let Some(key) = current() else {
        return;
    };
    let scope = scope(&key);
    let schema = session::extension().schema;
    let place = Place::current(scope.0, &schema);
    if matches!(place, Place::Elsewhere | Place::Nowhere) {
        FOUND.with(|found| found.borrow_mut().clear());
        return;
    }
    let ids: Vec<pgrx::Uuid> = ids.iter().flatten().collect();
    let mine = written_here(&key, kind, &ids, &place, &schema);
    remember(&scope, kind, &mine, true);
}

/// On Citus, the end users' policies on agents and blocks check a row written with this (their
/// WITH CHECK, on the worker that writes it): the row is the end user's for the rest of the
/// transaction once it is there and this transaction wrote it (checked when read, by its xmin:
/// a row that another transaction wrote, named by an INSERT that then did nothing, is not
/// taken). True: it only records. (Stable to Citus, which refuses a volatile function in an
/// UPDATE's policies: what it records changes no answer within the statement that writes.)
#[pg_extern(stable, parallel_unsafe)]
fn _letta_end_user_claim(kind: &str, id: pgrx::Uuid) -> bool {
    let kind = kind_of(kind, "_letta_end_user_claim");
    if let Some(key) = current() {
        remember(&scope(&key), kind, &[id], false);
    }
    true
}

/// The end user's identities (every project's).
#[pg_extern(stable, parallel_restricted)]
fn _letta_end_user_identities() -> Vec<pgrx::Uuid> {
    const ROWS: &str = "SELECT i.id FROM {s}.letta_identities i \
                         WHERE i.organization_id = $1 AND i.identifier_key = $2";
    end_user_ids(
        "identity",
        |t| {
            format!(
                "SELECT ARRAY({})",
                ROWS.replace("{s}.letta_identities", &t("letta_identities"))
            )
        },
        ROWS,
    )
}

/// The agents linked to the end user's identities.
#[pg_extern(stable, parallel_restricted)]
fn _letta_end_user_agents() -> Vec<pgrx::Uuid> {
    end_user_ids(
        "agent",
        |t| {
            format!(
                "SELECT ARRAY(SELECT DISTINCT l.agent_id FROM {} i \
                                JOIN {} l \
                                  ON l.organization_id = i.organization_id AND l.identity_id = i.id \
                               WHERE i.organization_id = $1 AND i.identifier_key = $2)",
                t("letta_identities"),
                t("letta_identities_agents")
            )
        },
        "SELECT a.id FROM {s}.letta_agents a WHERE a.organization_id = $1 AND $2 IS NOT NULL",
    )
}

/// The blocks linked to the end user's identities, and those in their agents' memory.
#[pg_extern(stable, parallel_restricted)]
fn _letta_end_user_blocks() -> Vec<pgrx::Uuid> {
    end_user_ids(
        "block",
        |t| {
            let (i, ib, ia, ba) = (
                t("letta_identities"),
                t("letta_identities_blocks"),
                t("letta_identities_agents"),
                t("letta_blocks_agents"),
            );
            format!(
                "SELECT ARRAY(SELECT l.block_id FROM {i} i \
                                JOIN {ib} l \
                                  ON l.organization_id = i.organization_id AND l.identity_id = i.id \
                               WHERE i.organization_id = $1 AND i.identifier_key = $2 \
                              UNION \
                              SELECT m.block_id FROM {i} i \
                                JOIN {ia} l \
                                  ON l.organization_id = i.organization_id AND l.identity_id = i.id \
                                JOIN {ba} m \
                                  ON m.organization_id = l.organization_id AND m.agent_id = l.agent_id \
                               WHERE i.organization_id = $1 AND i.identifier_key = $2)"
            )
        },
        "SELECT b.id FROM {s}.letta_blocks b WHERE b.organization_id = $1 AND $2 IS NOT NULL",
    )
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
