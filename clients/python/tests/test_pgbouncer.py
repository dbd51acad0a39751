"""Behind a real PgBouncer in transaction mode, with one server connection: every client's
transactions share it, so an organization left on it would show up in the next client's calls."""

from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import pytest

from letta_identity_client import LettaIdentity, UnprocessableEntityError

from .conftest import DATABASE, new_org, running_pgbouncer

@pytest.fixture(scope="module")
def pgbouncer(database: str) -> Iterator[int]:
    with running_pgbouncer(["letta_pyc_switcher"]) as port:
        yield port


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
