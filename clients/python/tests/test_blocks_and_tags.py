"""client.blocks (with blocks.agents and blocks.identities) and client.tags."""

import pytest

from letta_identity_client import (Block, LettaIdentity, NotFoundError,
                                   UnprocessableEntityError)


def labels(blocks):
    return [block.label for block in blocks]


def test_create_and_retrieve(client: LettaIdentity, org: str) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    prefs = client.blocks.create(value="Likes short answers", label="preferences", limit=100,
                                 description="what she likes", metadata={"source": "chat"},
                                 identity_ids=[caren.id], project_id="work", tags=["b", "a"],
                                 read_only=False, hidden=False)
    assert isinstance(prefs, Block) and prefs.id.startswith("block-")
    assert (prefs.label, prefs.value, prefs.limit) == ("preferences", "Likes short answers", 100)
    assert prefs.description == "what she likes" and prefs.metadata == {"source": "chat"}
    assert prefs.identity_ids == [caren.id] and prefs.organization_id == org
    assert prefs.project_id == "work" and prefs.tags == ["a", "b"]
    assert not prefs.read_only and not prefs.hidden
    assert client.blocks.retrieve(prefs.id) == prefs
    assert client.identities.retrieve(caren.id).block_ids == [prefs.id]
    # The limit is advisory (Letta's rule since its limit checks went): a longer value stays.
    assert client.blocks.create(label="x", value="too long", limit=3).value == "too long"
    assert client.blocks.create(label="y", value="").limit == 100000  # Letta's default
    with pytest.raises(UnprocessableEntityError):
        client.blocks.create(label="", value="")


def test_list_and_count(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    human = client.blocks.create(label="human", value="Caren likes TEA", identity_ids=[caren.id],
                                 tags=["memory", "user"])
    persona = client.blocks.create(label="persona", value="I am helpful", description="Tone",
                                   project_id="work", tags=["memory"])
    hidden = client.blocks.create(label="secret", value="", hidden=True)
    agent = client.agents.create(name="helper", block_ids=[persona.id])
    assert labels(client.blocks.list()) == ["human", "persona"]  # oldest first, as Letta
    assert labels(client.blocks.list(order="desc")) == ["persona", "human"]
    assert labels(client.blocks.list(order="asc", order_by="created_at")) == ["human", "persona"]
    assert labels(client.blocks.list(limit=1, after=human.id)) == ["persona"]
    assert labels(client.blocks.list(before=persona.id)) == ["human"]
    assert labels(client.blocks.list(order="desc", limit=1, after=persona.id)) == ["human"]
    assert labels(client.blocks.list(label="human")) == ["human"]
    assert labels(client.blocks.list(label_search="ERS")) == ["persona"]
    assert labels(client.blocks.list(label="human", label_search="ERS")) == ["human"]  # label wins
    assert labels(client.blocks.list(value_search="tea")) == ["human"]
    assert labels(client.blocks.list(description_search="tone")) == ["persona"]
    assert labels(client.blocks.list(identity_id=caren.id)) == ["human"]
    assert labels(client.blocks.list(identifier_keys="user_1")) == ["human"]
    assert labels(client.blocks.list(project_id="work")) == ["persona"]
    assert labels(client.blocks.list(tags=["memory", "user"], match_all_tags=True)) == ["human"]
    assert labels(client.blocks.list(tags="memory")) == ["human", "persona"]
    assert labels(client.blocks.list(connected_to_agents_count_gt=0)) == ["persona"]
    assert labels(client.blocks.list(connected_to_agents_count_lt=1)) == ["human"]
    assert labels(client.blocks.list(connected_to_agents_count_eq=[1])) == ["persona"]
    assert labels(client.blocks.list(connected_to_agents_count_eq=0)) == ["human"]
    assert hidden.id in [b.id for b in client.blocks.list(include_hidden=True)]
    assert client.blocks.count() == 2
    assert client.blocks.count(include_hidden=True) == 3
    assert client.blocks.count(tags=["memory"], label="human", identity_id=caren.id) == 1
    assert client.blocks.count(identifier_keys=["user_1"], value_search="TEA") == 1
    assert client.blocks.count(label_search="pers", description_search="to",
                               project_id="work", connected_to_agents_count_gt=0,
                               connected_to_agents_count_lt=2,
                               connected_to_agents_count_eq=[1], match_all_tags=False) == 1
    assert agent.memory_blocks[0].id == persona.id
    with pytest.raises(UnprocessableEntityError):
        client.blocks.list(connected_to_agents_count_gt=-1)
    with pytest.raises(UnprocessableEntityError):  # Letta's one order of blocks
        client.blocks.list(order_by="updated_at")


def test_modify_and_read_only(client: LettaIdentity) -> None:
    block = client.blocks.create(label="prefs", value="Likes short answers", limit=100)
    changed = client.blocks.modify(block.id, value="Likes long answers", label="preferences",
                                   limit=200, description="d", metadata={"m": 1},
                                   project_id="p", hidden=True, tags=["t"])
    assert (changed.value, changed.label, changed.limit, changed.description) == (
        "Likes long answers", "preferences", 200, "d")
    assert changed.metadata == {"m": 1} and changed.project_id == "p" and changed.hidden
    assert changed.tags == ["t"] and changed.updated_at > block.updated_at
    locked = client.blocks.update(block.id, read_only=True)  # 1.x's name
    assert locked.read_only
    # read_only is for the agent's own memory tools: the API changes the block (Letta's rule).
    changed = client.blocks.modify(block.id, value="x")
    assert changed.value == "x" and changed.read_only
    unlocked = client.blocks.modify(block.id, read_only=False)
    assert unlocked.value == "x" and not unlocked.read_only
    assert client.blocks.modify(block.id, value="y" * 201).value == "y" * 201  # limit: advisory


def test_delete(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    block = client.blocks.create(label="human", value="", identity_ids=[caren.id])
    assert client.blocks.delete(block.id) is None
    with pytest.raises(NotFoundError):
        client.blocks.retrieve(block.id)
    assert client.identities.retrieve(caren.id).block_ids == []


def test_agents_of_a_block(client: LettaIdentity) -> None:
    shared = client.blocks.create(label="persona", value="helpful")
    first = client.agents.create(name="first", block_ids=[shared.id])
    second = client.agents.create(name="second", block_ids=[shared.id])
    hidden = client.agents.create(name="hidden", block_ids=[shared.id], hidden=True)
    # Hidden agents too, as Letta lists a block's agents.
    assert [a.name for a in client.blocks.agents.list(shared.id)] == ["hidden", "second", "first"]
    assert [a.name for a in client.blocks.agents.list(shared.id, order="asc", limit=1,
                                                      order_by="created_at")] == ["first"]
    assert [a.id for a in client.blocks.agents.list(shared.id, after=second.id)] == [first.id]
    assert [a.id for a in client.blocks.agents.list(shared.id, before=first.id)] == [
        hidden.id, second.id]
    assert hidden.id not in [a.id for a in client.blocks.agents.list(shared.id,
                                                                     include_hidden=False)]
    with pytest.raises(UnprocessableEntityError):
        client.blocks.agents.list(shared.id, order_by="name")
    full = client.blocks.agents.list(shared.id, include_relationships=["memory", "identities"])
    assert full[0].memory_blocks[0].id == shared.id and full[0].identities == []


def test_block_identities(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    block = client.blocks.create(label="human", value="")
    assert client.blocks.identities.attach(caren.id, block_id=block.id) is True
    assert client.blocks.identities.attach(caren.id, block_id=block.id) is False
    assert client.blocks.retrieve(block.id).identity_ids == [caren.id]
    assert client.blocks.identities.detach(caren.id, block_id=block.id) is True
    assert client.blocks.identities.detach(caren.id, block_id=block.id) is False
    with pytest.raises(NotFoundError):
        client.blocks.identities.attach(caren.id, block_id="block-00000000-0000-4000-8000-000000000000")


def test_tags(client: LettaIdentity) -> None:
    for tags in (["alpha", "beta", "gamma"], ["beta", "gamma", "delta"], ["gamma", "delta", "epsilon"]):
        client.agents.create(tags=tags)
    client.blocks.create(label="b", value="", tags=["zeta"])
    assert client.tags.list() == ["alpha", "beta", "delta", "epsilon", "gamma", "zeta"]
    assert client.tags.list(limit=2) == ["alpha", "beta"]
    assert client.tags.list(after="beta", limit=3) == ["delta", "epsilon", "gamma"]
    assert client.tags.list(before="delta") == ["alpha", "beta"]
    assert client.tags.list(query_text="TA") == ["beta", "delta", "zeta"]
    assert client.tags.list(name="del", query_text="ta") == ["delta"]  # name wins, as Letta
    assert client.tags.list(order_by="name", limit=1) == ["alpha"]
    with pytest.raises(UnprocessableEntityError):
        client.tags.list(order_by="created_at")
    assert client.tags.list(order="desc", limit=2) == ["zeta", "gamma"]
    assert client.with_organization(None).tags.list(query_text="epsilon") == []
