"""Tenancy behind PgBouncer in transaction mode (started by tests/pooler/run).

Each case has clients share one server connection and checks that every call ends in the
right organization's rows or a clear error, never another organization's rows. Then a
concurrent run: 8 clients of 4 organizations through a 2-connection pool, every row checked.
"""
import os
import random
import sys
import threading
import time
import traceback

import psycopg

PORT = int(os.environ["LETTA_POOLER_PORT"])
SECONDS = float(os.environ.get("LETTA_POOLER_SECONDS", "30"))
ORG = {k: f"org-{k * 8}-{k * 4}-4{k * 3}-8{k * 3}-{k * 12}" for k in "abcd"}
A, B = ORG["a"], ORG["b"]
SWITCHER = "letta_px_switcher"

passed = failed = 0


def connect(pool, user, **options):
    """A client of the pooler, in autocommit (each statement its own transaction unless BEGIN),
    with psycopg's automatic server-side prepare off (see the prepared-statement case)."""
    options.setdefault("prepare_threshold", None)
    return psycopg.connect(host="127.0.0.1", port=PORT, dbname=pool, user=user,
                           autocommit=True, **options)


class Refused(Exception):
    def __init__(self, error):
        super().__init__(f"{error.sqlstate}: {error.diag.message_primary}")
        self.sqlstate = error.sqlstate
        self.message = error.diag.message_primary
        self.hint = error.diag.message_hint or ""


def run(conn, *statements):
    """Run statements in one transaction; the last one's rows, or Refused with its SQLSTATE."""
    try:
        with conn.transaction():
            rows = None
            for statement in statements:
                sql, params = (statement, None) if isinstance(statement, str) else statement
                cur = conn.execute(sql, params)
                rows = cur.fetchall() if cur.description else None
            return rows
    except psycopg.errors.Error as error:
        raise Refused(error) from None


def refused(conn, *statements):
    """The Refused of statements that must fail."""
    try:
        rows = run(conn, *statements)
    except Refused as r:
        return r
    raise AssertionError(f"expected an error, got rows {rows}")


def orgs_of_identities(conn, *before):
    """The organizations of the identities a transaction lists (after statements `before`)."""
    return {org for (org,) in run(conn, *before, "SELECT organization_id FROM letta_list_identities()")}


def set_local(org):
    return f"SET LOCAL letta.organization_id = '{org}'"


def backend(conn):
    return run(conn, "SELECT pg_backend_pid()")[0][0]


def case(function):
    global passed, failed
    try:
        function()
        print(f"ok - {function.__doc__}")
        passed += 1
    except Exception:  # noqa: BLE001 -- every failure is reported, then the next case runs
        print(f"not ok - {function.__doc__}")
        print("    " + traceback.format_exc().replace("\n", "\n    "))
        failed += 1
    return function


@case
def leak_scenario():
    """a session SET by one client is not another client's organization (the reported leak)"""
    a, b = connect("single", SWITCHER), connect("single", SWITCHER)
    assert backend(a) == backend(b), "both clients must share the one server connection"
    a.execute(f"SET letta.organization_id = '{A}'")  # a session-level SET: its own transaction
    r = refused(a, "SELECT * FROM letta_create_identity('leak_probe', 'Probe')")
    assert r.sqlstate == "22023" and "not set in this transaction" in r.message, r
    assert "SET LOCAL letta.organization_id" in r.hint, r.hint
    r = refused(b, "SELECT * FROM letta_list_identities()")
    assert r.sqlstate == "22023" and "not set in this transaction" in r.message, r
    # A statement of B's own, naming nothing, reads no table either.
    r = refused(b, "SELECT organization_id FROM letta_identities")
    assert r.sqlstate == "22023", r


@case
def plain_set_inside_a_transaction():
    """a plain SET counts in its own transaction, and is refused in the next client's"""
    a, b = connect("single", SWITCHER), connect("single", SWITCHER)
    assert orgs_of_identities(a, f"SET letta.organization_id = '{A}'") == {A}
    r = refused(b, "SELECT * FROM letta_list_identities()")
    assert r.sqlstate == "22023" and "not set in this transaction" in r.message, r
    assert orgs_of_identities(b, set_local(B)) == {B}


@case
def set_local_then_a_bare_call():
    """SET LOCAL in one client, then a bare call in the next: 22023, not set"""
    a, b = connect("single", SWITCHER), connect("single", SWITCHER)
    a.execute("RESET letta.organization_id")  # what the cases before left on the connection
    assert orgs_of_identities(a, set_local(A)) == {A}
    r = refused(b, "SELECT * FROM letta_list_identities()")
    assert r.sqlstate == "22023" and "is not set" in r.message, r
    assert "SET LOCAL" in r.hint, r.hint


@case
def set_config_session_wide():
    """set_config(..., false) counts in its own transaction only"""
    a, b = connect("single", SWITCHER), connect("single", SWITCHER)
    assert orgs_of_identities(a, f"SELECT set_config('letta.organization_id', '{A}', false)") == {A}
    for client in (a, b):
        r = refused(client, "SELECT * FROM letta_list_identities()")
        assert r.sqlstate == "22023" and "not set in this transaction" in r.message, r
    assert orgs_of_identities(b, f"SELECT set_config('letta.organization_id', '{B}', true)") == {B}


@case
def one_statement_string():
    """'SET LOCAL ...; SELECT ...' sent as one query string is one transaction"""
    a = connect("single", SWITCHER)
    cur = a.execute(f"{set_local(B)}; SELECT organization_id FROM letta_list_identities()")
    while cur.description is None and cur.nextset():  # past the SET's result
        pass
    rows = cur.fetchall()
    assert {org for (org,) in rows} == {B} and len(rows) >= 3, rows


@case
def bound_role_ignores_what_others_left():
    """a bound role sharing a pool with a switching role keeps its organization"""
    s, t = connect("shared", "letta_px_client"), connect("shared", "letta_px_client")
    assert backend(s) == backend(t)
    # The switching client leaves a session-level setting on the shared server connection.
    assert orgs_of_identities(s, "SET LOCAL ROLE letta_px_switcher",
                              f"SET letta.organization_id = '{A}'") == {A}
    assert orgs_of_identities(t, "SET LOCAL ROLE letta_px_b") == {B}
    assert run(t, "SET LOCAL ROLE letta_px_b", "SELECT letta_current_organization()") == [(B,)]
    # Asking for another organization in the transaction is refused, as without a pooler.
    r = refused(t, "SET LOCAL ROLE letta_px_b", set_local(A), "SELECT * FROM letta_list_identities()")
    assert r.sqlstate == "42501", r
    # The login role itself is bound to nothing.
    r = refused(t, "SELECT * FROM letta_list_identities()")
    assert r.sqlstate == "42501", r


@case
def bound_roles_on_their_own_pools():
    """bound roles logging in as themselves get their own rows whatever the switcher left"""
    s = connect("single", SWITCHER)
    s.execute(f"SET letta.organization_id = '{A}'")
    for key in "abcd":
        client = connect("single", f"letta_px_{key}")
        assert orgs_of_identities(client) == {ORG[key]}
        rows = run(client, "SELECT DISTINCT organization_id FROM letta_agents")
        assert rows == [(run(client, "SELECT _letta_org()")[0][0],)], rows


@case
def end_user_per_transaction():
    """an end user named by one client is not the next client's: each names its own"""
    a, b = connect("single", "letta_px_end_users"), connect("single", "letta_px_end_users")
    assert backend(a) == backend(b)
    agents = "SELECT name FROM letta_list_agents() ORDER BY name"
    assert run(a, "SET LOCAL letta.identifier_key = 'user_1'", agents) == [("agent 1",)]
    a.execute("SET letta.identifier_key = 'user_1'")  # a session-level SET: its own transaction
    for statement in (agents, "SELECT name FROM letta_agents"):
        r = refused(b, statement)
        assert r.sqlstate == "22023" and "not set in this transaction" in r.message, r
        assert "SET LOCAL letta.identifier_key" in r.hint, r.hint
    assert run(b, ("SELECT set_config('letta.identifier_key', %s, true)", ["user_2"]), agents) == [("agent 2",)]
    assert run(b, "SET LOCAL letta.identifier_key = 'user_2'", "SELECT name FROM letta_agents") == [("agent 2",)]
    a.execute("RESET letta.identifier_key")


@case
def parameters_without_named_statements():
    """parameterized calls (extended protocol, unnamed statements) work through the pooler"""
    a = connect("single", SWITCHER)
    rows = run(a, (f"SELECT set_config('letta.organization_id', %s, true)", [A]),
               ("SELECT organization_id, name FROM letta_agents_by_key(%s)", [["user_1", "user_2"]]))
    assert sorted(rows) == [(A, "agent 1"), (A, "agent 2")], rows


@case
def named_prepared_statements_collide():
    """protocol-level prepared statements: PgBouncer 1.18 does not track them, the second
    client's prepare fails (42P05), never with another organization's rows"""
    a = connect("single", SWITCHER, prepare_threshold=0)  # prepare every statement
    b = connect("single", SWITCHER, prepare_threshold=0)
    query = "SELECT organization_id FROM letta_list_identities()"
    assert {o for (o,) in run(a, set_local(A), query)} == {A}
    r = refused(b, set_local(B), query)
    assert r.sqlstate == "42P05", r  # prepared statement "_pg3_0" already exists
    connect("single", SWITCHER).execute("DEALLOCATE ALL")


@case
def another_clients_plan_reads_this_transactions_organization():
    """a prepared plan left on the connection (SQL PREPARE, generic plan) reads the organization
    of the transaction that executes it"""
    a, b = connect("single", SWITCHER), connect("single", SWITCHER)
    statement = "PREPARE px_orgs AS SELECT organization_id FROM letta_list_identities()"
    run(a, set_local(A), statement, *["EXECUTE px_orgs"] * 6)  # past 5 runs: a generic plan
    assert {o for (o,) in run(b, set_local(B), "EXECUTE px_orgs")} == {B}
    r = refused(b, "EXECUTE px_orgs")
    assert r.sqlstate == "22023", r
    run(b, "DEALLOCATE px_orgs")


def concurrent_client(number, deadline, tally, lock):
    """One client of the concurrent run: organization number % 4, as the switching role
    (clients 0-3) or as that organization's bound role (4-7), through the shared 2-connection
    pool. Each transaction picks a way to name the organization, some of them wrong."""
    key = "abcd"[number % 4]
    own = ORG[key]
    switching = number < 4
    role = SWITCHER if switching else f"letta_px_{key}"
    rng = random.Random(number)
    conn = connect("shared_pair", "letta_px_client")
    mine = {"transactions": 0, "rows": 0, "foreign": 0, "refused": 0, "unexpected": []}
    reads = ["SELECT letta_current_organization()",
             "SELECT organization_id FROM letta_list_identities()",
             "SELECT organization_id FROM letta_agents_by_key(ARRAY['user_1', 'user_2', 'user_3'])",
             "SELECT organization_id FROM letta_list_agents(tags => ARRAY['shared'])",
             "SELECT organization_id::text FROM letta_identities",
             "SELECT 'org-' || organization_id FROM letta_agents"]
    while time.monotonic() < deadline:
        style = rng.choice(["set local", "set_config", "session set", "bare"])
        steps = [f"SET LOCAL ROLE {role}"]
        if style == "set local":
            steps.append(set_local(own))
        elif style == "set_config":
            steps.append(f"SELECT set_config('letta.organization_id', '{own}', true)")
        elif style == "session set" and switching:
            steps.append(f"SET letta.organization_id = '{own}'")  # the mistake: it stays behind
        write = rng.random() < 0.1
        statements = steps + ([f"SELECT letta_create_agent(name => 'c{number}', tags => ARRAY['shared'])"]
                              if write else []) + [rng.choice(reads)]
        mine["transactions"] += 1
        try:
            rows = run(conn, *statements)
            if switching and style == "bare":
                mine["unexpected"].append(f"a bare call of the switching role returned {rows}")
            for (org,) in rows:
                # identities' organization_id is Letta's text id; the table's is a uuid.
                mine["rows"] += 1
                if org not in (own, own[4:]):
                    mine["foreign"] += 1
        except Refused as r:
            if switching and style == "bare" and r.sqlstate == "22023":
                mine["refused"] += 1
            else:
                mine["unexpected"].append(f"{style}: {r}")
    with lock:
        for k, v in mine.items():
            tally[k] = tally.get(k, 0 if not isinstance(v, list) else []) + v


@case
def concurrent_clients():
    """8 clients of 4 organizations through a 2-connection pool: 0 foreign rows"""
    deadline = time.monotonic() + SECONDS
    tally, lock = {}, threading.Lock()
    def client(n):
        # A thread that dies outside run() is counted, not lost with its tally.
        try:
            concurrent_client(n, deadline, tally, lock)
        except Exception as e:  # noqa: BLE001
            with lock:
                tally.setdefault("unexpected", []).append(f"client {n} died: {e!r}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"    {tally['transactions']} transactions in {SECONDS:g} s, {tally['rows']} rows read, "
          f"{tally['foreign']} foreign, {tally['refused']} bare calls refused, "
          f"{len(tally['unexpected'])} unexpected errors")
    assert tally["foreign"] == 0
    assert not tally["unexpected"], tally["unexpected"][:5]
    assert tally["rows"] > 100 and tally["refused"] > 10, tally


print(f"pooler: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
