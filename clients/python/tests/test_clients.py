"""The two clients themselves: pools of their own or shared, the async form."""

import asyncio
import time

import pytest
from psycopg_pool import AsyncConnectionPool, ConnectionPool, PoolTimeout

from letta_identity_client import (AgentState, AsyncLetta, AsyncLettaIdentity, ConflictError, Page,
                                   ForbiddenError, Identity, Letta, LettaIdentity, NotFoundError,
                                   UnprocessableEntityError)

from .conftest import BOUND_ORG, conninfo, new_org, pool_kwargs


def test_letta_names_are_the_clients() -> None:
    assert Letta is LettaIdentity and AsyncLetta is AsyncLettaIdentity


def test_own_pool_opens_and_closes(database: str) -> None:
    org = new_org()
    with LettaIdentity(database, organization_id=org, max_size=2) as client:
        assert client.pool.max_size == 2
        caren = client.identities.create(identifier_key="user_1", name="Caren")
        assert client.identities.retrieve(caren.id).organization_id == org
    assert client.pool.closed


def test_shared_pool_stays_open(pool: ConnectionPool) -> None:
    with LettaIdentity(pool=pool, organization_id=new_org()) as client:
        client.identities.count()
    assert not pool.closed


def test_connection_settings_of_an_own_pool(database: str) -> None:
    with LettaIdentity(database, application_name="letta-client-test") as client:
        with client.pool.connection() as conn:
            assert conn.autocommit and conn.prepare_threshold is None
            assert conn.execute("SHOW application_name").fetchone()[0] == "letta-client-test"


def test_a_failed_call_writes_nothing(client: LettaIdentity) -> None:
    with pytest.raises(NotFoundError):
        client.agents.create(name="orphan", identity_ids=["identity-00000000-0000-4000-8000-000000000000"])
    assert client.agents.count() == 0


async def test_async_client(database: str) -> None:
    org = new_org()
    async with AsyncLettaIdentity(database, organization_id=org) as client:
        caren = await client.identities.create(identifier_key="user_1", name="Caren")
        assert isinstance(caren, Identity) and caren.organization_id == org
        agent = await client.agents.create(name="helper", tags=["support"], identity_ids=[caren.id],
                                           memory_blocks=[{"label": "human", "value": "Caren"}])
        assert isinstance(agent, AgentState)
        listed = await client.agents.list(identifier_keys=["user_1"], tags=["support"])
        assert [a.id for a in listed] == [agent.id]
        assert await client.agents.count() == 1
        assert await client.tags.list() == ["support"]
        assert (await client.agents.blocks.retrieve(agent.id, "human")).value == "Caren"
        assert (await client.agents.core_memory.retrieve(agent.id)).blocks[0].label == "human"
        assert await client.agents.identities.detach(caren.id, agent_id=agent.id) is True
        with pytest.raises(ConflictError):
            await client.identities.create(identifier_key="user_1", name="again")
        with pytest.raises(NotFoundError):
            await client.identities.retrieve(caren.id, organization_id=new_org())
        with pytest.raises(UnprocessableEntityError):
            await client.blocks.list(limit=0)
        assert await client.identities.delete(caren.id) is None
    assert client.pool.closed


async def test_async_shared_pool_and_organizations() -> None:
    organizations = [new_org() for _ in range(6)]
    async with AsyncConnectionPool(conninfo("letta_pyc_switcher"), min_size=1, max_size=2,
                                   kwargs=pool_kwargs(), open=False) as pool:
        client = AsyncLettaIdentity(pool=pool)

        async def work(organization: str) -> set:
            tenant = client.with_organization(organization)
            await tenant.identities.create(identifier_key="user_1", name=organization)
            await tenant.agents.create(name=organization)
            names = [i.name for i in await tenant.identities.list()]
            names += [a.name for a in await client.agents.list(organization_id=organization)]
            return set(names)

        # Six organizations' calls interleaved on two connections: each sees only its own.
        seen = await asyncio.gather(*(work(o) for o in organizations))
        assert seen == [{o} for o in organizations]
        with pytest.raises(UnprocessableEntityError):  # a switching role must name one
            await client.identities.count()
        await client.close()  # a shared pool is not the client's to close
        assert not pool.closed


async def test_async_bound_role_refused_another_organization() -> None:
    async with AsyncLettaIdentity(conninfo("letta_pyc_bound")) as client:
        listed = await client.identities.list(limit=10000, organization_id=BOUND_ORG)
        assert await client.identities.count(organization_id=BOUND_ORG) == len(listed)
        with pytest.raises(ForbiddenError):
            await client.identities.count(organization_id=new_org())


def test_a_misspelled_keyword_is_refused_at_once(database: str) -> None:
    started = time.monotonic()
    with pytest.raises(TypeError, match='invalid connection option "organisation_id"'):
        LettaIdentity(database, organisation_id=new_org())
    with pytest.raises(TypeError, match='invalid connection option "aplication_name"'):
        AsyncLettaIdentity(database, aplication_name="x")
    assert time.monotonic() - started < 5


def test_connection_keywords_belong_to_the_own_pool(pool: ConnectionPool) -> None:
    with pytest.raises(TypeError, match="application_name"):
        LettaIdentity(pool=pool, application_name="x")


def test_the_pool_timeout_is_the_clients(database: str) -> None:
    # A server that is not there: the first call gives up after the client's timeout.
    with LettaIdentity("host=localhost port=1 connect_timeout=1", timeout=0.5) as client:
        started = time.monotonic()
        with pytest.raises(PoolTimeout):
            client.identities.count()
        assert time.monotonic() - started < 5


def test_pages_say_whether_more_follow(client: LettaIdentity) -> None:
    made = [client.agents.create(name=f"agent {n}", tags=["paged", f"t{n}"]).id for n in range(5)]
    first = client.agents.list(tags=["paged"], limit=2)
    assert isinstance(first, Page) and first.has_more and [a.id for a in first] == made[:-3:-1]
    assert first.next_after == made[-2]
    assert not client.agents.list(tags=["paged"], limit=5).has_more
    assert not client.agents.list(tags=["paged"]).has_more  # the default page, 50
    assert client.agents.list(tags=["paged"], limit=4, after=first.next_after).has_more is False
    assert [a.id for a in client.iterate(client.agents.list, tags=["paged"], limit=2)] == made[::-1]
    tags = client.tags.list(limit=3)
    assert tags.has_more and tags.next_after == tags[-1] == "t1"
    assert list(client.iterate(client.tags.list, limit=2)) == ["paged", "t0", "t1", "t2", "t3", "t4"]
    with pytest.raises(UnprocessableEntityError, match="page_size must be at least 1, got 0"):
        client.agents.list(limit=0)


async def test_async_iterate(database: str) -> None:
    async with AsyncLettaIdentity(database, organization_id=new_org()) as client:
        for n in range(3):
            await client.identities.create(identifier_key=f"user_{n}", name=f"User {n}")
        page = await client.identities.list(limit=2)
        assert page.has_more and len(page) == 2
        keys = [i.identifier_key async for i in client.iterate(client.identities.list, limit=2)]
        assert sorted(keys) == ["user_0", "user_1", "user_2"]
