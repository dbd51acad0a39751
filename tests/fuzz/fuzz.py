"""Call every function of the extension with generated arguments: random values and the
boundary cases (NULL, empty, malformed and wrong-kind ids, 1 MB strings, 100,000-element
arrays, non-ASCII and control characters, SQL fragments, bad JSON shapes), most in a valid
organization. No call may crash the backend or fail with an internal error (XX000) or a
SQLSTATE outside those its function documents (allowed()).

Then the sized pass: every function again, once per text, array and JSON argument, that
argument at 1x, 10x and 100x a typical size and (JSON) nested 129 and 1,000 levels deep, the
other arguments plausible; the same rule holds for each outcome.

Usage: fuzz.py CALLS [SEED]   (connects with PGHOST, PGPORT, PGUSER, PGDATABASE)
Prints the SQLSTATEs seen and ends with 'fuzz: N passed, N failed' (calls).
"""
import collections
import json
import re
import random
import sys
import time
import uuid

import psycopg
from psycopg import sql

# The SQLSTATEs each function may answer (README, Errors): every function's input checks, and
# per function what only it can raise. Anything else is a failure, whatever other function
# documents it.
COMMON = {"22023", "22P02", "P0002"}
ALLOWED_BY_NAME = [  # (a pattern of function names, the SQLSTATEs they add)
    (r"create|upsert|attach|update_(agent|block|identity)|_link|bind|switching", {"23505"}),
    (r"bind_role|allow_switching|require_end_user", {"42704", "42501"}),
    (r"distribute", {"55000"}),
    (r"^letta_import_from_letta$", {"3F000", "42P01", "42703", "42809", "42804"}),
]


def allowed(name):
    """The SQLSTATEs function name may answer."""
    return COMMON.union(*(codes for pattern, codes in ALLOWED_BY_NAME if re.search(pattern, name)))
SQL_FRAGMENTS = ["'; DROP TABLE letta_agents; --", "\" OR 1=1 --", "$$; SELECT 1; $$", "%s %L %I", "\\x00"]
ODD = ["", " ", "ü日本🙂", "tab\tnew\nline\x01\x1f", "a" * 300, "NULL", "null", "-1"]


class Gen:
    def __init__(self, rnd, known):
        self.r = rnd
        self.known = known  # ids seen so far, by kind

    def uuid4(self):
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def an_id(self, kind=None):
        kind = kind or self.r.choice(["identity", "agent", "block", "org"])
        pick = self.r.random()
        if pick < 0.5 and self.known[kind]:
            return self.r.choice(self.known[kind])
        if pick < 0.7:
            return f"{kind}-{self.uuid4()}"
        return self.r.choice([
            f"{kind}-", kind, f"{kind}-{self.uuid4().upper()}", f"{kind}-{self.uuid4()}x",
            f"{kind}-{uuid.uuid1()}", f"{self.r.choice(['agent', 'identity'])}-{self.uuid4()}",
            f" {kind}-{self.uuid4()}", f"{kind}-{'0' * 36}",
        ])

    def text(self, name):
        r = self.r.random()
        if r < 0.08:
            return None
        if r < 0.01 + 0.08:
            return "x" * 1_000_000
        if "id" in name.split("_") or name in ("before", "after", "identity", "agent"):
            return self.an_id(name.split("_")[0] if name.endswith("_id") else None)
        if r < 0.35:
            return self.r.choice(ODD + SQL_FRAGMENTS)
        if name in ("identity_type",):
            return self.r.choice(["user", "org", "other", "admin", "USER"])
        if name in ("prefix", "kind"):
            return self.r.choice(["agent", "identity", "block", "org", ""])
        return self.r.choice(["user_", "tag_", "name ", "p"]) + str(self.r.randint(0, 30))

    def text_array(self, name):
        r = self.r.random()
        if r < 0.1:
            return None
        if r < 0.2:
            return []
        if r < 0.22:
            return [f"t{i}" for i in range(100_000)]
        n = self.r.randint(1, 6)
        if name.endswith("_ids"):
            items = [self.an_id(name.split("_")[0]) for _ in range(n)]
        else:
            items = [self.text("tag") for _ in range(n)]
        if self.r.random() < 0.1:
            items[self.r.randrange(n)] = None
        return items

    def jsonb(self, name):
        r = self.r.random()
        if r < 0.1:
            return None
        shapes = [
            [], {}, 1, "s", None, [1], [None], [{"key": "k", "value": "v", "type": "string"}],
            [{"key": "k", "value": 1, "type": "string"}], [{"key": "", "value": 1, "type": "number"}],
            [{"key": "j", "value": {"a": [1, 2]}, "type": "json"}, {"key": "j", "value": True, "type": "boolean"}],
            [{"label": "human", "value": "x", "limit": 1}], [{"label": "h", "value": "xy", "limit": 1}],
            [{"label": "h", "value": "v"}, {"label": "h", "value": "v"}], {"a": {"b": {"c": [1, {"d": None}]}}},
            [{"key": "x" * 10_000, "value": "y" * 10_000, "type": "string"}], "pro", 0, 1e300,
        ]
        return json.dumps(self.r.choice(shapes))

    def value(self, typ, name):
        if typ == "text":
            return self.text(name)
        if typ == "text[]":
            return self.text_array(name)
        if typ == "jsonb":
            return self.jsonb(name)
        if typ == "integer":
            return self.r.choice([None, 0, -1, 1, 2, 50, 2**31 - 1, -(2**31)])
        if typ == "boolean":
            return self.r.choice([None, True, False])
        if typ == "uuid":
            return self.r.choice([None, self.uuid4(), "00000000-0000-4000-8000-000000000000"])
        if typ == "uuid[]":
            return self.r.choice([None, [], [self.uuid4()], [None]])
        if typ == "name":  # a schema (letta_import_from_letta): none, missing, or not Letta's
            return self.r.choice([None, "public", "no_such_schema", "pg_catalog", *ODD[:3]])
        if typ == "timestamp with time zone":
            return self.r.choice([None, "2026-01-01 00:00+00"])
        return None  # composite row arguments: NULL only


TYPICAL = 10  # elements of a typical array, keys of a typical object; a typical text is 20 chars


def sized(typ, name, n, depth=None):
    """An argument of this type at n times a typical size, or (JSON) nested depth levels."""
    if depth is not None:
        # As text: json.dumps of a 1,000-level value would hit Python's own recursion limit.
        return '{"a":' * depth + "1" + "}" * depth
    if typ == "text":
        return ("sized " * 4)[:20] * n
    if typ == "text[]":
        stem = next((k for k in ("agent", "identity", "block") if name.startswith(k)), None)
        if stem:
            return [f"{stem}-{uuid.UUID(int=i + 1, version=4)}" for i in range(TYPICAL * n)]
        return [f"sized_{i}" for i in range(TYPICAL * n)]
    count = TYPICAL * n
    if name == "properties":
        value = [{"key": f"k{i}", "value": i, "type": "number"} for i in range(count)]
    elif name == "memory_blocks":
        value = [{"label": f"l{i}", "value": "v" * 20} for i in range(count)]
    elif name == "agents":
        value = [{"name": f"sized {i}", "tags": ["sized"], "metadata": {"i": i}} for i in range(count)]
    else:
        value = {f"k{i}": i for i in range(count)}
    return json.dumps(value)


def plausible(typ, name, gen):
    """A value for the other arguments of a sized call: the ones a caller would pass."""
    if typ == "text":
        if name.endswith("_id") or name in ("before", "after"):
            kind = name.split("_")[0]
            return gen.r.choice(gen.known[kind]) if name.endswith("_id") and gen.known[kind] else None
        return None if name in ("project_id", "query_text", "property_key") else f"sized_{gen.r.randint(0, 10**9)}"
    return None


def sized_pass(conn, fns, gen, seen, failures):
    calls = 0
    took = {}  # (signature, argument, n) -> seconds, for the growth report
    for name, signature, types, argnames in fns:
        for at, (typ, arg) in enumerate(zip(types, argnames)):
            if typ not in ("text", "text[]", "jsonb"):
                continue
            variants = [(n, None) for n in (1, 10, 100)] + ([(1, 129), (1, 1000)] if typ == "jsonb" else [])
            for n, depth in variants:
                args = [sized(t, a, n, depth) if i == at else plausible(t, a, gen)
                        for i, (t, a) in enumerate(zip(types, argnames))]
                calls += 1
                started = time.perf_counter()
                conn = call(conn, name, signature, types, args, seen, failures, gen.known)
                if depth is None:
                    took[(signature, arg, n)] = time.perf_counter() - started
    # How the cost grows from 10x to 100x the typical size (BENCHMARKS.md; not asserted here:
    # timings belong to the benchmark). Calls under a millisecond at 100x are left out.
    growth = sorted(((took[(sig, arg, 100)] / max(took[(sig, arg, 10)], 1e-6), sig, arg, took[(sig, arg, 100)])
                     for (sig, arg, n) in took if n == 100 and took[(sig, arg, 100)] > 0.001), reverse=True)
    for ratio, sig, arg, t in growth[:8]:
        print(f"growth 10x->100x: {ratio:5.1f}x  {t * 1000:8.1f} ms at 100x  {sig} {arg}")
    return conn, calls


def call(conn, name, signature, types, args, seen, failures, known):
    """One call; its outcome counted in seen, an undocumented one added to failures."""
    query = sql.SQL("SELECT * FROM {}({})").format(
        sql.Identifier(name),
        sql.SQL(", ").join(sql.SQL("{}::{}").format(sql.Placeholder(), sql.SQL(t)) for t in types))
    try:
        rows = conn.execute(query, args).fetchall()
        seen["ok"] += 1
        for row in rows:
            for v in row:
                if isinstance(v, str):
                    for kind in ("identity", "agent", "block"):
                        if v.startswith(kind + "-") and len(v) == len(kind) + 37:
                            known[kind].append(v)
    except psycopg.OperationalError as e:
        if e.sqlstate is not None and not conn.closed:  # an error class 08/53-58 raised by a call
            seen[e.sqlstate] += 1
            if e.sqlstate not in allowed(name):
                failures.append(f"{signature}: {e.sqlstate} {str(e).splitlines()[0][:200]}")
            return conn
        failures.append(f"{signature}: connection lost: {e}")
        conn = psycopg.connect("", autocommit=True)
        conn.execute("SET statement_timeout = '20s'")
    except psycopg.Error as e:
        if e.sqlstate is None:  # refused by the client itself (a NUL byte): not a call
            return conn
        seen[e.sqlstate] += 1
        if e.sqlstate not in allowed(name):
            shown = [a if not isinstance(a, (str, list)) or len(a) < 60 else f"<{len(a)}>" for a in args]
            failures.append(f"{signature} {shown}: {e.sqlstate} {str(e).splitlines()[0][:200]}")
    return conn


def functions(conn):
    """The public functions, and the Rust helpers (the SQL helpers are internal: only the
    public functions call them, with checked arguments; the tag operators' estimator is the
    planner's)."""
    return conn.execute("""
        SELECT p.proname, p.oid::regprocedure::text,
               array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t),
               coalesce(p.proargnames[1:p.pronargs], array_fill(''::text, ARRAY[p.pronargs]))
          FROM pg_proc p
          JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
          JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'letta_identity'
         WHERE (p.proname LIKE 'letta\\_%' OR p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c'))
           -- planner support functions (internal arguments) cannot be called from SQL
           AND NOT 'internal'::regtype = ANY (p.proargtypes)
         ORDER BY 1, 2""").fetchall()


def main():
    calls = int(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rnd = random.Random(seed)
    known = collections.defaultdict(list)
    seen = collections.Counter()
    failures = []
    conn = psycopg.connect("", autocommit=True)
    conn.execute("SET statement_timeout = '20s'")
    fns = functions(conn)
    gen = Gen(rnd, known)
    valid = ["org-00000000-0000-4000-8000-000000000000", "org-66666666-6666-4666-8666-666666666666"]
    organization = valid[0]
    for n in range(calls):
        name, signature, types, argnames = rnd.choice(fns)
        # Most calls in a valid organization (so that they reach the function's own checks),
        # now and then the other one; one call in twenty in an invalid one, for that call only.
        if rnd.random() < 0.05:
            organization = rnd.choice(valid)
        bad = rnd.random() < 0.05
        conn.execute("SELECT set_config('letta.organization_id', %s, false)",
                     (rnd.choice(["", "acme"]) if bad else organization,))
        args = [gen.value(t, a) for t, a in zip(types, argnames)]
        conn = call(conn, name, signature, types, args, seen, failures, known)
    conn.execute("SELECT set_config('letta.organization_id', 'org-00000000-0000-4000-8000-000000000000', false)")
    conn, sized_calls = sized_pass(conn, fns, gen, seen, failures)
    calls += sized_calls
    print("outcomes:", dict(sorted(seen.items())))
    for f in failures[:30]:
        print("not ok:", f)
    print(f"fuzz: {calls - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
