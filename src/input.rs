//! Validation of caller input. Each check names the argument and the bad value, and fails
//! with 22023 (invalid_parameter_value); the SQL functions call these before writing.

use crate::error::{given, or_raise, quoted, raise, InputError};
use crate::json::JsonArg;
use pgrx::prelude::*;
use pgrx::JsonB;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

const IDENTITY_TYPES: [&str; 3] = ["user", "org", "other"];
/// Longest identifier_key, project_id, name, label or tag, in bytes: keys and tags are index
/// entries, which PostgreSQL caps at about 2.7 kB; this keeps every entry well under that.
pub const MAX_TEXT_BYTES: usize = 1000;
/// Most tags one agent may carry.
pub const MAX_TAGS: usize = 1000;
/// Most properties one identity may have: the checks are linear, but every property is a few
/// entries of the GIN index on properties, written at each update (100,000 took 1.3 s).
pub const MAX_PROPERTIES: usize = 10_000;
const PROPERTY_TYPES: [&str; 4] = ["string", "number", "boolean", "json"];

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn not_too_long<'a>(value: &'a str, arg: &str) -> Result<&'a str, InputError> {
    if value.len() > MAX_TEXT_BYTES {
        return Err(InputError::invalid(format!(
            "{arg} {} is longer than {MAX_TEXT_BYTES} bytes",
            quoted(value)
        ))
        .with_detail(
            "Keys, labels and tags are index entries, which PostgreSQL caps at about 2.7 kB; names share their limit.",
        ));
    }
    Ok(value)
}

/// A required text argument: neither NULL nor empty, at most MAX_TEXT_BYTES.
pub fn required_text<'a>(value: Option<&'a str>, arg: &str) -> Result<&'a str, InputError> {
    match value {
        Some(v) if !v.is_empty() => not_too_long(v, arg),
        Some(_) => Err(InputError::invalid(format!("{arg} must not be empty"))),
        None => Err(InputError::invalid(format!("{arg} must not be NULL"))),
    }
}

pub fn identity_type(value: Option<&str>) -> Result<&str, InputError> {
    let v = required_text(value, "identity_type")?;
    if IDENTITY_TYPES.contains(&v) {
        Ok(v)
    } else {
        Err(InputError::invalid(format!(
            "invalid identity_type {}: expected user, org or other",
            quoted(v)
        )))
    }
}

/// A project id is optional, but an empty one would be a second "no project": refuse it.
pub fn project_id(value: Option<&str>) -> Result<Option<&str>, InputError> {
    match value {
        Some("") => Err(InputError::invalid(
            "project_id must not be empty (use NULL for no project)",
        )),
        Some(p) => not_too_long(p, "project_id").map(Some),
        None => Ok(None),
    }
}

/// Tags as stored: no NULL or empty tag, de-duplicated, sorted (bytewise) so equal sets compare equal.
pub fn tags<'a>(
    values: impl IntoIterator<Item = Option<&'a str>>,
) -> Result<Vec<String>, InputError> {
    let mut out = Vec::new();
    for (n, tag) in values.into_iter().enumerate() {
        match tag {
            None => {
                return Err(InputError::invalid(format!(
                    "tags must not contain NULL (element {})",
                    n + 1
                )))
            }
            Some("") => {
                return Err(InputError::invalid(format!(
                    "tags must not contain an empty tag (element {})",
                    n + 1
                )))
            }
            Some(t) => out.push(not_too_long(t, "tag")?.to_owned()),
        }
    }
    out.sort_unstable();
    out.dedup();
    if out.len() > MAX_TAGS {
        return Err(InputError::invalid(format!(
            "an agent carries at most {MAX_TAGS} tags, got {}",
            out.len()
        ))
        .with_detail(
            "Tags are a set for filtering; the README's limits section lists every limit.",
        ));
    }
    Ok(out)
}

/// Letta's properties: an array of {key, value, type}; the value must match its type
/// (Letta does not check). A repeated key keeps its first position and its last value.
pub fn properties(value: &Value) -> Result<Value, InputError> {
    let items = value.as_array().ok_or_else(|| {
        InputError::invalid(format!(
            "properties must be a JSON array of {{key, value, type}} objects, got {}",
            json_type(value)
        ))
    })?;
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    // Where each key is in out: a repeated key is found in constant time, not by a scan.
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        let at = format!("properties[{n}]");
        let obj = item.as_object().ok_or_else(|| {
            InputError::invalid(format!(
                "{at} must be an object with key, value and type, got {}",
                json_type(item)
            ))
        })?;
        if let Some(extra) = obj
            .keys()
            .find(|k| !matches!(k.as_str(), "key" | "value" | "type"))
        {
            return Err(InputError::invalid(format!(
                "{at} has unknown field {}",
                quoted(extra)
            )));
        }
        let key = match obj.get("key") {
            Some(Value::String(k)) if !k.is_empty() => k,
            _ => {
                return Err(InputError::invalid(format!(
                    "{at}.key must be a non-empty string"
                )))
            }
        };
        let ty = match obj.get("type") {
            Some(Value::String(t)) if PROPERTY_TYPES.contains(&t.as_str()) => t.as_str(),
            Some(Value::String(t)) => {
                return Err(InputError::invalid(format!(
                    "{at}.type {} is invalid: expected string, number, boolean or json",
                    quoted(t)
                )))
            }
            _ => {
                return Err(InputError::invalid(format!(
                    "{at}.type must be one of string, number, boolean, json"
                )))
            }
        };
        let v = obj.get("value").ok_or_else(|| {
            InputError::invalid(format!("{at} (key {}) has no value", quoted(key)))
        })?;
        let fits = match ty {
            "string" => v.is_string(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            _ => v.is_object(),
        };
        if !fits {
            let want = match ty {
                "json" => "an object",
                "string" => "a string",
                "number" => "a number",
                _ => "a boolean",
            };
            return Err(InputError::invalid(format!(
                "{at} (key {}): value must be {want} for type {ty}, got {}",
                quoted(key),
                json_type(v)
            )));
        }
        let mut p = Map::new();
        p.insert("key".into(), Value::String(key.clone()));
        p.insert("value".into(), v.clone());
        p.insert("type".into(), Value::String(ty.into()));
        match position.get(key.as_str()) {
            Some(&at) => out[at] = Value::Object(p),
            None => {
                position.insert(key, out.len());
                out.push(Value::Object(p));
            }
        }
    }
    // Counted once each key is: a repeated key is one property.
    too_many_properties(out.len())?;
    Ok(Value::Array(out))
}

fn too_many_properties(count: usize) -> Result<(), InputError> {
    if count > MAX_PROPERTIES {
        return Err(InputError::invalid(format!(
            "properties has {count} entries, over the limit of {MAX_PROPERTIES}"
        )));
    }
    Ok(())
}

/// The key of a property that properties() returned.
fn key_of(p: &Value) -> String {
    p["key"].as_str().unwrap_or_default().to_owned()
}

/// Letta's PATCH of properties: each new property replaces the one with its key in place,
/// or is appended. The new ones are validated; the stored ones are kept as they are (an
/// import keeps what Letta held, a value not of its type too).
pub fn merge_properties(old: &Value, new: &Value) -> Result<Value, InputError> {
    let mut merged = match old {
        Value::Array(items) => items.clone(),
        _ => Vec::new(),
    };
    let mut position: HashMap<String, usize> = merged
        .iter()
        .enumerate()
        .map(|(at, p)| (key_of(p), at))
        .collect();
    if let Value::Array(updates) = properties(new)? {
        for p in updates {
            match position.get(&key_of(&p)) {
                Some(&at) => merged[at] = p,
                None => {
                    position.insert(key_of(&p), merged.len());
                    merged.push(p);
                }
            }
        }
    }
    too_many_properties(merged.len())?;
    Ok(Value::Array(merged))
}

/// A page size: at least 1 (Letta's 0 meant "everything", a trap for callers).
pub fn page_size(value: Option<i32>) -> Result<i32, InputError> {
    match value {
        Some(n) if n >= 1 => Ok(n),
        Some(n) => Err(InputError::invalid(format!(
            "page_size must be at least 1, got {n}"
        ))),
        None => Err(InputError::invalid("page_size must not be NULL")),
    }
}

/// A list's order: by created_at (false) or by updated_at (true).
pub fn by_update(value: Option<&str>) -> Result<bool, InputError> {
    match required_text(value, "order_by")? {
        "created_at" => Ok(false),
        "updated_at" => Ok(true),
        v => Err(InputError::invalid(format!(
            "invalid order_by {}: expected created_at or updated_at",
            quoted(v)
        ))),
    }
}

/// A count that must be positive when given (context_window_limit, a block's limit).
pub fn positive(value: Option<i64>, arg: &str) -> Result<Option<i64>, InputError> {
    match value {
        Some(n) if n <= 0 => Err(InputError::invalid(format!(
            "{arg} must be positive, got {n}"
        ))),
        _ => Ok(value),
    }
}

/// A block's character limit, positive when given: recorded, not enforced on the value (as in
/// Letta since it made the limit advisory); the one rule for blocks (letta_create_block,
/// letta_update_block) and an agent's memory_blocks. `limit_arg` names the limit as the caller
/// knows it.
pub fn block_limit(limit: Option<i64>, limit_arg: &str) -> Result<(), InputError> {
    positive(limit, limit_arg).map(|_| ())
}

/// The keys of a memory block that are its columns; any other key of an element is kept in
/// the block's metadata (0.4.0 kept whole elements inline, and nothing given is dropped).
const BLOCK_KEYS: [&str; 6] = [
    "label",
    "value",
    "limit",
    "description",
    "metadata",
    "read_only",
];

/// An agent's memory_blocks (letta_create_agent, letta_create_agents, letta_update_agent):
/// objects with a label (unique in the list) and a string value that fits its optional
/// character limit; description a string, metadata an object, read_only a boolean. Returned as
/// the rows to write: label and value, and limit, description, metadata and read_only only
/// where given (an update keeps what is not given); other keys merged into metadata, whose own
/// keys win.
pub fn memory_blocks(value: &Value) -> Result<Value, InputError> {
    let items = value.as_array().ok_or_else(|| {
        InputError::invalid(format!(
            "memory_blocks must be a JSON array of {{label, value}} objects, got {}",
            json_type(value)
        ))
    })?;
    let mut labels: HashSet<&str> = HashSet::with_capacity(items.len());
    let mut rows = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        let at = format!("memory_blocks[{n}]");
        let obj = item.as_object().ok_or_else(|| {
            InputError::invalid(format!(
                "{at} must be an object with label and value, got {}",
                json_type(item)
            ))
        })?;
        let label = match obj.get("label") {
            Some(Value::String(l)) if !l.is_empty() => not_too_long(l, &format!("{at}.label"))?,
            _ => {
                return Err(InputError::invalid(format!(
                    "{at}.label must be a non-empty string"
                )))
            }
        };
        if !labels.insert(label) {
            return Err(InputError::invalid(format!(
                "{at}: label {} is used twice",
                quoted(label)
            )));
        }
        let wrong = |key: &str, want: &str, v: &Value| {
            InputError::invalid(format!(
                "{at} (label {}): {key} must be {want}, got {}",
                quoted(label),
                json_type(v)
            ))
        };
        let given = |key: &str| obj.get(key).filter(|v| !v.is_null());
        let text = match obj.get("value") {
            Some(Value::String(v)) => v,
            v => return Err(wrong("value", "a string", v.unwrap_or(&Value::Null))),
        };
        let limit = match given("limit") {
            None => None,
            Some(l) => Some(
                l.as_i64()
                    .filter(|n| i32::try_from(*n).is_ok())
                    .ok_or_else(|| wrong("limit", "an integer", l))?,
            ),
        };
        block_limit(limit, "limit").map_err(|e| InputError {
            message: format!("{at} (label {}): {}", quoted(label), e.message),
            ..e
        })?;
        let mut row = Map::new();
        row.insert("label".into(), Value::String(label.into()));
        row.insert("value".into(), Value::String(text.clone()));
        if let Some(l) = limit {
            row.insert("limit".into(), Value::from(l));
        }
        match given("description") {
            None => {}
            Some(d @ Value::String(_)) => {
                row.insert("description".into(), d.clone());
            }
            Some(d) => return Err(wrong("description", "a string", d)),
        }
        match given("read_only") {
            None => {}
            Some(r @ Value::Bool(_)) => {
                row.insert("read_only".into(), r.clone());
            }
            Some(r) => return Err(wrong("read_only", "a boolean", r)),
        }
        let mut metadata: Map<String, Value> = obj
            .iter()
            .filter(|(k, _)| !BLOCK_KEYS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        match given("metadata") {
            None => {}
            Some(Value::Object(m)) => metadata.extend(m.clone()),
            Some(m) => return Err(wrong("metadata", "a JSON object", m)),
        }
        if !metadata.is_empty() || given("metadata").is_some() {
            row.insert("metadata".into(), Value::Object(metadata));
        }
        rows.push(Value::Object(row));
    }
    Ok(Value::Array(rows))
}

/// Several property conditions for the identity lists (`properties`): a JSON array of
/// `{"key", "value"}` objects, the value optional (any value of that key), returned as the
/// containment filter that asks for all of them. A list value is refused, as in properties.
pub fn property_filters(value: &Value) -> Result<Value, InputError> {
    let items = value.as_array().ok_or_else(|| {
        InputError::invalid(format!(
            "properties must be a JSON array of {{key, value}} conditions, got {}",
            json_type(value)
        ))
    })?;
    too_many_properties(items.len())?;
    let mut filters = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        let at = format!("properties[{n}]");
        let obj = item.as_object().ok_or_else(|| {
            InputError::invalid(format!(
                "{at} must be an object with key and value, got {}",
                json_type(item)
            ))
        })?;
        if let Some(k) = obj.keys().find(|k| *k != "key" && *k != "value") {
            return Err(InputError::invalid(format!(
                "{at}: unknown key {} (a condition has key and value)",
                quoted(k)
            )));
        }
        let key = match obj.get("key") {
            Some(Value::String(k)) if !k.is_empty() => not_too_long(k, &format!("{at}.key"))?,
            _ => {
                return Err(InputError::invalid(format!(
                    "{at}.key must be a non-empty string"
                )))
            }
        };
        let mut filter = Map::new();
        filter.insert("key".into(), Value::String(key.into()));
        match obj.get("value") {
            None => {}
            Some(Value::Array(_)) => {
                return Err(InputError::invalid(format!(
                    "{at} (key {}): value must not be a list",
                    quoted(key)
                )))
            }
            Some(v) => {
                filter.insert("value".into(), v.clone());
            }
        }
        filters.push(Value::Object(filter));
    }
    Ok(Value::Array(filters))
}

/// The elements of letta_create_agents, each checked as letta_create_agent checks its
/// arguments, in one pass before anything is written: an error names the element and the key
/// (`agents[3].tags must not contain NULL (element 2)`). `known` is letta_create_agent's
/// argument names, the keys an element may have.
pub fn agents(value: &Value, known: &[&str]) -> Result<(), InputError> {
    let items = value.as_array().ok_or_else(|| {
        InputError::invalid(format!(
            "agents must be a JSON array of objects, got {}",
            json_type(value)
        ))
    })?;
    for (n, item) in items.iter().enumerate() {
        let at = format!("agents[{n}]");
        let obj = item.as_object().ok_or_else(|| {
            InputError::invalid(format!("{at} must be an object, got {}", json_type(item)))
        })?;
        if let Some(k) = obj.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(InputError::invalid(format!(
                "{at}: unknown key {}",
                quoted(k)
            )));
        }
        agent(obj).map_err(|e| InputError {
            message: format!("{at}.{}", e.message),
            ..e
        })?;
    }
    Ok(())
}

/// One element of letta_create_agents; messages start with the key (the caller prefixes the
/// element).
fn agent(obj: &Map<String, Value>) -> Result<(), InputError> {
    let given = |key: &str| obj.get(key).filter(|v| !v.is_null());
    let wrong = |key: &str, want: &str, v: &Value| {
        InputError::invalid(format!("{key} must be {want}, got {}", json_type(v)))
    };
    let text = |key: &str| match given(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(v) => Err(wrong(key, "a string", v)),
    };
    let strings = |key: &str| match given(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| match v {
                Value::Null => Ok(None),
                Value::String(s) => Ok(Some(s.as_str())),
                v => Err(wrong(key, "an array of strings", v)),
            })
            .collect(),
        Some(v) => Err(wrong(key, "an array of strings", v)),
    };
    for key in ["name", "model", "embedding"] {
        text(key)?;
    }
    // An id's own message names its kind: it follows the key.
    let after_key = |key: &'static str| {
        move |e: InputError| InputError {
            message: format!("{key}: {}", e.message),
            ..e
        }
    };
    if let Some(id) = text("id")? {
        crate::ids::parse("agent", id).map_err(after_key("id"))?;
    }
    tags(strings("tags")?)?;
    for (n, id) in strings("identity_ids")?.into_iter().enumerate() {
        let id = id.ok_or_else(|| {
            InputError::invalid(format!(
                "identity_ids must not contain NULL (element {})",
                n + 1
            ))
        })?;
        crate::ids::parse("identity", id).map_err(after_key("identity_ids"))?;
    }
    for (n, id) in strings("block_ids")?.into_iter().enumerate() {
        let id = id.ok_or_else(|| {
            InputError::invalid(format!(
                "block_ids must not contain NULL (element {})",
                n + 1
            ))
        })?;
        crate::ids::parse("block", id).map_err(after_key("block_ids"))?;
    }
    match given("context_window_limit") {
        None => {}
        Some(v) => match v.as_i64().filter(|n| i32::try_from(*n).is_ok()) {
            Some(n) => {
                positive(Some(n), "context_window_limit")?;
            }
            None => return Err(wrong("context_window_limit", "an integer", v)),
        },
    }
    if let Some(blocks) = given("memory_blocks") {
        memory_blocks(blocks)?;
    }
    project_id(text("project_id")?)?;
    match given("metadata") {
        None | Some(Value::Object(_)) => {}
        Some(v) => return Err(wrong("metadata", "a JSON object", v)),
    }
    match given("hidden") {
        None | Some(Value::Bool(_)) => {}
        Some(v) => return Err(wrong("hidden", "a boolean", v)),
    }
    Ok(())
}

#[pg_extern(immutable, parallel_safe)]
fn _letta_required(value: Option<&str>, arg: Option<&str>) -> String {
    or_raise!(required_text(value, given!(arg, "arg"))).to_owned()
}

#[pg_extern(immutable, parallel_safe)]
fn _letta_identity_type(identity_type: Option<&str>) -> String {
    or_raise!(self::identity_type(identity_type)).to_owned()
}

#[pg_extern(immutable, parallel_safe)]
fn _letta_project_id(project_id: Option<&str>) -> Option<String> {
    or_raise!(self::project_id(project_id)).map(str::to_owned)
}

/// A count argument that must be positive when given; NULL passes (it means "not given").
#[pg_extern(immutable, parallel_safe)]
fn _letta_positive(value: Option<i32>, arg: Option<&str>) -> Option<i32> {
    or_raise!(positive(value.map(i64::from), given!(arg, "arg"))).map(|n| n as i32)
}

/// The block rule for letta_create_block and letta_update_block (see block_limit). (The
/// value is no longer checked: the argument stays, fixed by the catalogs of earlier releases.)
#[pg_extern(immutable, parallel_safe)]
fn _letta_check_block(value: Option<&str>, char_limit: Option<i32>) {
    let _ = value;
    or_raise!(block_limit(char_limit.map(i64::from), "char_limit"))
}

/// The block rule for an agent's memory_blocks element that updates a block (letta_update_agent),
/// the message naming the label.
#[pg_extern(immutable, parallel_safe)]
fn _letta_check_memory_block(label: Option<&str>, value: Option<&str>, char_limit: Option<i32>) {
    let _ = value;
    or_raise!(
        block_limit(char_limit.map(i64::from), "limit").map_err(|e| {
            InputError {
                message: format!(
                    "memory_blocks (label {}): {}",
                    quoted(label.unwrap_or("")),
                    e.message
                ),
                ..e
            }
        })
    )
}

/// Tags to store; a NULL list is no tags.
#[pg_extern(immutable, parallel_safe)]
fn _letta_tags(tags: Option<Array<&str>>) -> Vec<String> {
    or_raise!(self::tags(tags.iter().flat_map(|a| a.iter())))
}

/// Guard for list arguments of read functions: true, or an error for a NULL element
/// (or a NULL list where one is required). Called in WHERE, it runs once per query.
#[pg_extern(immutable, parallel_safe)]
fn _letta_check_list(list: Option<Array<&str>>, arg: Option<&str>, required: Option<bool>) -> bool {
    let (arg, required) = (given!(arg, "arg"), given!(required, "required"));
    match list {
        None if required => raise!(InputError::invalid(format!("{arg} must not be NULL"))),
        None => true,
        Some(a) => match a.iter().position(|v| v.is_none()) {
            Some(n) => raise!(InputError::invalid(format!(
                "{arg} must not contain NULL (element {})",
                n + 1
            ))),
            None => true,
        },
    }
}

/// Properties to store; NULL is none.
#[pg_extern(immutable, parallel_safe)]
fn _letta_properties(properties: Option<JsonArg>) -> JsonB {
    match properties {
        None => JsonB(Value::Array(vec![])),
        Some(arg) => JsonB(or_raise!(arg
            .value("properties")
            .and_then(|v| self::properties(&v)))),
    }
}

/// Properties that must be given (a whole new list): NULL is an error.
/// (A new name rather than a new argument: a C function's arguments are fixed for the catalogs
/// of earlier releases, which call this library until they are updated.)
#[pg_extern(immutable, parallel_safe)]
fn _letta_required_properties(properties: Option<JsonArg>) -> JsonB {
    JsonB(or_raise!(given!(properties, "properties")
        .value("properties")
        .and_then(|v| self::properties(&v))))
}

#[pg_extern(immutable, parallel_safe)]
fn _letta_merge_properties(old: Option<JsonArg>, new: Option<JsonArg>) -> JsonB {
    let old = match old {
        None => Value::Array(vec![]),
        Some(arg) => or_raise!(arg.value("properties")),
    };
    match new {
        None => JsonB(or_raise!(properties(&old))),
        Some(arg) => JsonB(or_raise!(arg
            .value("properties")
            .and_then(|new| merge_properties(&old, &new)))),
    }
}

/// 0.4.0's filter for one property, no longer in the install script: the library keeps its
/// symbol for databases at 0.4.0 or earlier (their scripts create it) until they update.
#[pg_extern(immutable, parallel_safe, sql = false)]
fn _letta_property_filter(key: Option<&str>, value: Option<JsonArg>) -> JsonB {
    match _letta_property_filters(Some(given!(key, "property_key")), value, None) {
        Some(filter) => filter,
        None => unreachable!("a key makes a filter"),
    }
}

/// The identity lists' filter, one containment that the GIN index on properties serves:
/// `{"key": property_key}` (with `"value": property_value` when given) and the conditions of
/// properties, all together; NULL when none is given. (property_value without a key filters
/// nothing, as before properties came.)
#[pg_extern(immutable, parallel_safe)]
fn _letta_property_filters(
    key: Option<&str>,
    value: Option<JsonArg>,
    properties: Option<JsonArg>,
) -> Option<JsonB> {
    let mut filters = Vec::new();
    if let Some(key) = key {
        let mut p = Map::new();
        p.insert("key".into(), Value::String(key.to_owned()));
        if let Some(arg) = value {
            p.insert("value".into(), or_raise!(arg.value("property_value")));
        }
        filters.push(Value::Object(p));
    }
    if let Some(arg) = properties {
        match or_raise!(arg.value("properties").and_then(|v| property_filters(&v))) {
            Value::Array(more) => filters.extend(more),
            _ => unreachable!("property_filters returns an array"),
        }
    }
    (!filters.is_empty()).then_some(JsonB(Value::Array(filters)))
}

#[pg_extern(immutable, parallel_safe)]
fn _letta_page_size(page_size: Option<i32>) -> i32 {
    or_raise!(self::page_size(page_size))
}

/// order_by of the agent and identity lists: true for updated_at.
#[pg_extern(immutable, parallel_safe)]
fn _letta_by_update(order_by: Option<&str>) -> bool {
    or_raise!(self::by_update(order_by))
}

/// letta_create_agents' elements, all checked (agents()); true, or an error naming the element.
#[pg_extern(immutable, parallel_safe)]
fn _letta_check_agents(agents: Option<JsonArg>, known: Option<Array<&str>>) -> bool {
    let known = given!(known, "known");
    let known: Vec<&str> = known.iter().flatten().collect();
    match agents {
        None => raise!(InputError::invalid(
            "agents must be a JSON array of objects, got NULL"
        )),
        Some(arg) => or_raise!(arg.value("agents").and_then(|v| self::agents(&v, &known))),
    }
    true
}

#[pg_extern(immutable, parallel_safe)]
fn _letta_memory_blocks(memory_blocks: Option<JsonArg>) -> JsonB {
    match memory_blocks {
        None => JsonB(Value::Array(vec![])),
        Some(arg) => JsonB(or_raise!(arg
            .value("memory_blocks")
            .and_then(|v| self::memory_blocks(&v)))),
    }
}

#[pg_extern(immutable, parallel_safe)]
fn _letta_metadata(metadata: Option<JsonArg>) -> JsonB {
    match metadata.map(|arg| arg.value("metadata")) {
        None => JsonB(Value::Object(Map::new())),
        Some(Ok(v)) if v.is_object() => JsonB(v),
        Some(Ok(v)) => raise!(InputError::invalid(format!(
            "metadata must be a JSON object, got {}",
            json_type(&v)
        ))),
        Some(Err(e)) => raise!(e),
    }
}

#[cfg(any(test, feature = "pg_test"))]
#[pg_schema]
mod tests {
    use super::*;
    use serde_json::json;

    #[pg_test]
    fn properties_are_checked_against_their_type() {
        let ok = properties(&json!([
            {"key": "plan", "value": "pro", "type": "string"},
            {"key": "age", "value": 29, "type": "number"},
            {"key": "vip", "value": true, "type": "boolean"},
            {"key": "prefs", "value": {"lang": "en"}, "type": "json"}
        ]));
        assert_eq!(ok.unwrap().as_array().unwrap().len(), 4);
        for (bad, says) in [
            (json!({}), "must be a JSON array"),
            (json!([1]), "properties[0] must be an object"),
            (
                json!([{"key": "", "value": 1, "type": "number"}]),
                "properties[0].key",
            ),
            (
                json!([{"key": "a", "value": 1, "type": "int"}]),
                "\"int\" is invalid",
            ),
            (
                json!([{"key": "a", "value": "1", "type": "number"}]),
                "must be a number for type number, got string",
            ),
            (
                json!([{"key": "a", "value": [1], "type": "json"}]),
                "must be an object for type json, got array",
            ),
            (json!([{"key": "a", "type": "string"}]), "has no value"),
            (
                json!([{"key": "a", "value": "x", "type": "string", "extra": 1}]),
                "unknown field \"extra\"",
            ),
        ] {
            let e = properties(&bad).unwrap_err();
            assert_eq!(e.code, PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE);
            assert!(e.message.contains(says), "{} !~ {says}", e.message);
        }
    }

    #[pg_test]
    fn repeated_property_key_keeps_first_position_last_value() {
        let p = properties(&json!([
            {"key": "a", "value": 1, "type": "number"},
            {"key": "b", "value": 2, "type": "number"},
            {"key": "a", "value": 3, "type": "number"}
        ]))
        .unwrap();
        assert_eq!(
            p,
            json!([{"key": "a", "value": 3, "type": "number"}, {"key": "b", "value": 2, "type": "number"}])
        );
    }

    #[pg_test]
    fn properties_have_a_limit_on_every_path() {
        let list = |from: usize, to: usize| {
            Value::Array(
                (from..to)
                    .map(|n| json!({"key": format!("k{n}"), "value": n, "type": "number"}))
                    .collect(),
            )
        };
        assert!(properties(&list(0, MAX_PROPERTIES)).is_ok());
        let e = properties(&list(0, MAX_PROPERTIES + 1)).unwrap_err();
        assert_eq!(
            e.message,
            "properties has 10001 entries, over the limit of 10000"
        );
        // Merged: the old keys and the new ones together.
        assert!(merge_properties(&list(0, 6000), &list(0, 6000)).is_ok());
        assert!(merge_properties(&list(0, 6000), &list(6000, 12000)).is_err());
    }

    #[pg_test]
    fn merged_properties_keep_places_and_append_new_keys() {
        let old = json!([
            {"key": "a", "value": 1, "type": "number"},
            {"key": "b", "value": "x", "type": "string"}
        ]);
        let new = json!([
            {"key": "c", "value": true, "type": "boolean"},
            {"key": "a", "value": 2, "type": "number"}
        ]);
        assert_eq!(
            merge_properties(&old, &new).unwrap(),
            json!([
                {"key": "a", "value": 2, "type": "number"},
                {"key": "b", "value": "x", "type": "string"},
                {"key": "c", "value": true, "type": "boolean"}
            ])
        );
        assert!(merge_properties(&old, &json!([{"key": "a"}])).is_err());
        // A stored value not of its type (imported from Letta) stays as it is.
        let imported = json!([{"key": "age", "value": "29", "type": "number"}]);
        let b = json!([{"key": "b", "value": 1, "type": "number"}]);
        assert_eq!(merge_properties(&imported, &b).unwrap()[0], imported[0]);
    }

    #[pg_test]
    fn page_size_is_at_least_one() {
        assert_eq!(page_size(Some(1)).unwrap(), 1);
        assert!(page_size(Some(0))
            .unwrap_err()
            .message
            .contains("at least 1, got 0"));
        assert!(page_size(None).is_err());
    }

    #[pg_test]
    fn tags_are_a_sorted_set() {
        assert_eq!(
            tags([Some("b"), Some("a"), Some("b")]).unwrap(),
            vec!["a", "b"]
        );
        assert!(tags([Some("a"), None])
            .unwrap_err()
            .message
            .contains("element 2"));
        assert!(tags([Some("")]).unwrap_err().message.contains("empty tag"));
        assert!(tags(std::iter::empty()).unwrap().is_empty());
    }

    #[pg_test]
    fn memory_blocks_need_label_and_value_their_limit_advisory() {
        assert!(memory_blocks(&json!([{"label": "human", "value": "Caren", "limit": 5}])).is_ok());
        // Rows to write: given columns only, other keys in metadata (metadata's own keys win).
        assert_eq!(
            memory_blocks(
                &json!([{"label": "h", "value": "v", "template": "t", "x": 1,
                                   "metadata": {"x": 2}, "read_only": true}])
            )
            .unwrap(),
            json!([{"label": "h", "value": "v", "read_only": true,
                    "metadata": {"template": "t", "x": 2}}])
        );
        assert_eq!(
            memory_blocks(&json!([{"label": "h", "value": "", "limit": null}])).unwrap(),
            json!([{"label": "h", "value": ""}])
        );
        // The limit is advisory, as in Letta: a longer value is kept.
        assert_eq!(
            memory_blocks(&json!([{"label": "h", "value": "abc", "limit": 2}])).unwrap(),
            json!([{"label": "h", "value": "abc", "limit": 2}])
        );
        for (bad, says) in [
            (json!({}), "must be a JSON array"),
            (json!([{"value": "x"}]), "label must be a non-empty string"),
            (
                json!([{"label": "h", "value": 1}]),
                "value must be a string",
            ),
            (
                json!([{"label": "h", "value": "a", "limit": 0}]),
                "limit must be positive, got 0",
            ),
            (
                json!([{"label": "h", "value": ""}, {"label": "h", "value": ""}]),
                "used twice",
            ),
            (
                json!([{"label": "h", "value": "", "limit": 3000000000u64}]),
                "limit must be an integer",
            ),
            (
                json!([{"label": "h", "value": "", "description": 1}]),
                "description must be a string, got number",
            ),
            (
                json!([{"label": "h", "value": "", "metadata": []}]),
                "metadata must be a JSON object, got array",
            ),
            (
                json!([{"label": "h", "value": "", "read_only": "yes"}]),
                "read_only must be a boolean, got string",
            ),
            (json!([{"label": "h"}]), "value must be a string, got null"),
        ] {
            assert!(
                memory_blocks(&bad).unwrap_err().message.contains(says),
                "{says}"
            );
        }
    }

    #[pg_test]
    fn property_filters_are_conditions_with_a_key() {
        assert_eq!(
            property_filters(&json!([{"key": "plan", "value": "pro"}, {"key": "vip"}])).unwrap(),
            json!([{"key": "plan", "value": "pro"}, {"key": "vip"}])
        );
        for (bad, says) in [
            (json!({}), "must be a JSON array"),
            (json!([1]), "must be an object"),
            (json!([{"value": 1}]), "key must be a non-empty string"),
            (
                json!([{"key": "a", "type": "string"}]),
                "unknown key \"type\"",
            ),
            (json!([{"key": "a", "value": [1]}]), "must not be a list"),
        ] {
            assert!(
                property_filters(&bad).unwrap_err().message.contains(says),
                "{says}"
            );
        }
    }

    #[pg_test]
    fn order_by_is_one_of_two() {
        assert!(!by_update(Some("created_at")).unwrap());
        assert!(by_update(Some("updated_at")).unwrap());
        assert!(by_update(Some("name"))
            .unwrap_err()
            .message
            .contains("invalid order_by \"name\""));
        assert!(by_update(None).is_err());
    }

    #[pg_test]
    fn identity_type_and_required_text() {
        assert_eq!(identity_type(Some("org")).unwrap(), "org");
        assert!(identity_type(Some("admin"))
            .unwrap_err()
            .message
            .contains("\"admin\""));
        assert!(required_text(None, "name")
            .unwrap_err()
            .message
            .contains("name must not be NULL"));
        assert!(required_text(Some(""), "name")
            .unwrap_err()
            .message
            .contains("name must not be empty"));
        assert!(project_id(Some("")).is_err());
        assert_eq!(project_id(None).unwrap(), None);
    }

    #[pg_test(error = "arg must not be NULL")]
    fn internal_helpers_refuse_null_without_panicking() {
        Spi::run("SELECT _letta_check_list(NULL, NULL, NULL)").unwrap();
    }

    #[pg_test(error = "metadata must be a JSON object, got array")]
    fn metadata_must_be_an_object() {
        Spi::run("SELECT _letta_metadata('[]')").unwrap();
    }

    #[pg_test]
    fn keys_and_tags_have_limits() {
        let long = "k".repeat(MAX_TEXT_BYTES + 1);
        assert!(required_text(Some(&long), "identifier_key")
            .unwrap_err()
            .message
            .contains("identifier_key \"kkk"));
        assert!(required_text(Some(&long[1..]), "identifier_key").is_ok());
        assert!(project_id(Some(&long))
            .unwrap_err()
            .message
            .contains("longer than 1000 bytes"));
        assert!(tags([Some(long.as_str())]).is_err());
        let many: Vec<String> = (0..=MAX_TAGS).map(|n| n.to_string()).collect();
        let e = tags(many.iter().map(|t| Some(t.as_str()))).unwrap_err();
        assert!(
            e.message.contains("at most 1000 tags, got 1001"),
            "{}",
            e.message
        );
    }

    #[pg_test]
    fn long_values_are_cut_in_messages() {
        let long = "x".repeat(1_000_000);
        let e = identity_type(Some(&long)).unwrap_err();
        assert!(e.message.len() < 200, "{}", e.message.len());
        assert!(e.message.contains("(1000000 bytes)"));
    }
}
