//! Write stamps: `created_at` and `updated_at` that keep the order of writes inside a
//! transaction.
//!
//! PostgreSQL's now() is the transaction's start, so every row written in one transaction (a
//! script between BEGIN and COMMIT, a DO block, one call of letta_create_agents) would share
//! it, and the lists, ordered by (created_at, id), would show those rows in the random order of
//! their ids. A stamp is the transaction's start plus one microsecond for every stamp already
//! given in the transaction: the first write of a transaction is stamped now() itself, as
//! before, and the next ones follow in the order they were made. (A transaction would need to
//! write more than one row per microsecond for its stamps to pass the clock.)
//!
//! The tables' defaults call these functions (schema.sql declares them, before pgrx's own
//! SQL, so that the tables can name them).

use pgrx::prelude::*;
use std::cell::Cell;

thread_local! {
    /// (the transaction, the stamps given in it)
    static GIVEN: Cell<(pg_sys::LocalTransactionId, i64)> = const { Cell::new((0, 0)) };
}

fn stamp(advance: bool) -> TimestampWithTimeZone {
    // SAFETY: MyProc and the transaction's start are valid in any backend running a query.
    let (transaction, start) = unsafe {
        (
            (*pg_sys::MyProc).lxid,
            pg_sys::GetCurrentTransactionStartTimestamp(),
        )
    };
    let given = GIVEN.with(|given| {
        let (seen, count) = given.get();
        let count = if seen == transaction { count } else { 0 };
        let count = if advance { count + 1 } else { count };
        given.set((transaction, count));
        count
    });
    // The first stamp (count 1) is the start itself; before any, the start too.
    let micros = start + (given - 1).max(0);
    TimestampWithTimeZone::try_from(micros)
        .unwrap_or_else(|_| error!("_letta_stamp: {micros} is not a timestamp"))
}

/// A new stamp: the transaction's start plus one microsecond per stamp given before it in the
/// transaction. For `created_at`, and for `updated_at` when a row changes.
#[pg_extern(volatile, parallel_unsafe, sql = false)]
fn _letta_stamp() -> TimestampWithTimeZone {
    stamp(true)
}

/// The stamp given last in this transaction (the transaction's start before any): a new row's
/// `updated_at` default, evaluated after its `created_at`, so that the two are equal.
#[pg_extern(volatile, parallel_unsafe, sql = false)]
fn _letta_last_stamp() -> TimestampWithTimeZone {
    stamp(false)
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use pgrx::prelude::*;

    #[pg_test]
    fn stamps_follow_the_writes_of_a_transaction() {
        let row = Spi::get_two::<bool, bool>(
            "SELECT _letta_stamp() = now(), _letta_last_stamp() = now()",
        );
        assert_eq!(row, Ok((Some(true), Some(true))));
        let steps = Spi::get_one::<i64>(
            "SELECT (extract(epoch FROM _letta_stamp() - now()) * 1000000)::bigint",
        );
        assert_eq!(steps, Ok(Some(1)));
        let last =
            Spi::get_one::<bool>("SELECT _letta_last_stamp() = now() + interval '1 microsecond'");
        assert_eq!(last, Ok(Some(true)));
    }
}
