"""Tests against the real extension: a fresh database `letta_client_test` on the test cluster
(localhost, $PGPORT or 54815, user postgres), made anew for each run, and three roles:

  letta_pyc_bound      bound to BOUND_ORG with letta_bind_role
  letta_pyc_switcher   allowed to switch: names its organization in each transaction
  letta_pyc_unbound    never bound
  letta_pyc_end_user   bound to END_USER_ORG, must act for an end user (letta_require_end_user)

Each test gets a client in an organization of its own, so tests do not see each other's rows.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Iterator, List

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from letta_identity_client import LettaIdentity

HOST = "localhost"
PORT = os.environ.get("PGPORT", "54815")
DATABASE = "letta_client_test"
BOUND_ORG = "org-b0b0b0b0-b0b0-4b0b-8b0b-b0b0b0b0b0b0"
END_USER_ORG = "org-e0e0e0e0-e0e0-4e0e-8e0e-e0e0e0e0e0e0"
ROLES = ("letta_pyc_bound", "letta_pyc_switcher", "letta_pyc_unbound", "letta_pyc_end_user")


def conninfo(user: str = "postgres", dbname: str = DATABASE) -> str:
    return f"host={HOST} port={PORT} user={user} dbname={dbname}"


def new_org() -> str:
    return f"org-{uuid.uuid4()}"


def pool_kwargs() -> dict:
    # What LettaIdentity gives the pools it opens, for the pools the tests open themselves.
    return {"autocommit": True, "prepare_threshold": None}


@pytest.fixture(scope="session")
def database() -> Iterator[str]:
    with psycopg.connect(conninfo(dbname="postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
        for role in ROLES:
            if not admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                admin.execute(f"CREATE ROLE {role} LOGIN")
    with psycopg.connect(conninfo(), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION letta_identity CASCADE")
        conn.execute("SELECT letta_bind_role('letta_pyc_bound', %s)", (BOUND_ORG,))
        conn.execute("SELECT letta_allow_switching('letta_pyc_switcher')")
        conn.execute("SELECT letta_bind_role('letta_pyc_end_user', %s)", (END_USER_ORG,))
        conn.execute("SELECT letta_require_end_user('letta_pyc_end_user')")
    yield conninfo()
    # Leave the shared cluster as it was: the database, then the roles (cluster-wide).
    with psycopg.connect(conninfo(dbname="postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        for role in ROLES:
            admin.execute(f"DROP ROLE IF EXISTS {role}")


@pytest.fixture(scope="session")
def pool(database: str) -> Iterator[ConnectionPool]:
    with ConnectionPool(database, min_size=1, max_size=4, kwargs=pool_kwargs()) as shared:
        yield shared


@pytest.fixture
def org() -> str:
    return new_org()


@pytest.fixture
def client(pool: ConnectionPool, org: str) -> LettaIdentity:
    """A superuser client whose calls all run in a new organization."""
    return LettaIdentity(pool=pool, organization_id=org)


PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres_if_root(command: list) -> list:
    # PgBouncer refuses to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def running_pgbouncer(users: List[str]) -> Iterator[int]:
    """A PgBouncer in transaction mode before the test database, one server connection for all
    its clients (so that anything a transaction left on it shows in the next one's); its port."""
    if not os.access(PGBOUNCER, os.X_OK):
        pytest.skip("pgbouncer is not installed")
    work = Path(tempfile.mkdtemp(prefix="letta-pyc-pgbouncer-"))
    if os.geteuid() == 0:
        shutil.chown(work, "postgres", "postgres")
    (work / "userlist.txt").write_text("".join(f'"{user}" ""\n' for user in users))
    port = free_port()
    (work / "pgbouncer.ini").write_text(f"""\
[databases]
{DATABASE} = host=127.0.0.1 port={PORT} dbname={DATABASE} pool_size=1

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {work}/userlist.txt
pool_mode = transaction
max_client_conn = 50
logfile = {work}/pgbouncer.log
pidfile = {work}/pgbouncer.pid
""")
    subprocess.run(as_postgres_if_root([PGBOUNCER, "-d", str(work / "pgbouncer.ini")]), check=True)
    try:
        for _ in range(50):
            try:
                psycopg.connect(f"host=127.0.0.1 port={port} dbname={DATABASE} user={users[0]}").close()
                break
            except psycopg.OperationalError:
                time.sleep(0.1)
        else:
            pytest.fail(f"PgBouncer did not start: {(work / 'pgbouncer.log').read_text()[-500:]}")
        yield port
    finally:
        pid = (work / "pgbouncer.pid").read_text().strip()
        subprocess.run(as_postgres_if_root(["kill", pid]), check=False)
        for _ in range(50):
            if not (work / "pgbouncer.pid").exists():
                break
            time.sleep(0.1)
        shutil.rmtree(work, ignore_errors=True)
