"""Every kind of object the client returns validates, whole, against letta-client 0.1.324's own
models (installed by the `test` extra): Identity, IdentityProperty, AgentState (with its
LlmConfig, EmbeddingConfig and Memory), Block and Memory, each as it goes over the wire
(`model_dump(mode="json")`).
"""

from typing import Any, Dict, List

import pydantic
import pytest
from letta_client import types as letta

from letta_identity_client import AgentState, Block, Identity, LettaIdentity, Memory

PROPERTIES = [{"key": "plan", "value": "pro", "type": "string"},
              {"key": "seats", "value": 5, "type": "number"},
              {"key": "ratio", "value": 0.5, "type": "number"},
              {"key": "active", "value": True, "type": "boolean"},
              {"key": "config", "value": {"dark": True}, "type": "json"}]


def as_json(model: pydantic.BaseModel) -> Dict[str, Any]:
    return model.model_dump(mode="json")  # what the object is on the wire


def check_identity(identity: Any) -> letta.Identity:
    validated = letta.Identity.model_validate(as_json(identity))
    for field in ("id", "identifier_key", "name", "identity_type", "project_id", "agent_ids",
                  "block_ids"):
        assert getattr(validated, field) == getattr(identity, field)
    assert [p.model_dump() for p in validated.properties] == [
        p.model_dump() for p in identity.properties]
    for prop in identity.properties:
        assert letta.IdentityProperty.model_validate(as_json(prop)).value == prop.value
    return validated


def check_block(block: Any) -> letta.Block:
    validated = letta.Block.model_validate(as_json(block))
    assert (validated.id, validated.label, validated.value, validated.limit) == (
        block.id, block.label, block.value, block.limit)
    assert (validated.read_only, validated.metadata, validated.description) == (
        block.read_only, block.metadata, block.description)
    return validated


def check_memory(memory: Memory) -> letta.Memory:
    validated = letta.Memory.model_validate(as_json(memory))
    assert [b.id for b in validated.blocks] == [b.id for b in memory.blocks]
    for block in memory.blocks:
        check_block(block)
    return validated


def check_agent(agent: AgentState) -> letta.AgentState:
    assert isinstance(agent, AgentState)
    validated = letta.AgentState.model_validate(as_json(agent))
    assert (validated.id, validated.name, validated.tags, validated.identity_ids) == (
        agent.id, agent.name, agent.tags, agent.identity_ids)
    assert (validated.project_id, validated.metadata, validated.hidden) == (
        agent.project_id, agent.metadata, agent.hidden)
    assert (validated.created_at, validated.updated_at) == (agent.created_at, agent.updated_at)
    assert (validated.system, validated.agent_type, validated.tools, validated.sources) == (
        "", "memgpt_agent", [], [])
    assert validated.llm_config.context_window == agent.llm_config.context_window
    assert validated.llm_config.handle == agent.model
    assert validated.embedding_config.handle == agent.embedding
    check_memory(agent.memory)
    assert [b.id for b in validated.memory.blocks] == [b.id for b in agent.blocks or []]
    for block in agent.blocks or []:
        check_block(block)
    for identity in agent.identities or []:
        check_identity(identity)  # Letta 1.x's AgentState.identities: whole Identities
    return validated


def check_all(check, objects: List[Any]) -> None:
    assert objects
    for each in objects:
        check(each)


def test_identities(client: LettaIdentity) -> None:
    agent = client.agents.create(name="helper")
    block = client.blocks.create(label="human", value="")
    caren = client.identities.create(identifier_key="user_1", name="Caren", properties=PROPERTIES,
                                     agent_ids=[agent.id], block_ids=[block.id], project_id="work")
    acme = client.identities.create(identifier_key="acme", name="Acme", identity_type="org")
    assert isinstance(caren, Identity) and caren.agent_ids == [agent.id]
    check_all(check_identity, [
        caren, acme, client.identities.retrieve(caren.id),
        client.identities.modify(acme.id, name="Acme Inc."),
        client.identities.upsert(identifier_key="user_2", name="Sarah", identity_type="user"),
        client.identities.properties.upsert(acme.id, request=PROPERTIES[:2]),
        *client.identities.list(),
    ])
    assert caren.id.startswith("identity-") and caren.agent_ids[0].startswith("agent-")


def test_blocks_and_memory(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    shared = client.blocks.create(label="human", value="Caren likes tea", limit=100,
                                  description="d", metadata={"source": "chat"},
                                  identity_ids=[caren.id], read_only=True, project_id="work",
                                  tags=["t"])
    agent = client.agents.create(name="helper", identity_ids=[caren.id],
                                 memory_blocks=[{"label": "persona", "value": "I am helpful"}])
    assert isinstance(shared, Block)
    check_all(check_block, [
        shared, client.blocks.retrieve(shared.id),
        client.blocks.modify(shared.id, value="Caren likes green tea"),
        client.agents.blocks.retrieve(agent.id, "persona"),
        client.agents.blocks.modify(agent.id, "persona", value="I am terse"),
        *client.blocks.list(), *client.agents.blocks.list(agent.id),
        *client.identities.blocks.list(caren.id),
    ])
    memory = check_memory(client.agents.core_memory.retrieve(agent.id))
    assert [b.label for b in memory.blocks] == ["persona"]
    whole = check_memory(client.agents.core_memory.retrieve_with_identities(agent.id))
    assert [b.label for b in whole.blocks] == ["persona", "human"]
    check_memory(agent.memory)


def test_agents(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren",
                                     properties=PROPERTIES[:1])
    block = client.blocks.create(label="persona", value="helpful")
    helper = client.agents.create(name="helper", tags=["support"], identity_ids=[caren.id],
                                  project_id="work", metadata={"tier": 1},
                                  model="openai/gpt-4o-mini", context_window_limit=16000,
                                  embedding="openai/text-embedding-3-small",
                                  memory_blocks=[{"label": "human", "value": "Caren"}])
    bare = client.agents.create()  # no name, no model, no memory
    hidden = client.agents.create(name="hidden one", hidden=True, block_ids=[block.id])
    with_memory = client.agents.list(include_hidden=True,
                                     include_relationships=["memory", "identities"])
    without_memory = client.agents.list(include_hidden=True, include_relationships=[])
    assert all(a.blocks is None and a.memory.blocks == [] for a in without_memory)
    assert all(a.blocks is not None for a in client.agents.list(include_hidden=True))  # Letta's default
    check_all(check_agent, [
        helper, bare, hidden, client.agents.retrieve(helper.id),
        client.agents.modify(helper.id, name="renamed"),
        client.agents.blocks.attach(helper.id, block.id),
        client.agents.blocks.detach(helper.id, block.id),
        *with_memory, *without_memory,
        *client.identities.agents.list(caren.id),
        *client.identities.agents.list(caren.id, include_memory=True, include_identities=True),
        *client.blocks.agents.list(block.id),
        *client.blocks.agents.list(block.id, include_relationships=["memory", "identities"]),
    ])
    validated = check_agent(helper)
    assert (validated.llm_config.model, validated.llm_config.model_endpoint_type) == (
        "gpt-4o-mini", "openai")
    assert validated.embedding_config.embedding_model == "text-embedding-3-small"
    assert [b.label for b in validated.memory.blocks] == ["human"]
    assert check_agent(bare).name == ""
    # Embedded identities: every field of Letta's Identity, links empty as Letta's are.
    assert helper.identities[0].agent_ids == [] and helper.identities[0].block_ids == []


def test_validation_is_real() -> None:
    # letta-client's models are "unchecked" for construction; model_validate does check.
    with pytest.raises(pydantic.ValidationError):
        letta.Identity.model_validate({"id": "identity-x", "name": "no key", "identity_type": "user",
                                       "agent_ids": [], "block_ids": []})
    with pytest.raises(pydantic.ValidationError):  # what this client returned before issue 26
        letta.AgentState.model_validate({"id": "agent-x", "name": "a", "tags": [],
                                         "identity_ids": [], "metadata": {}, "hidden": False})
