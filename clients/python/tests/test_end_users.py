"""The client acting for an end user (letta.identifier_key): `client.for_end_user(key)`."""

from __future__ import annotations

from typing import Iterator

import psycopg
import pytest

from letta_identity_client import (AsyncLettaIdentity, LettaIdentity, NotFoundError,
                                   UnprocessableEntityError)

from .conftest import END_USER_ORG, conninfo


@pytest.fixture(scope="module")
def users(database: str) -> dict:
    """Two end users of END_USER_ORG, each with an agent, and an agent they share."""
    with LettaIdentity(database, organization_id=END_USER_ORG) as admin:
        caren = admin.identities.create(identifier_key="user_1", name="Caren")
        dan = admin.identities.create(identifier_key="user_2", name="Dan")
        return {
            "caren": caren.id, "dan": dan.id,
            "carens": admin.agents.create(name="carens", identity_ids=[caren.id]).id,
            "dans": admin.agents.create(name="dans", identity_ids=[dan.id]).id,
            "shared": admin.agents.create(name="shared", identity_ids=[caren.id, dan.id]).id,
        }


@pytest.fixture
def app(database: str) -> Iterator[LettaIdentity]:
    """The application's client, as the role that must act for an end user."""
    with LettaIdentity(conninfo(user="letta_pyc_end_user")) as client:
        yield client


def names(client: LettaIdentity) -> list:
    return sorted(a.name for a in client.agents.list())


def test_each_end_user_sees_their_rows(app: LettaIdentity, users: dict) -> None:
    caren = app.for_end_user("user_1")
    assert names(caren) == ["carens", "shared"]
    assert [i.identifier_key for i in caren.identities.list()] == ["user_1"]
    assert names(app.for_end_user("user_2")) == ["dans", "shared"]
    with caren as scoped:  # a scope in a with block closes nothing
        assert scoped.agents.count() == 2
    assert names(caren) == ["carens", "shared"]


def test_an_end_users_writes_are_theirs(app: LettaIdentity, users: dict) -> None:
    caren = app.for_end_user("user_1")
    agent = caren.agents.create(name="carens second", identity_ids=[users["caren"]])
    assert agent.name in names(caren) and agent.name not in names(app.for_end_user("user_2"))
    try:
        with pytest.raises(NotFoundError):  # another user's identity is out of their sight
            caren.agents.identities.attach(users["dan"], agent_id=agent.id)
        with pytest.raises(NotFoundError):
            caren.agents.delete(users["dans"])
    finally:
        caren.agents.delete(agent.id)


def test_the_required_role_names_one(app: LettaIdentity, users: dict) -> None:
    with pytest.raises(UnprocessableEntityError, match="letta.identifier_key"):
        app.agents.list()
    assert names(app.for_end_user("user_1").for_end_user(None).for_end_user("user_2")) == ["dans", "shared"]


def test_on_the_apps_connection_the_end_user_is_put_back(database: str, users: dict) -> None:
    with psycopg.connect(conninfo(user="letta_pyc_end_user")) as conn:
        conn.execute("SET LOCAL letta.identifier_key = 'user_2'")
        client = LettaIdentity(connection=conn)
        assert names(client.for_end_user("user_1")) == ["carens", "shared"]
        assert conn.execute("SHOW letta.identifier_key").fetchone()[0] == "user_2"
        assert names(client) == ["dans", "shared"]  # the app's own end user
        conn.rollback()


async def test_async_end_user(database: str, users: dict) -> None:
    async with AsyncLettaIdentity(conninfo(user="letta_pyc_end_user")) as client:
        listed = await client.for_end_user("user_2").agents.list()
        assert sorted(a.name for a in listed) == ["dans", "shared"]
