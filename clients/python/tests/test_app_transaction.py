"""The client on the app's own connection: each call a savepoint in the app's transaction.

A signup (the app's users row and the user's identity) and a delete-user are one transaction:
the app's rollback undoes the client's calls too, including a call that is the transaction's
first statement; a failed call leaves the app's transaction usable. With psycopg, SQLAlchemy's
Session and Connection, and their async forms.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator

import psycopg
import pytest
from psycopg_pool import ConnectionPool
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import Session

from letta_identity_client import (AsyncLettaIdentity, LettaIdentity, NotFoundError)

from .conftest import HOST, PORT, DATABASE, conninfo

URL = f"postgresql+psycopg://postgres@{HOST}:{PORT}/{DATABASE}"


@pytest.fixture(scope="module")
def users(database: str) -> str:
    """The app's own table of users, beside the extension's."""
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS app_users (org text, key text, PRIMARY KEY (org, key))")
    return "app_users"


@pytest.fixture(scope="module")
def engine(database: str) -> Iterator[Engine]:
    made = create_engine(URL)
    yield made
    made.dispose()


def app_rows(database: str, org: str) -> int:
    with psycopg.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM app_users WHERE org = %s", (org,)).fetchone()[0]


def seeded(client: LettaIdentity) -> Dict[str, Any]:
    """Committed rows (on the pool) that the calls below change."""
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    agent = client.agents.create(name="helper", tags=["support"], identity_ids=[caren.id])
    block = client.blocks.create(label="human", value="Caren")
    return {"identity": caren.id, "agent": agent.id, "block": block.id}


# Each kind of write, on the app's connection; then the state the pool sees (as a tuple).
WRITES: Dict[str, Callable[[LettaIdentity, Dict[str, Any]], Any]] = {
    "identities.create": lambda c, s: c.identities.create(identifier_key="user_2", name="Dan"),
    "identities.modify": lambda c, s: c.identities.modify(s["identity"], name="Renamed"),
    "identities.delete": lambda c, s: c.identities.delete(s["identity"]),
    "identities.forget": lambda c, s: c.identities.forget(s["identity"]),
    "agents.create": lambda c, s: c.agents.create(name="another", identity_ids=[s["identity"]]),
    "agents.modify": lambda c, s: c.agents.modify(s["agent"], tags=["billing"]),
    "agents.delete": lambda c, s: c.agents.delete(s["agent"]),
    "agents.identities.detach": lambda c, s: c.agents.identities.detach(s["identity"], agent_id=s["agent"]),
    "agents.blocks.attach": lambda c, s: c.agents.blocks.attach(s["agent"], s["block"]),
    "blocks.create": lambda c, s: c.blocks.create(label="persona", value="kind"),
    "blocks.modify": lambda c, s: c.blocks.modify(s["block"], value="Ann"),
    "blocks.delete": lambda c, s: c.blocks.delete(s["block"]),
}


def state(client: LettaIdentity, seed: Dict[str, Any]) -> Any:
    identities = sorted((i.identifier_key, i.name) for i in client.identities.list())
    agents = sorted((a.name, tuple(a.tags), tuple(a.identity_ids), tuple(b.id for b in a.memory.blocks))
                    for a in client.agents.list(include_relationships=["memory"]))
    blocks = sorted((b.label, b.value) for b in client.blocks.list())
    return identities, agents, blocks


@pytest.mark.parametrize("write", sorted(WRITES))
def test_each_write_is_undone_by_the_apps_rollback(pool: ConnectionPool, database: str, org: str,
                                                    write: str) -> None:
    outside = LettaIdentity(pool=pool, organization_id=org)
    seed = seeded(outside)
    before = state(outside, seed)
    with psycopg.connect(database) as conn:  # not autocommit: the app's transaction
        WRITES[write](LettaIdentity(connection=conn, organization_id=org), seed)
        conn.rollback()
    assert state(outside, seed) == before


def test_a_first_statement_call_is_not_committed_on_its_own(pool: ConnectionPool, database: str,
                                                            org: str) -> None:
    with psycopg.connect(database) as conn:
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        LettaIdentity(connection=conn, organization_id=org).identities.create(identifier_key="user_1", name="Caren")
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        conn.rollback()
    assert LettaIdentity(pool=pool, organization_id=org).identities.count() == 0


def test_signup_commits_with_the_app(pool: ConnectionPool, database: str, users: str, org: str) -> None:
    with psycopg.connect(database) as conn:
        conn.execute("INSERT INTO app_users VALUES (%s, 'user_1')", (org,))
        caren = LettaIdentity(connection=conn, organization_id=org).identities.create(identifier_key="user_1",
                                                                                     name="Caren")
        conn.commit()
    assert LettaIdentity(pool=pool, organization_id=org).identities.retrieve(caren.id).name == "Caren"
    assert app_rows(database, org) == 1


def test_a_failed_call_leaves_the_apps_transaction_usable(pool: ConnectionPool, database: str, users: str,
                                                          org: str) -> None:
    with psycopg.connect(database) as conn:
        client = LettaIdentity(connection=conn, organization_id=org)
        conn.execute("INSERT INTO app_users VALUES (%s, 'user_1')", (org,))
        with pytest.raises(NotFoundError):
            client.agents.create(name="orphan", identity_ids=["identity-00000000-0000-4000-8000-000000000000"])
        client.identities.create(identifier_key="user_1", name="Caren")
        conn.commit()
    outside = LettaIdentity(pool=pool, organization_id=org)
    assert outside.identities.count() == 1 and outside.agents.count() == 0
    assert app_rows(database, org) == 1


def test_on_an_autocommit_connection_each_call_commits(pool: ConnectionPool, database: str, org: str) -> None:
    with psycopg.connect(database, autocommit=True) as conn:
        LettaIdentity(connection=conn, organization_id=org).identities.create(identifier_key="user_1", name="Caren")
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert LettaIdentity(pool=pool, organization_id=org).identities.count() == 1


def test_the_organization_lasts_the_apps_transaction(database: str, org: str) -> None:
    with psycopg.connect(database) as conn:
        LettaIdentity(connection=conn, organization_id=org).identities.count()
        assert conn.execute("SHOW letta.organization_id").fetchone()[0] == org
        conn.rollback()
        assert conn.execute("SHOW letta.organization_id").fetchone()[0] != org


def test_sqlalchemy_session_signup_and_rollback(pool: ConnectionPool, engine: Engine, database: str,
                                                users: str, org: str) -> None:
    with Session(engine) as session:
        session.execute(text("INSERT INTO app_users VALUES (:org, 'user_1')"), {"org": org})
        LettaIdentity(connection=session, organization_id=org).identities.create(identifier_key="user_1",
                                                                                name="Caren")
        session.rollback()
    outside = LettaIdentity(pool=pool, organization_id=org)
    assert outside.identities.count() == 0 and app_rows(database, org) == 0
    with Session(engine) as session:
        client = LettaIdentity(connection=session, organization_id=org)  # the call first, then the app
        client.identities.create(identifier_key="user_1", name="Caren")
        session.execute(text("INSERT INTO app_users VALUES (:org, 'user_1')"), {"org": org})
        session.commit()
    assert outside.identities.count() == 1 and app_rows(database, org) == 1


def test_sqlalchemy_connection_first_call_rolled_back(pool: ConnectionPool, engine: Engine, org: str) -> None:
    with engine.connect() as conn:
        LettaIdentity(connection=conn, organization_id=org).identities.create(identifier_key="user_1", name="Caren")
        assert conn.in_transaction()
        conn.rollback()
    assert LettaIdentity(pool=pool, organization_id=org).identities.count() == 0


def test_one_source_only(pool: ConnectionPool, database: str) -> None:
    with psycopg.connect(database) as conn:
        with pytest.raises(TypeError, match="one of"):
            LettaIdentity(database, connection=conn)
        with pytest.raises(TypeError, match="one of"):
            LettaIdentity(pool=pool, connection=conn)
    with pytest.raises(TypeError, match="psycopg"):
        LettaIdentity(connection=object(), organization_id="org-00000000-0000-4000-8000-000000000000").identities.count()


async def test_async_psycopg_connection(pool: ConnectionPool, database: str, org: str) -> None:
    async with await psycopg.AsyncConnection.connect(database) as conn:
        await AsyncLettaIdentity(connection=conn, organization_id=org).identities.create(identifier_key="user_1",
                                                                                        name="Caren")
        await conn.rollback()
        client = AsyncLettaIdentity(connection=conn, organization_id=org)
        await client.identities.create(identifier_key="user_2", name="Dan")
        await conn.commit()
    keys = [i.identifier_key for i in LettaIdentity(pool=pool, organization_id=org).identities.list()]
    assert keys == ["user_2"]


async def test_async_sqlalchemy_session(pool: ConnectionPool, database: str, users: str, org: str) -> None:
    from sqlalchemy.ext.asyncio import AsyncSession
    engine = create_async_engine(URL)
    try:
        async with AsyncSession(engine) as session:
            client = AsyncLettaIdentity(connection=session, organization_id=org)
            await client.identities.create(identifier_key="user_1", name="Caren")
            await session.execute(text("INSERT INTO app_users VALUES (:org, 'user_1')"), {"org": org})
            await session.rollback()
        assert LettaIdentity(pool=pool, organization_id=org).identities.count() == 0
        assert app_rows(database, org) == 0
        async with AsyncSession(engine) as session:
            await AsyncLettaIdentity(connection=session, organization_id=org).identities.create(
                identifier_key="user_1", name="Caren")
            await session.commit()
        assert LettaIdentity(pool=pool, organization_id=org).identities.count() == 1
    finally:
        await engine.dispose()


async def test_async_sqlalchemy_delete_user_with_forget(pool: ConnectionPool, database: str, users: str,
                                                       org: str) -> None:
    """Delete-user through an AsyncSession: the app's users row and the user's data, rolled back
    together, then committed together."""
    from sqlalchemy.ext.asyncio import AsyncSession
    outside = LettaIdentity(pool=pool, organization_id=org)
    caren = outside.identities.create(identifier_key="user_1", name="Caren")
    outside.agents.create(name="carens", identity_ids=[caren.id])
    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("INSERT INTO app_users VALUES (%s, 'user_1')", (org,))
    engine = create_async_engine(URL)
    try:
        for commit in (False, True):
            async with AsyncSession(engine) as session:
                await session.execute(text("DELETE FROM app_users WHERE org = :org AND key = 'user_1'"), {"org": org})
                forgotten = await AsyncLettaIdentity(connection=session, organization_id=org).identities.forget(caren.id)
                assert len(forgotten.agent_ids) == 1
                await (session.commit() if commit else session.rollback())
            expected = 0 if commit else 1
            assert (outside.identities.count(), outside.agents.count(), app_rows(database, org)) == (expected,) * 3
    finally:
        await engine.dispose()
