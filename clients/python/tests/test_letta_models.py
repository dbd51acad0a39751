"""Returned objects validate against letta-client's own models (letta-client 0.1.324).

Identity, IdentityProperty, Block and Memory validate whole. Letta's AgentState requires what
this model does not have (system, agent_type, llm_config, embedding_config, tools, sources,
memory): the agent is validated on the subset of fields both have, each against Letta's own
annotation, and its memory blocks as Letta Blocks.
"""

from typing import Any, Dict

import pydantic
import pytest
from letta_client import types as letta

from letta_identity_client import AgentState, LettaIdentity

AGENT_FIELDS_HERE_AND_IN_LETTA = {"id", "name", "tags", "identity_ids", "project_id", "metadata",
                                  "hidden", "created_at", "updated_at"}

# Letta's AgentState restricted to the fields both models have, with Letta's own types.
LettaAgentSubset = pydantic.create_model(
    "LettaAgentSubset",
    **{name: (field.annotation, ...) for name, field in letta.AgentState.model_fields.items()
       if name in AGENT_FIELDS_HERE_AND_IN_LETTA})


def as_json(model: pydantic.BaseModel) -> Dict[str, Any]:
    return model.model_dump(mode="json")  # what the object is on the wire


def test_identity_and_properties(client: LettaIdentity) -> None:
    agent = client.agents.create(name="helper")
    block = client.blocks.create(label="human", value="")
    properties = [{"key": "plan", "value": "pro", "type": "string"},
                  {"key": "seats", "value": 5, "type": "number"},
                  {"key": "ratio", "value": 0.5, "type": "number"},
                  {"key": "active", "value": True, "type": "boolean"},
                  {"key": "config", "value": {"dark": True}, "type": "json"}]
    identities = [
        client.identities.create(identifier_key="user_1", name="Caren", properties=properties,
                                 agent_ids=[agent.id], block_ids=[block.id], project_id="work"),
        client.identities.create(identifier_key="acme", name="Acme", identity_type="org"),
    ]
    identities += client.identities.list()
    for identity in identities:
        validated = letta.Identity.model_validate(as_json(identity))
        for field in ("id", "identifier_key", "name", "identity_type", "project_id", "agent_ids",
                      "block_ids"):
            assert getattr(validated, field) == getattr(identity, field)
        assert [p.model_dump() for p in validated.properties] == [
            p.model_dump() for p in identity.properties]
        for prop in identity.properties:
            assert letta.IdentityProperty.model_validate(as_json(prop)).value == prop.value
    assert identities[0].id.startswith("identity-") and identities[0].agent_ids[0].startswith("agent-")


def test_blocks_and_memory(client: LettaIdentity) -> None:
    caren = client.identities.create(identifier_key="user_1", name="Caren")
    client.blocks.create(label="human", value="Caren likes tea", limit=100, description="d",
                         metadata={"source": "chat"}, identity_ids=[caren.id], read_only=True,
                         project_id="work", tags=["t"])
    agent = client.agents.create(name="helper", identity_ids=[caren.id],
                                 memory_blocks=[{"label": "persona", "value": "I am helpful"}])
    blocks = client.blocks.list() + client.agents.blocks.list(agent.id)
    for block in blocks:
        validated = letta.Block.model_validate(as_json(block))
        assert (validated.id, validated.label, validated.value, validated.limit) == (
            block.id, block.label, block.value, block.limit)
        assert (validated.read_only, validated.metadata) == (block.read_only, block.metadata)
    for memory_block in agent.memory_blocks:
        assert letta.Block.model_validate(as_json(memory_block)).id == memory_block.id
    memory = letta.Memory.model_validate(as_json(client.agents.core_memory.retrieve(agent.id)))
    assert [b.label for b in memory.blocks] == ["persona", "human"]


def test_agent_state_subset(client: LettaIdentity) -> None:
    assert set(LettaAgentSubset.model_fields) == AGENT_FIELDS_HERE_AND_IN_LETTA
    caren = client.identities.create(identifier_key="user_1", name="Caren",
                                     properties=[{"key": "plan", "value": "pro", "type": "string"}])
    agents = [client.agents.create(name="helper", tags=["support"], identity_ids=[caren.id],
                                   project_id="work", metadata={"tier": 1},
                                   memory_blocks=[{"label": "human", "value": "Caren"}]),
              client.agents.create(name="hidden one", hidden=True)]
    agents += client.agents.list(include_hidden=True, include_relationships=["memory", "identities"])
    for agent in agents:
        assert isinstance(agent, AgentState)
        subset = LettaAgentSubset.model_validate(
            {name: value for name, value in as_json(agent).items()
             if name in AGENT_FIELDS_HERE_AND_IN_LETTA})
        assert subset.id == agent.id and subset.tags == agent.tags
        assert subset.created_at == agent.created_at
        for block in agent.memory_blocks or []:
            letta.Block.model_validate(as_json(block))
        for identity in agent.identities or []:
            for prop in identity.properties:
                letta.IdentityProperty.model_validate(as_json(prop))
    assert agents[0].id.startswith("agent-")


def test_validation_is_real() -> None:
    # letta-client's models are "unchecked" for construction; model_validate does check.
    with pytest.raises(pydantic.ValidationError):
        letta.Identity.model_validate({"id": "identity-x", "name": "no key", "identity_type": "user",
                                       "agent_ids": [], "block_ids": []})
    with pytest.raises(pydantic.ValidationError):
        LettaAgentSubset.model_validate({"id": "agent-x", "name": None, "tags": [],
                                         "identity_ids": [], "project_id": None, "metadata": {},
                                         "hidden": False, "created_at": "2025-01-01T00:00:00Z",
                                         "updated_at": "2025-01-01T00:00:00Z"})
