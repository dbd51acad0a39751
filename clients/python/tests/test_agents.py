"""client.agents and its sub-resources (blocks, identities, core_memory)."""

import pytest

from letta_identity_client import (AgentState, Block, ConflictError, LettaIdentity, Memory,
                                   NotFoundError, UnprocessableEntityError)

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
    # Oldest block first: the shared one was made before the call (limit: Letta's default).
    assert [(b.label, b.value, b.limit) for b in helper.memory_blocks] == [
        ("persona", "I am helpful", 100000), ("human", "Caren", 100)]
    assert helper.blocks == helper.memory_blocks == list(helper.memory.blocks)
    # A new human block gets Letta's default description; the shared block keeps its own.
    assert helper.blocks[1].description and helper.blocks[0].description is None
    assert [i.identifier_key for i in helper.identities] == ["user_1"]
    assert client.agents.retrieve(helper.id) == helper
    assert client.identities.retrieve(caren.id).agent_ids == [helper.id]


def test_create_takes_letta_request_models_and_an_id(client: LettaIdentity) -> None:
    from letta_client.types import CreateBlock
    mirrored = client.agents.create(id=MIRRORED_ID, memory_blocks=[
        CreateBlock(label="human", value="Caren", description="who I talk to")])
    assert mirrored.id == MIRRORED_ID and mirrored.name == ""  # Letta's name is a str
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
    # Every relationship unless told, as Letta's lists; include_relationships=[] reads none.
    plain = client.agents.list(limit=1, include_relationships=[])[0]
    assert plain.memory_blocks is None and plain.identities is None
    full = client.agents.list(limit=1)[0]
    assert [b.value for b in full.memory_blocks] == ["gamma"] and full.identities == []
    assert client.agents.list(limit=1, include_memory=True)[0].memory_blocks is not None
    with pytest.raises(UnprocessableEntityError):  # agents here have no last run
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
    with pytest.raises(UnprocessableEntityError):
        client.agents.modify(agent.id, context_window_limit=0)


def test_delete(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    agent = client.agents.create(name="temporary", identity_ids=[caren.id],
                                 memory_blocks=[{"label": "human", "value": "x"}])
    kept = client.agents.create(name="kept", memory_blocks=[{"label": "human", "value": "y"}])
    assert client.agents.delete(agent.id) is None
    with pytest.raises(NotFoundError):
        client.agents.retrieve(agent.id)
    assert client.blocks.retrieve(agent.blocks[0].id).value == "x"  # blocks stay, as in Letta
    assert client.identities.retrieve(caren.id).agent_ids == []
    client.agents.delete(kept.id, delete_blocks=True)  # the extension's
    with pytest.raises(NotFoundError):
        client.blocks.retrieve(kept.blocks[0].id)
    with pytest.raises(TypeError):  # gone: blocks stay unless delete_blocks=True
        client.agents.delete(agent.id, keep_blocks=True)


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
    # read_only is for the agent's own memory tools: the API changes the block (Letta's rule).
    assert client.agents.blocks.modify(agent.id, "persona", value="changed").value == "changed"
    with pytest.raises(NotFoundError):
        client.agents.blocks.retrieve(agent.id, "no such label")
    with pytest.raises(NotFoundError):
        client.agents.blocks.modify(agent.id, "no such label", value="x")
    other_persona = client.blocks.create(label="persona", value="another")
    with pytest.raises(ConflictError):  # one block per label in an agent
        client.agents.blocks.attach(agent.id, other_persona.id)
    detached = client.agents.blocks.detach(agent.id, persona.id)
    assert [b.label for b in detached.memory_blocks] == ["human"]
    assert detached.updated_at > attached.updated_at > agent.updated_at  # both stamp the agent
    assert client.blocks.retrieve(persona.id).id == persona.id  # the block stays
    with pytest.raises(NotFoundError):  # not in its memory (Letta: 404)
        client.agents.blocks.detach(agent.id, persona.id)


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
    memory = client.agents.core_memory.retrieve(agent.id)  # Letta's: the agent's own blocks
    assert isinstance(memory, Memory) and all(isinstance(b, Block) for b in memory.blocks)
    assert [(b.label, b.value) for b in memory.blocks] == [("persona", "I am helpful")]
    assert [b.id for b in memory.blocks] == [b.id for b in agent.memory.blocks]
    whole = client.agents.core_memory.retrieve_with_identities(agent.id)  # the extension's
    assert [(b.label, b.value) for b in whole.blocks] == [
        ("persona", "I am helpful"), ("human", "Caren likes tea")]
    with pytest.raises(NotFoundError):
        client.agents.core_memory.retrieve("agent-00000000-0000-4000-8000-000000000000")


def test_modify_block_ids_sets_the_memory(client: LettaIdentity) -> None:
    agent = client.agents.create(name="helper", memory_blocks=[{"label": "human", "value": "x"}])
    human = agent.blocks[0]
    persona = client.blocks.create(label="persona", value="helpful")
    changed = client.agents.modify(agent.id, block_ids=[persona.id])
    assert [b.id for b in changed.blocks] == [persona.id]  # exactly these
    assert [b.id for b in changed.memory.blocks] == [persona.id]
    assert client.blocks.retrieve(human.id).value == "x"  # taken out, not deleted
    assert client.agents.modify(agent.id, block_ids=[]).blocks == []
    assert client.agents.modify(agent.id, name="renamed").blocks == []  # None keeps them
    with pytest.raises(UnprocessableEntityError):  # one way to set the memory at a time
        client.agents.modify(agent.id, block_ids=[human.id],
                             memory_blocks=[{"label": "human", "value": "y"}])
    with pytest.raises(NotFoundError):
        client.agents.modify(agent.id, block_ids=["block-00000000-0000-4000-8000-000000000000"])


def test_memory_of_agents(client: LettaIdentity) -> None:
    agent = client.agents.create(name="helper", memory_blocks=[{"label": "human", "value": "Caren"},
                                                               {"label": "persona", "value": "p"}])
    for read in (agent, client.agents.retrieve(agent.id),
                 client.agents.list(include_relationships=["memory"])[0]):
        assert [b.label for b in read.memory.blocks] == ["human", "persona"]
        assert read.blocks == read.memory_blocks == list(read.memory.blocks)
    # A list that did not load memory: blocks None ("not loaded"), memory.blocks [] as Letta's.
    plain = client.agents.list(include_relationships=[])[0]
    assert plain.blocks is None and plain.memory_blocks is None and plain.memory.blocks == []
    empty = client.agents.create(name="empty")
    assert empty.blocks == [] and empty.memory.blocks == []


def test_letta_defaults_for_what_is_not_stored(client: LettaIdentity) -> None:
    agent = client.agents.create(name="helper", model="openai/gpt-4o-mini",
                                 embedding="openai/text-embedding-3-small",
                                 context_window_limit=16000)
    assert (agent.system, agent.agent_type, agent.tools, agent.sources) == (
        "", "memgpt_agent", [], [])
    llm = agent.llm_config
    assert (llm.model, llm.model_endpoint_type, llm.context_window, llm.handle) == (
        "gpt-4o-mini", "openai", 16000, "openai/gpt-4o-mini")
    embedding = agent.embedding_config
    assert (embedding.embedding_endpoint_type, embedding.embedding_model, embedding.handle) == (
        "openai", "text-embedding-3-small", "openai/text-embedding-3-small")
    assert embedding.embedding_dim == 1024  # Letta's default: not stored here
    bare = client.agents.create(name="bare")
    assert (bare.llm_config.model, bare.llm_config.model_endpoint_type,
            bare.llm_config.context_window) == ("", None, 128000)
    assert bare.embedding_config.embedding_model == "" and bare.embedding_config.handle is None
    # A dump validates back to the same agent.
    assert AgentState.model_validate(agent.model_dump()) == agent
    assert AgentState.model_validate_json(agent.model_dump_json()) == agent


def test_llm_and_embedding_configs_are_kept_as_the_row_can(client: LettaIdentity) -> None:
    from letta_client.types import EmbeddingConfig, LlmConfig
    llm = LlmConfig(model="gpt-4o-mini", model_endpoint_type="openai", context_window=8000,
                    temperature=0.2)
    embedding = EmbeddingConfig(embedding_endpoint_type="openai", embedding_dim=1536,
                                embedding_model="text-embedding-3-small")
    agent = client.agents.create(name="helper", llm_config=llm, embedding_config=embedding)
    assert (agent.model, agent.context_window_limit, agent.embedding) == (
        "openai/gpt-4o-mini", 8000, "openai/text-embedding-3-small")
    # The handle wins over model_endpoint_type/model; model= and context_window_limit= win
    # over llm_config; dicts do as models.
    changed = client.agents.modify(agent.id, llm_config={"handle": "anthropic/claude-sonnet-4",
                                                         "model": "x", "context_window": 200000},
                                   context_window_limit=100000,
                                   embedding_config={"handle": "letta/letta-free"})
    assert (changed.model, changed.context_window_limit, changed.embedding) == (
        "anthropic/claude-sonnet-4", 100000, "letta/letta-free")
    given = client.agents.modify(agent.id, model="openai/gpt-4.1", llm_config=llm)
    assert (given.model, given.context_window_limit) == ("openai/gpt-4.1", 8000)


def test_by_key_tag_edits_and_tag_counts(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    dan = client.identities.create(identifier_key="user_2", name="Dan")
    older = client.agents.create(name="older", tags=["a"], identity_ids=[caren.id])
    newer = client.agents.create(name="newer", tags=["a", "b"], identity_ids=[caren.id, dan.id])
    found = client.agents.by_key(["user_1", "user_2"])
    assert [a.id for a in found] == [newer.id, older.id]
    assert found[0].blocks == [] and sorted(found[0].identity_ids) == sorted([caren.id, dan.id])
    assert [a.id for a in client.agents.by_key("user_2", include_relationships=[])] == [newer.id]
    assert client.agents.by_key(["nobody"]) == []

    assert client.agents.tags.add(older.id, ["c", "a"]) == ["a", "c"]
    assert client.agents.tags.remove(older.id, "a") == ["c"]
    assert client.agents.retrieve(older.id).tags == ["c"]
    with pytest.raises(NotFoundError):
        client.agents.tags.add("agent-00000000-0000-4000-8000-000000000000", ["x"])

    assert client.tags.counts() == {"a": 1, "b": 1, "c": 1}
    assert client.tags.counts(tags=["b", "zz"]) == {"b": 1, "zz": 0}


def test_writes_by_key(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    agent = client.agents.create(name="carens", identifier_keys="user_1")
    assert agent.identity_ids == [caren.id]
    dan = client.identities.create(identifier_key="user_2", name="Dan")
    assert client.agents.identities.attach_by_key("user_2", agent_id=agent.id) is True
    assert client.agents.identities.attach_by_key("user_2", agent_id=agent.id) is False
    assert sorted(client.agents.retrieve(agent.id).identity_ids) == sorted([caren.id, dan.id])
    assert client.agents.identities.detach_by_key("user_2", agent_id=agent.id) is True
    assert [a.id for a in client.agents.by_key("user_2")] == []
    with pytest.raises(NotFoundError, match='no identity with identifier_key "user_9"'):
        client.agents.create(name="nobodys", identifier_keys=["user_1", "user_9"])
    with pytest.raises(NotFoundError, match='no identity with identifier_key "user_9"'):
        client.agents.identities.attach_by_key("user_9", agent_id=agent.id)
    assert [a.name for a in client.agents.list()] == ["carens"]
