//! JSON arguments as the input checks read them. pgrx's `JsonB` reads a jsonb through
//! serde_json, whose parser gives up at 128 levels of nesting, and `JsonB` then panics (XX000),
//! though PostgreSQL stores deeper values. A `JsonArg` measures the nesting on the jsonb's text
//! first, in one pass, and parses only what serde_json reads: a deeper value reaches the check as
//! `TooDeep`, which refuses it with 22023 naming the argument. (Numbers are kept as written,
//! serde_json's arbitrary_precision: a value never changes on its way through a check.)

use crate::error::InputError;
use pgrx::pg_sys;
use pgrx::prelude::*;
use serde_json::Value;

/// Deepest nesting of arrays and objects a JSON argument may have (the argument itself is the
/// first level): well within serde_json's parser, which stops at 128.
pub const MAX_JSON_DEPTH: usize = 100;

/// A jsonb argument of an input check.
pub enum JsonArg {
    Parsed(Value),
    /// Nested this many levels, over MAX_JSON_DEPTH: not parsed.
    TooDeep(usize),
    /// Text that serde_json did not read (jsonb_out writes none: a guard, not a panic).
    Unreadable(String),
}

impl JsonArg {
    /// The value, or 22023 naming the argument when it nests too deep.
    pub fn value(self, arg: &str) -> Result<Value, InputError> {
        match self {
            JsonArg::Parsed(value) => Ok(value),
            JsonArg::TooDeep(depth) => Err(too_deep(arg, depth)),
            JsonArg::Unreadable(why) => Err(InputError::invalid(format!(
                "{arg} could not be read: {why}"
            ))),
        }
    }
}

pub fn too_deep(arg: &str, depth: usize) -> InputError {
    InputError::invalid(format!(
        "{arg} nests {depth} levels deep, over the limit of {MAX_JSON_DEPTH}"
    ))
    .with_detail("Arrays and objects count a level each, the argument itself the first.")
}

/// How deep arrays and objects nest in a JSON text (0 for a scalar), in one pass.
pub fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// A JSON text as a check reads it: TooDeep past MAX_JSON_DEPTH, else parsed.
pub fn read(text: &str) -> JsonArg {
    let depth = nesting(text);
    if depth > MAX_JSON_DEPTH {
        return JsonArg::TooDeep(depth);
    }
    // jsonb_out writes valid JSON, and the depth is within serde_json's limit.
    match serde_json::from_str(text) {
        Ok(value) => JsonArg::Parsed(value),
        Err(e) => JsonArg::Unreadable(e.to_string()),
    }
}

impl FromDatum for JsonArg {
    unsafe fn from_polymorphic_datum(
        datum: pg_sys::Datum,
        is_null: bool,
        _: pg_sys::Oid,
    ) -> Option<JsonArg> {
        if is_null {
            return None;
        }
        // jsonb_out detoasts its argument itself.
        let text =
            pgrx::direct_function_call::<&core::ffi::CStr>(pg_sys::jsonb_out, &[Some(datum)])
                .expect("jsonb_out returns text");
        let arg = read(&text.to_string_lossy());
        pg_sys::pfree(text.as_ptr() as *mut core::ffi::c_void);
        Some(arg)
    }
}

// As pgrx does for its own FromDatum types: the function's wrapper unboxes the argument with
// from_polymorphic_datum above.
unsafe impl<'fcx> pgrx::callconv::ArgAbi<'fcx> for JsonArg {
    unsafe fn unbox_arg_unchecked(arg: pgrx::callconv::Arg<'_, 'fcx>) -> Self {
        let index = arg.index();
        unsafe { arg.unbox_arg_using_from_datum() }
            .unwrap_or_else(|| panic!("argument {index} must not be null"))
    }

    unsafe fn unbox_nullable_arg(
        arg: pgrx::callconv::Arg<'_, 'fcx>,
    ) -> pgrx::nullable::Nullable<Self> {
        unsafe { arg.unbox_arg_using_from_datum() }.into()
    }
}

pgrx::impl_sql_translatable!(JsonArg, arg_only = "jsonb");

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;

    fn nested(levels: usize) -> String {
        format!("{}1{}", "[".repeat(levels), "]".repeat(levels))
    }

    #[pg_test]
    fn nesting_counts_arrays_and_objects_outside_strings() {
        assert_eq!(nesting("1"), 0);
        assert_eq!(nesting(r#"{"a": [1, {"b": []}], "c": {}}"#), 4);
        assert_eq!(nesting(r#"["[[[", "\"{{", {}]"#), 2);
        assert_eq!(nesting(&nested(10_000)), 10_000);
    }

    #[pg_test]
    fn the_limit_parses_and_past_it_is_refused() {
        assert!(matches!(read(&nested(MAX_JSON_DEPTH)), JsonArg::Parsed(_)));
        assert!(matches!(
            read(&nested(MAX_JSON_DEPTH + 1)),
            JsonArg::TooDeep(101)
        ));
        // Text serde_json cannot read is 22023 too, not a panic (jsonb_out never writes it).
        let e = read("{").value("metadata").err().unwrap();
        assert!(e.message.starts_with("metadata could not be read: "));
        let e = read(&nested(5000)).value("metadata").err().unwrap();
        assert_eq!(
            e.message,
            "metadata nests 5000 levels deep, over the limit of 100"
        );
    }

    #[pg_test]
    fn numbers_keep_their_digits() {
        // As jsonb_out writes them: 1e1000 in full, and more digits than a double holds.
        let text = format!(
            r#"{{"big":1{},"exact":1.00000000000000000001}}"#,
            "0".repeat(1000)
        );
        let JsonArg::Parsed(v) = read(&text) else {
            panic!("parses")
        };
        assert_eq!(v.to_string(), text);
    }
}
