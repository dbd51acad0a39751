//! The queries this library runs as the extension's owner (the end user's rows, end_user.rs),
//! and those it runs rarely (the extension's schema, once per connection; the role check of an
//! end user; Citus's SET LOCAL), run with `search_path = pg_catalog, pg_temp`, as a SECURITY
//! DEFINER function with that SET clause would: a type, function, operator or table that the
//! caller created (a `pg_temp.text` domain, a `quote_ident` earlier on the path) is never what
//! they use. Their own names are schema-qualified besides. (The role's binding, read once per
//! statement as the caller, is qualified throughout instead: pinning cost it more than the
//! lookup itself.)

use pgrx::prelude::*;

/// Runs `f` with search_path pinned to `pg_catalog, pg_temp`, restored afterwards. An error
/// in between aborts the (sub)transaction, which restores it, as it does for a function's SET
/// clause (fmgr_security_definer).
pub fn search_path<T>(f: impl FnOnce() -> T) -> T {
    // SAFETY: the same calls PostgreSQL makes for a function's SET clause; the nesting level is
    // this call's own, closed below or by the abort of the enclosing (sub)transaction.
    let level = unsafe {
        let level = pg_sys::NewGUCNestLevel();
        pg_sys::set_config_option(
            c"search_path".as_ptr(),
            c"pg_catalog, pg_temp".as_ptr(),
            pg_sys::GucContext::PGC_USERSET,
            pg_sys::GucSource::PGC_S_SESSION,
            pg_sys::GucAction::GUC_ACTION_SAVE,
            true,
            0,
            false,
        );
        level
    };
    let result = f();
    // SAFETY: closes the level opened above.
    unsafe { pg_sys::AtEOXact_GUC(true, level) };
    result
}
