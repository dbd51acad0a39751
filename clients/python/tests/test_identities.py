"""client.identities: every method, against the extension."""

from datetime import datetime

import pytest

from letta_identity_client import (ConflictError, Identity, IdentityProperty, LettaIdentity,
                                   NotFoundError, UnprocessableEntityError)

PLAN_PRO = {"key": "plan", "value": "pro", "type": "string"}
SEATS_5 = {"key": "seats", "value": 5, "type": "number"}


def test_create_echoes_fields(client: LettaIdentity, org: str) -> None:
    caren = client.identities.create(identifier_key="1234", name="Caren", identity_type="user",
                                     properties=[PLAN_PRO, SEATS_5])
    assert isinstance(caren, Identity)
    assert caren.id.startswith("identity-")
    assert (caren.identifier_key, caren.name, caren.identity_type) == ("1234", "Caren", "user")
    assert caren.project_id is None and caren.agent_ids == [] and caren.block_ids == []
    assert caren.organization_id == org
    assert caren.properties == [IdentityProperty(**PLAN_PRO), IdentityProperty(**SEATS_5)]
    assert isinstance(caren.properties[1].value, int)
    assert isinstance(caren.created_at, datetime) and caren.created_at == caren.updated_at


def test_create_defaults_to_user_and_takes_links(client: LettaIdentity) -> None:
    agent = client.agents.create(name="helper")
    block = client.blocks.create(label="human", value="likes tea")
    sarah = client.identities.create(identifier_key="user_2", name="Sarah", project_id="work",
                                     agent_ids=[agent.id], block_ids=[block.id])
    assert sarah.identity_type == "user" and sarah.project_id == "work"
    assert sarah.agent_ids == [agent.id] and sarah.block_ids == [block.id]
    # Properties given as letta-client's own request models are accepted as they are.
    from letta_client.types import IdentityProperty as LettaIdentityProperty
    org_identity = client.identities.create(
        identifier_key="acme", name="Acme", identity_type="org",
        properties=[LettaIdentityProperty(key="tier", value=True, type="boolean")])
    assert org_identity.properties == [IdentityProperty(key="tier", value=True, type="boolean")]


def test_duplicate_key_is_a_conflict(client: LettaIdentity) -> None:
    client.identities.create(identifier_key="user_1", name="Caren")
    with pytest.raises(ConflictError) as raised:
        client.identities.create(identifier_key="user_1", name="Caren again")
    assert raised.value.sqlstate == "23505"
    assert 'identifier_key "user_1" already exists' in raised.value.message
    # Another project is another key space.
    client.identities.create(identifier_key="user_1", name="Caren at work", project_id="work")


def test_retrieve(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    assert client.identities.retrieve(caren.id) == caren
    with pytest.raises(NotFoundError):
        client.identities.retrieve("identity-00000000-0000-4000-8000-000000000000")
    with pytest.raises(NotFoundError) as raised:  # a malformed id names no identity
        client.identities.retrieve("identity-42")
    assert raised.value.sqlstate == "22P02"


def test_list_filters(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren",
                                     properties=[PLAN_PRO, SEATS_5])
    acme = client.identities.create(identifier_key="acme", name="Acme Corp", identity_type="org",
                                    project_id="work")
    assert [i.id for i in client.identities.list(identity_type="org")] == [acme.id]
    assert [i.id for i in client.identities.list(name="CAR")] == [caren.id]
    assert [i.id for i in client.identities.list(identifier_key="user_1")] == [caren.id]
    assert [i.id for i in client.identities.list(project_id="work")] == [acme.id]
    assert [i.id for i in client.identities.list(property_key="plan")] == [caren.id]
    assert [i.id for i in client.identities.list(property_key="plan", property_value="pro")] == [caren.id]
    assert client.identities.list(property_key="plan", property_value="free") == []
    assert [i.id for i in client.identities.list(
        properties=[{"key": "plan", "value": "pro"}, {"key": "seats"}])] == [caren.id]


def test_list_order_and_cursors(client: LettaIdentity) -> None:
    first, second, third = (client.identities.create(identifier_key=f"user_{n}", name=f"User {n}")
                            for n in (1, 2, 3))
    ids = lambda identities: [i.id for i in identities]  # noqa: E731
    assert ids(client.identities.list()) == [third.id, second.id, first.id]
    assert ids(client.identities.list(order="asc")) == [first.id, second.id, third.id]
    assert ids(client.identities.list(limit=1)) == [third.id]
    assert ids(client.identities.list(after=third.id)) == [second.id, first.id]
    assert ids(client.identities.list(before=first.id, limit=1)) == [second.id]
    client.identities.modify(first.id, name="Renamed")
    assert ids(client.identities.list(order_by="updated_at", limit=1)) == [first.id]
    with pytest.raises(UnprocessableEntityError):
        client.identities.list(order="sideways")
    with pytest.raises(UnprocessableEntityError):
        client.identities.list(limit=0)


def test_count(client: LettaIdentity) -> None:
    assert client.identities.count() == 0
    client.identities.create(identifier_key="user_1", name="Caren", properties=[PLAN_PRO])
    client.identities.create(identifier_key="user_1", name="Caren", project_id="work")
    client.identities.create(identifier_key="acme", name="Acme", identity_type="org")
    assert client.identities.count() == 3
    assert client.identities.count(identifier_key="user_1") == 2
    assert client.identities.count(identity_type="org") == 1
    assert client.identities.count(property_key="plan", property_value="pro") == 1
    assert client.identities.count(properties=[{"key": "plan"}], name="car") == 1
    assert client.identities.count(project_id="work") == 1


def test_modify_merges(client: LettaIdentity) -> None:
    a, b = client.agents.create(name="a"), client.agents.create(name="b")
    block = client.blocks.create(label="human", value="")
    caren = client.identities.create(identifier_key="user_1", name="Caren",
                                     properties=[PLAN_PRO], agent_ids=[a.id])
    changed = client.identities.modify(
        caren.id, name="Caren B.", identity_type="other", agent_ids=[b.id], block_ids=[block.id],
        properties=[{"key": "lang", "value": "en", "type": "string"},
                    {"key": "plan", "value": "team", "type": "string"}])
    assert changed.name == "Caren B." and changed.identity_type == "other"
    assert changed.agent_ids == sorted([a.id, b.id])  # added, never removed (Letta's PATCH)
    assert changed.block_ids == [block.id]
    assert [(p.key, p.value) for p in changed.properties] == [("plan", "team"), ("lang", "en")]
    assert client.agents.retrieve(b.id).identity_ids == [caren.id]
    renamed = client.identities.update(caren.id, identifier_key="user_one")  # 1.x's name
    assert renamed.identifier_key == "user_one" and renamed.name == "Caren B."
    with pytest.raises(NotFoundError):
        client.identities.modify(caren.id, agent_ids=["agent-00000000-0000-4000-8000-000000000000"])


def test_upsert_creates_then_replaces(client: LettaIdentity) -> None:
    a, b = client.agents.create(name="a"), client.agents.create(name="b")
    created = client.identities.upsert(identifier_key="user_9", name="Newcomer",
                                       agent_ids=[a.id], properties=[PLAN_PRO, SEATS_5])
    assert created.agent_ids == [a.id] and len(created.properties) == 2
    replaced = client.identities.upsert(identifier_key="user_9", name="Settled", identity_type="org",
                                        properties=[{"key": "age", "value": 29, "type": "number"}])
    assert replaced.id == created.id
    assert (replaced.name, replaced.identity_type) == ("Settled", "org")
    assert [p.key for p in replaced.properties] == ["age"]
    assert replaced.agent_ids == [a.id]  # not given: kept
    relinked = client.identities.upsert(identifier_key="user_9", name="Settled", agent_ids=[b.id],
                                        block_ids=[])
    assert relinked.agent_ids == [b.id]  # given: exactly these
    assert client.identities.upsert(identifier_key="user_9", name="Settled",
                                    agent_ids=[]).agent_ids == []


def test_properties_upsert_replaces(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren", properties=[PLAN_PRO])
    changed = client.identities.properties.upsert(
        caren.id, request=[{"key": "seats", "value": 9, "type": "number"},
                           IdentityProperty(key="config", value={"dark": True}, type="json")])
    assert changed.id == caren.id
    assert changed.properties == [IdentityProperty(key="seats", value=9, type="number"),
                                  IdentityProperty(key="config", value={"dark": True}, type="json")]
    with pytest.raises(UnprocessableEntityError) as raised:
        client.identities.properties.upsert(caren.id, request=[{"key": "seats", "value": "5",
                                                                "type": "number"}])
    assert "must be a number" in raised.value.message


def test_delete_keeps_agents(client: LettaIdentity) -> None:
    agent = client.agents.create(name="helper")
    caren = client.identities.create(identifier_key="user_1", name="Caren", agent_ids=[agent.id])
    assert client.identities.delete(caren.id) is None
    with pytest.raises(NotFoundError):
        client.identities.retrieve(caren.id)
    assert client.agents.retrieve(agent.id).identity_ids == []
    with pytest.raises(NotFoundError):
        client.identities.delete(caren.id)


def test_agents_of_an_identity(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    a, b, c = (client.agents.create(name=n, identity_ids=[caren.id]) for n in "abc")
    hidden = client.agents.create(name="h", identity_ids=[caren.id], hidden=True)
    client.agents.create(name="someone else's")
    names = lambda agents: [x.name for x in agents]  # noqa: E731
    # Hidden agents too, as Letta lists an identity's agents.
    assert names(client.identities.agents.list(caren.id)) == ["h", "c", "b", "a"]
    assert names(client.identities.agents.list(caren.id, order="asc", limit=2,
                                               order_by="created_at")) == ["a", "b"]
    assert names(client.identities.agents.list(caren.id, after=c.id, limit=1)) == ["b"]
    assert names(client.identities.agents.list(caren.id, before=a.id)) == ["h", "c", "b"]
    assert names(client.identities.agents.list(caren.id, include_hidden=False)) == ["c", "b", "a"]
    with pytest.raises(UnprocessableEntityError):
        client.identities.agents.list(caren.id, order_by="updated_at")
    listed = client.identities.agents.list(caren.id, include_memory=True, include_identities=True,
                                           limit=1)
    assert listed[0].memory_blocks == [] and listed[0].identities[0].id == caren.id
    assert client.identities.agents.list(caren.id, limit=1)[0].memory_blocks is None
    with pytest.raises(NotFoundError):
        client.identities.agents.list("identity-00000000-0000-4000-8000-000000000000")


def test_blocks_of_an_identity(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    first = client.blocks.create(label="human", value="likes tea", identity_ids=[caren.id])
    second = client.blocks.create(label="prefs", value="short answers", identity_ids=[caren.id])
    client.blocks.create(label="other", value="not hers")
    labels = lambda blocks: [x.label for x in blocks]  # noqa: E731
    assert labels(client.identities.blocks.list(caren.id)) == ["prefs", "human"]
    assert labels(client.identities.blocks.list(caren.id, order="asc")) == ["human", "prefs"]
    assert labels(client.identities.blocks.list(caren.id, limit=1)) == ["prefs"]
    assert labels(client.identities.blocks.list(caren.id, after=second.id)) == ["human"]
    assert labels(client.identities.blocks.list(caren.id, before=first.id)) == ["prefs"]
    assert labels(client.identities.blocks.list(caren.id, order_by="created_at")) == [
        "prefs", "human"]
    with pytest.raises(UnprocessableEntityError):
        client.identities.blocks.list(caren.id, order_by="label")


def test_forget_removes_the_users_data_and_says_what_stays(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    dan = client.identities.create(identifier_key="user_2", name="Dan")
    own = client.agents.create(name="carens", identity_ids=[caren.id],
                               memory_blocks=[{"label": "human", "value": "The user's name is Caren"}])
    shared = client.agents.create(name="shared", identity_ids=[caren.id, dan.id],
                                  memory_blocks=[{"label": "human", "value": "Caren and Dan"}])
    shared_memory = client.agents.blocks.retrieve(shared.id, "human").id
    own_memory = client.agents.blocks.retrieve(own.id, "human").id

    preview = client.identities.forget(caren.id, dry_run=True)
    assert preview.dry_run and preview.identity_id == caren.id
    assert preview.agent_ids == [own.id] and preview.block_ids == [own_memory]
    assert preview.kept_agent_ids == [shared.id] and preview.kept_block_ids == [shared_memory]
    assert client.identities.count() == 2 and client.agents.count() == 2  # nothing deleted

    done = client.identities.forget(caren.id)
    assert not done.dry_run and done.model_dump(exclude={"dry_run"}) == preview.model_dump(exclude={"dry_run"})
    assert [a.name for a in client.agents.list()] == ["shared"]
    with pytest.raises(NotFoundError):
        client.identities.retrieve(caren.id)
    with pytest.raises(NotFoundError):
        client.identities.forget(caren.id)


def test_forget_keeping_agents(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    own = client.agents.create(name="carens", identity_ids=[caren.id])
    result = client.identities.forget(caren.id, agents=False, dry_run=True)
    assert result.agent_ids == [] and result.kept_agent_ids == [own.id]
    with pytest.raises(UnprocessableEntityError, match="agents must not be NULL"):
        client.identities.forget(caren.id, agents=None)  # type: ignore[arg-type]


def test_pages_before_a_cursor(client: LettaIdentity) -> None:
    made = [client.identities.create(identifier_key=f"user_{n}", name=f"User {n}").id for n in range(4)]
    page = client.identities.list(before=made[0], limit=2)  # newest first: the two just before
    assert [i.id for i in page] == [made[2], made[1]] and page.has_more
    last = client.identities.list(before=made[0], limit=3)
    assert [i.id for i in last] == [made[3], made[2], made[1]] and not last.has_more
