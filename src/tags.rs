//! Selectivity of the extension's tag operators (sql/tags.sql).
//!
//! Under row-level security PostgreSQL uses an index only for leakproof operators, and the
//! built-in array operators are not marked leakproof: a bound role's tag filter would read
//! every agent. So the extension has its own leakproof &&&, @>> and <<@ on text[] (the built-in
//! &&, @> and <@), with a GIN operator class. Their estimates are the built-in ones (per-tag
//! frequencies from ANALYZE), asked with the built-in operator, which the built-in estimator
//! requires.

use pgrx::prelude::*;
use pgrx::Internal;
use std::ffi::CStr;

extern "C-unwind" {
    /// PostgreSQL's estimator for the built-in array operators (utils/adt/array_selfuncs.c).
    fn arraycontsel(fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum;
}

/// RESTRICT estimator of the tag operators: arraycontsel, asked with the built-in operator.
#[pg_extern(immutable, parallel_safe)]
fn _letta_tags_sel(root: Internal, operator: pg_sys::Oid, args: Internal, var_relid: i32) -> f64 {
    // SAFETY: the planner calls this with a valid operator OID; get_opname copies the name.
    let name = unsafe {
        let name = pg_sys::get_opname(operator);
        if name.is_null() {
            error!("_letta_tags_sel: operator {operator:?} does not exist");
        }
        CStr::from_ptr(name).to_bytes().to_vec()
    };
    let builtin = match name.as_slice() {
        b"&&&" => pg_sys::OID_ARRAY_OVERLAP_OP,
        b"@>>" => pg_sys::OID_ARRAY_CONTAINS_OP,
        b"<<@" => pg_sys::OID_ARRAY_CONTAINED_OP,
        _ => error!(
            "_letta_tags_sel: not a tag operator: {}",
            String::from_utf8_lossy(&name)
        ),
    };
    let (Some(root), Some(args)) = (root.unwrap(), args.unwrap()) else {
        error!("_letta_tags_sel: called without a planner state");
    };
    // SAFETY: the arguments are the planner's, passed through unchanged but the operator.
    let selectivity = unsafe {
        pg_sys::DirectFunctionCall4Coll(
            Some(arraycontsel),
            pg_sys::DEFAULT_COLLATION_OID,
            root,
            pg_sys::Datum::from(builtin),
            args,
            pg_sys::Datum::from(var_relid),
        )
    };
    f64::from_bits(selectivity.value() as u64)
}

/// The entries of the agents' GIN index (sql/tags.sql): each tag prefixed with the agent's
/// organization, `<uuid>:<tag>`, so that a search by tags reads only its organization's entries
/// (an index on `(organization_id, tags)` read the organization's whole entry first: btree_gin
/// matches `=` as a partial match). NULL elements are left out (letta_agents has none).
#[pg_extern(immutable, parallel_safe)]
fn _letta_org_tags(org: pgrx::Uuid, tags: Array<&str>) -> Vec<String> {
    let prefix = uuid::Uuid::from_bytes(*org.as_bytes())
        .hyphenated()
        .to_string();
    tags.iter()
        .flatten()
        .map(|t| format!("{prefix}:{t}"))
        .collect()
}
