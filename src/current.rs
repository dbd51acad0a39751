//! _letta_org(): the organization of the current statement (organization.rs) with its end
//! user checked (end_user.rs), the one entry point that the functions and the policies call.

use pgrx::prelude::*;
use pgrx::Uuid as PgUuid;

/// The current organization (the rules at the top of organization.rs), once per statement; and
/// the end user, checked, when letta.identifier_key is set (end_user.rs).
///
/// PARALLEL RESTRICTED: whether the setting was set in this transaction is the leader's
/// backend-local state, which parallel workers do not receive (they get the value alone).
/// The policies call it in an initplan, which the leader evaluates and hands to the workers.
#[pg_extern(name = "_letta_org", stable, parallel_restricted)]
fn current_organization() -> PgUuid {
    let crate::organization::Current {
        org,
        end_user_required,
    } = crate::organization::current();
    crate::end_user::check(end_user_required);
    PgUuid::from_bytes(*org.as_bytes())
}
