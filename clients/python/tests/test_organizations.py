"""The organization of each call: the client's, the call's, or the role's own; SET LOCAL only,
so nothing stays on a pooled connection."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from psycopg_pool import ConnectionPool

from letta_identity_client import (ForbiddenError, LettaIdentity, NotFoundError,
                                   UnprocessableEntityError)

from .conftest import BOUND_ORG, conninfo, new_org, pool_kwargs

DEFAULT_ORG = "org-00000000-0000-4000-8000-000000000000"


def role_pool(role: str, size: int = 1) -> ConnectionPool:
    # One connection: every call of a test reuses it, as a pooler would hand it on.
    return ConnectionPool(conninfo(role), min_size=size, max_size=size, kwargs=pool_kwargs())


def test_client_organization_isolates(pool: ConnectionPool) -> None:
    acme, globex = (LettaIdentity(pool=pool, organization_id=new_org()) for _ in range(2))
    caren = acme.identities.create(identifier_key="user_1", name="Caren")
    globex.identities.create(identifier_key="user_1", name="Other Caren")  # same key, no conflict
    with pytest.raises(NotFoundError):
        globex.identities.retrieve(caren.id)
    assert [i.name for i in globex.identities.list()] == ["Other Caren"]
    with pytest.raises(NotFoundError):  # a link across organizations cannot be made
        globex.agents.create(identity_ids=[caren.id])


def test_per_call_organization_overrides_the_clients(pool: ConnectionPool) -> None:
    first, second = new_org(), new_org()
    client = LettaIdentity(pool=pool, organization_id=first)
    made = client.identities.create(identifier_key="k", name="in second", organization_id=second)
    assert made.organization_id == second
    assert client.identities.count() == 0
    assert client.identities.count(organization_id=second) == 1
    assert client.with_organization(second).identities.retrieve(made.id) == made
    assert client.with_organization(second).organization_id == second


def test_superuser_without_organization_works_in_the_default_one(pool: ConnectionPool) -> None:
    client = LettaIdentity(pool=pool)
    assert client.organization_id is None
    assert client.identities.list(identifier_key="no such key") == []
    with pool.connection() as conn:
        assert conn.execute("SELECT letta_current_organization()").fetchone()[0] == DEFAULT_ORG


def test_bound_role(pool: ConnectionPool) -> None:
    with role_pool("letta_pyc_bound") as bound_pool:
        bound = LettaIdentity(pool=bound_pool)
        caren = bound.identities.create(identifier_key="user_1", name="Caren")
        assert caren.organization_id == BOUND_ORG
        agent = bound.agents.create(name="helper", identity_ids=[caren.id])
        assert [a.id for a in bound.agents.list(identifier_keys=["user_1"])] == [agent.id]
        # Naming its own organization is allowed; another one is refused.
        assert bound.identities.count(organization_id=BOUND_ORG) == 1
        with pytest.raises(ForbiddenError) as raised:
            bound.identities.count(organization_id=new_org())
        assert raised.value.sqlstate == "42501"
        # The refusal left nothing behind on the (only) connection.
        assert bound.identities.retrieve(caren.id).agent_ids == [agent.id]
        # A superuser client sees the rows in that organization, and only there.
        admin = LettaIdentity(pool=pool, organization_id=BOUND_ORG)
        assert admin.identities.retrieve(caren.id).agent_ids == [agent.id]
        with pytest.raises(NotFoundError):
            admin.identities.retrieve(caren.id, organization_id=new_org())


def test_switching_role_names_an_organization_per_transaction() -> None:
    first, second = new_org(), new_org()
    with role_pool("letta_pyc_switcher") as switcher_pool:
        client = LettaIdentity(pool=switcher_pool)
        with pytest.raises(UnprocessableEntityError) as raised:
            client.identities.count()
        assert raised.value.sqlstate == "22023" and "letta.organization_id" in raised.value.message
        in_first = client.identities.create(identifier_key="k", name="first", organization_id=first)
        in_second = client.identities.create(identifier_key="k", name="second",
                                             organization_id=second)
        assert in_first.organization_id == first and in_second.organization_id == second
        # The same connection, the next transaction: the organization did not stay on it.
        with pytest.raises(UnprocessableEntityError):
            client.identities.list()
        assert [i.name for i in client.identities.list(organization_id=first)] == ["first"]
        assert [i.name for i in client.with_organization(second).identities.list()] == ["second"]
        with switcher_pool.connection() as conn:
            assert conn.execute("SHOW letta.organization_id").fetchone()[0] not in (first, second)


def test_switching_role_threads_share_a_small_pool() -> None:
    organizations = [new_org() for _ in range(4)]
    with role_pool("letta_pyc_switcher", size=2) as switcher_pool:
        client = LettaIdentity(pool=switcher_pool)

        # Two tasks per organization, each with keys of its own: 8 tasks on 2 connections.
        def work(task: tuple) -> tuple:
            organization, round_ = task
            tenant = client.with_organization(organization)
            keys = [f"user_{round_}_{n}" for n in range(5)]
            for key in keys:
                identity = tenant.identities.create(identifier_key=key, name=organization)
                tenant.agents.create(name=organization, tags=[organization],
                                     identity_ids=[identity.id])
            return organization, ([i.name for i in tenant.identities.list()]
                                  + [a.name for a in tenant.agents.list(identifier_keys=[keys[0], keys[4]])]
                                  + [a.tags[0] for a in tenant.agents.list()])

        tasks = [(organization, round_) for round_ in range(2) for organization in organizations]
        with ThreadPoolExecutor(max_workers=8) as executor:
            results = list(executor.map(work, tasks))  # every task's result (or its error) is read
        assert len(results) == 8
        for organization, seen in results:
            assert seen and set(seen) == {organization}
