"""Behind a real PgBouncer in transaction mode, with one server connection: every client's
transactions share it, so an organization left on it would show up in the next client's calls."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import psycopg
import pytest

from letta_identity_client import LettaIdentity, UnprocessableEntityError

from .conftest import DATABASE, PORT, new_org

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres_if_root(command: list) -> list:
    # PgBouncer refuses to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def pgbouncer(database: str) -> Iterator[int]:
    if not os.access(PGBOUNCER, os.X_OK):
        pytest.skip("pgbouncer is not installed")
    work = Path(tempfile.mkdtemp(prefix="letta-pyc-pgbouncer-"))
    if os.geteuid() == 0:
        shutil.chown(work, "postgres", "postgres")
    (work / "userlist.txt").write_text('"letta_pyc_switcher" ""\n')
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
                psycopg.connect(f"host=127.0.0.1 port={port} dbname={DATABASE} "
                                "user=letta_pyc_switcher").close()
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


def test_tenants_share_one_server_connection(pgbouncer: int) -> None:
    through_pgbouncer = f"host=127.0.0.1 port={pgbouncer} dbname={DATABASE} user=letta_pyc_switcher"
    organizations = [new_org() for _ in range(4)]
    with LettaIdentity(through_pgbouncer, max_size=4) as client:

        def work(organization: str) -> set:
            tenant = client.with_organization(organization)
            seen = set()
            for n in range(10):
                tenant.identities.create(identifier_key=f"user_{n}", name=organization)
                seen |= {i.name for i in tenant.identities.list(limit=5)}
                with pytest.raises(UnprocessableEntityError):  # nothing left behind by another tenant
                    client.identities.count()
            return seen

        with ThreadPoolExecutor(max_workers=4) as executor:
            results = list(executor.map(work, organizations))
        assert results == [{o} for o in organizations]
        assert [client.identities.count(organization_id=o) for o in organizations] == [10] * 4
