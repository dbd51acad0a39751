"""client.agents and its sub-resources (blocks, identities, core_memory)."""

import pytest

from letta_identity_client import (AgentState, BadRequestError, Block, ConflictError,
                                   LettaIdentity, Memory, NotFoundError)

MIRRORED_ID = "agent-3f1c2a9e-8b7d-4c6e-9a5b-0d1e2f3a4b5c"


def names(agents):
    return [agent.name for agent in agents]


def test_create_and_retrieve(client: LettaIdentity, org: str) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    shared = client.blocks.create(label="persona", value="I am helpful")
    helper = client.agents.create(
        name="helper", tags=["support", "en", "support"], identity_ids=[caren.id],
        model="openai/gpt-4o-mini", embedding="openai/text-embedding-3-small",
        context_window_limit=16000, project_id="work", metadata={"tier": 1},
        memory_blocks=[{"label": "human", "value": "Caren", "limit": 100}], block_ids=[shared.id])
    assert isinstance(helper, AgentState) and helper.id.startswith("agent-")
    assert helper.tags == ["en", "support"]  # a set, sorted
    assert helper.identity_ids == [caren.id] and helper.organization_id == org
    assert (helper.model, helper.embedding, helper.context_window_limit) == (
        "openai/gpt-4o-mini", "openai/text-embedding-3-small", 16000)
    assert helper.project_id == "work" and helper.metadata == {"tier": 1} and not helper.hidden
    # Oldest block first: the shared one was made before the call.
    assert [(b.label, b.value, b.limit) for b in helper.memory_blocks] == [
        ("persona", "I am helpful", None), ("human", "Caren", 100)]
    assert [i.identifier_key for i in helper.identities] == ["user_1"]
    assert client.agents.retrieve(helper.id) == helper
    assert client.identities.retrieve(caren.id).agent_ids == [helper.id]


def test_create_takes_letta_request_models_and_an_id(client: LettaIdentity) -> None:
    from letta_client.types import CreateBlock
    mirrored = client.agents.create(id=MIRRORED_ID, memory_blocks=[
        CreateBlock(label="human", value="Caren", description="who I talk to")])
    assert mirrored.id == MIRRORED_ID and mirrored.name is None
    assert mirrored.memory_blocks[0].description == "who I talk to"
    assert mirrored.memory_blocks[0].metadata == {}  # CreateBlock's unset fields are not kept
    with pytest.raises(ConflictError):
        client.agents.create(id=MIRRORED_ID)
    assert client.agents.create(name="sub", tags=["role:subagent"]).hidden  # Letta's rule


def test_list_filters(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    sarah = client.identities.create(identifier_key="user_2", name="Sarah")
    primary_1 = client.agents.create(name="Search Agent One", tags=["primary", "benefit_1"],
                                     identity_ids=[caren.id], metadata={"team": "a"})
    primary_2 = client.agents.create(name="Search Agent Two", tags=["primary", "benefit_2"],
                                     identity_ids=[sarah.id], project_id="work")
    both = client.agents.create(name="both", tags=["primary", "benefit_1", "benefit_2"],
                                identity_ids=[caren.id, sarah.id])
    hidden = client.agents.create(name="hidden", tags=["primary"], hidden=True)
    assert names(client.agents.list(tags=["primary", "benefit_1"], match_all_tags=True)) == [
        "both", "Search Agent One"]
    assert names(client.agents.list(tags=["benefit_2", "nonexistent"])) == [
        "both", "Search Agent Two"]
    assert client.agents.list(tags=["primary", "nonexistent"], match_all_tags=True) == []
    assert names(client.agents.list(tags="benefit_1")) == ["both", "Search Agent One"]
    assert names(client.agents.list(identifier_keys=["user_1", "user_2"])) == [
        "both", "Search Agent Two", "Search Agent One"]  # each agent once
    assert names(client.agents.list(identifier_keys="user_2")) == ["both", "Search Agent Two"]
    assert names(client.agents.list(identity_id=caren.id)) == ["both", "Search Agent One"]
    assert names(client.agents.list(name="both")) == ["both"]
    assert names(client.agents.list(query_text="search agent")) == [
        "Search Agent Two", "Search Agent One"]
    assert names(client.agents.list(project_id="work")) == ["Search Agent Two"]
    assert names(client.agents.list(exclude_tags=["benefit_2"])) == ["Search Agent One"]
    assert names(client.agents.list(all_tags=["benefit_1", "benefit_2"])) == ["both"]
    assert names(client.agents.list(metadata={"team": "a"})) == ["Search Agent One"]
    assert hidden.id not in [a.id for a in client.agents.list()]
    assert hidden.id in [a.id for a in client.agents.list(include_hidden=True)]
    assert [a.id for a in client.agents.list()] == [both.id, primary_2.id, primary_1.id]


def test_list_pages_and_relationships(client: LettaIdentity) -> None:
    alpha, beta, gamma = (client.agents.create(name=n, memory_blocks=[{"label": "human", "value": n}])
                          for n in ("alpha", "beta", "gamma"))
    assert names(client.agents.list()) == ["gamma", "beta", "alpha"]
    assert names(client.agents.list(order="asc")) == ["alpha", "beta", "gamma"]
    assert names(client.agents.list(ascending=True)) == ["alpha", "beta", "gamma"]
    assert names(client.agents.list(order="desc", ascending=True)) == ["gamma", "beta", "alpha"]
    assert names(client.agents.list(limit=1, after=gamma.id)) == ["beta"]
    assert names(client.agents.list(before=alpha.id)) == ["gamma", "beta"]
    assert names(client.agents.list(order="asc", after=alpha.id, limit=1)) == ["beta"]
    client.agents.modify(alpha.id, metadata={"touched": True})
    assert names(client.agents.list(order_by="updated_at", limit=1)) == ["alpha"]
    plain = client.agents.list(limit=1)[0]
    assert plain.memory_blocks is None and plain.identities is None
    full = client.agents.list(limit=1, include_relationships=["memory", "identities"])[0]
    assert [b.value for b in full.memory_blocks] == ["gamma"] and full.identities == []
    assert client.agents.list(limit=1, include_memory=True)[0].memory_blocks is not None
    with pytest.raises(BadRequestError):
        client.agents.list(order_by="last_run_completion")
    with pytest.raises(NotFoundError):  # an unknown cursor is an error, not ignored
        client.agents.list(after="agent-00000000-0000-4000-8000-000000000000")


def test_count(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    client.agents.create(name="a", tags=["en", "support"], identity_ids=[caren.id])
    client.agents.create(name="b", tags=["en"], project_id="work", metadata={"x": 1})
    client.agents.create(name="c", hidden=True, tags=["en"])
    assert client.agents.count() == 2
    assert client.agents.count(include_hidden=True) == 3
    assert client.agents.count(tags=["en", "support"], match_all_tags=True) == 1
    assert client.agents.count(tags="en", exclude_tags=["support"]) == 1
    assert client.agents.count(all_tags=["en"]) == 2
    assert client.agents.count(identifier_keys="user_1") == 1
    assert client.agents.count(identity_id=caren.id, name="a", query_text="A") == 1
    assert client.agents.count(project_id="work", metadata={"x": 1}) == 1


def test_modify(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    sarah = client.identities.create(identifier_key="user_2", name="Sarah")
    agent = client.agents.create(name="helper", tags=["a", "b"], identity_ids=[caren.id],
                                 memory_blocks=[{"label": "human", "value": "Caren"},
                                                {"label": "persona", "value": "helpful"}])
    human = agent.memory_blocks[0]
    changed = client.agents.modify(
        agent.id, name="renamed", tags=["c"], identity_ids=[sarah.id], model="m", embedding="e",
        context_window_limit=8000, project_id="p", metadata={"k": "v"}, hidden=True,
        memory_blocks=[{"label": "human", "value": "Caren B."}])
    assert (changed.name, changed.tags, changed.identity_ids) == ("renamed", ["c"], [sarah.id])
    assert (changed.model, changed.embedding, changed.context_window_limit) == ("m", "e", 8000)
    assert changed.project_id == "p" and changed.metadata == {"k": "v"} and changed.hidden
    assert [(b.id, b.value) for b in changed.memory_blocks] == [(human.id, "Caren B.")]
    assert client.agents.update(agent.id, tags=[]).tags == []  # 1.x's name; [] clears
    assert client.agents.modify(agent.id).name == "renamed"  # nothing given: nothing changes
    with pytest.raises(BadRequestError):
        client.agents.modify(agent.id, context_window_limit=0)


def test_delete(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    agent = client.agents.create(name="temporary", identity_ids=[caren.id],
                                 memory_blocks=[{"label": "human", "value": "x"}])
    kept = client.agents.create(name="kept", memory_blocks=[{"label": "human", "value": "y"}])
    assert client.agents.delete(agent.id) is None
    with pytest.raises(NotFoundError):
        client.agents.retrieve(agent.id)
    with pytest.raises(NotFoundError):  # its own memory went with it
        client.blocks.retrieve(agent.memory_blocks[0].id)
    assert client.identities.retrieve(caren.id).agent_ids == []
    client.agents.delete(kept.id, keep_blocks=True)
    assert client.blocks.retrieve(kept.memory_blocks[0].id).value == "y"


def test_agent_blocks(client: LettaIdentity) -> None:
    agent = client.agents.create(name="helper", memory_blocks=[{"label": "human", "value": "Caren"}])
    persona = client.blocks.create(label="persona", value="I am helpful")
    attached = client.agents.blocks.attach(agent.id, persona.id)
    assert isinstance(attached, AgentState)
    assert [b.label for b in attached.memory_blocks] == ["human", "persona"]
    assert [b.label for b in client.agents.blocks.list(agent.id)] == ["human", "persona"]
    block = client.agents.blocks.retrieve(agent.id, "persona")
    assert isinstance(block, Block) and block.id == persona.id
    changed = client.agents.blocks.modify(agent.id, "persona", value="I am terse", limit=50,
                                          description="tone", read_only=True, tags=["t"])
    assert (changed.id, changed.value, changed.limit, changed.read_only) == (
        persona.id, "I am terse", 50, True)
    with pytest.raises(ConflictError) as raised:  # read-only: 55000
        client.agents.blocks.modify(agent.id, "persona", value="changed")
    assert raised.value.sqlstate == "55000"
    with pytest.raises(NotFoundError):
        client.agents.blocks.retrieve(agent.id, "no such label")
    with pytest.raises(NotFoundError):
        client.agents.blocks.modify(agent.id, "no such label", value="x")
    other_persona = client.blocks.create(label="persona", value="another")
    with pytest.raises(ConflictError):  # one block per label in an agent
        client.agents.blocks.attach(agent.id, other_persona.id)
    detached = client.agents.blocks.detach(agent.id, persona.id)
    assert [b.label for b in detached.memory_blocks] == ["human"]
    assert client.blocks.retrieve(persona.id).id == persona.id  # the block stays


def test_agent_identities(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    agent = client.agents.create(name="helper")
    assert client.agents.identities.attach(caren.id, agent_id=agent.id) is True
    assert client.agents.identities.attach(caren.id, agent_id=agent.id) is False  # idempotent
    assert client.agents.retrieve(agent.id).identity_ids == [caren.id]
    assert client.agents.identities.detach(caren.id, agent_id=agent.id) is True
    assert client.agents.identities.detach(caren.id, agent_id=agent.id) is False
    with pytest.raises(NotFoundError):
        client.agents.identities.attach(caren.id, agent_id="agent-00000000-0000-4000-8000-000000000000")


def test_core_memory(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    agent = client.agents.create(name="helper", identity_ids=[caren.id],
                                 memory_blocks=[{"label": "persona", "value": "I am helpful"}])
    client.blocks.create(label="human", value="Caren likes tea", identity_ids=[caren.id])
    memory = client.agents.core_memory.retrieve(agent.id)
    assert isinstance(memory, Memory)
    assert [(b.label, b.value) for b in memory.blocks] == [
        ("persona", "I am helpful"), ("human", "Caren likes tea")]
