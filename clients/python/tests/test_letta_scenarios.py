"""Letta's own SDK scenarios (letta-ai/letta at its last commit with 0.1.x-SDK tests:
tests/sdk/identities_test.py, agents_test.py, blocks_test.py and the tag, block and agent-list
tests of tests/test_sdk_client.py and tests/test_client.py), through this client, in this
project's words. Where the outcome differs from Letta's on purpose, the test says so and the
README's "Differences from Letta" has the row. Scenarios that need an LLM, tools, sources or
messages are left out."""

import pytest

from letta_identity_client import ApiError, LettaIdentity, NotFoundError


# tests/sdk/identities_test.py: create, retrieve, upsert, modify, list, delete.
def test_sdk_identities(client: LettaIdentity) -> None:
    caren1 = client.identities.create(identifier_key="123", name="caren", identity_type="user")
    caren2 = client.identities.create(identifier_key="456", name="caren", identity_type="user")
    assert (caren1.identifier_key, caren1.name, caren1.identity_type) == ("123", "caren", "user")
    assert client.identities.retrieve(caren1.id).id == caren1.id
    email = [{"key": "email", "value": "caren@yahoo.com", "type": "string"}]
    upserted = client.identities.upsert(identifier_key="456", name="caren", identity_type="user",
                                        properties=email)
    assert upserted.id == caren2.id
    assert [p.model_dump() for p in upserted.properties] == email
    for identity, address in ((caren1, "caren@letta.com"), (caren2, "caren@gmail.com")):
        sent = [{"key": "email", "value": address, "type": "string"}]
        assert [p.model_dump() for p in client.identities.modify(identity.id, properties=sent).properties] == sent
        assert [p.model_dump() for p in client.identities.retrieve(identity.id).properties] == sent
    assert len(client.identities.list()) == 2
    assert len(client.identities.list(name="caren")) == 2  # a substring of the name, as Letta's
    assert len(client.identities.list(identifier_key="123")) == 1
    client.identities.delete(caren1.id)
    with pytest.raises(ApiError) as gone:
        client.identities.retrieve(caren1.id)
    assert gone.value.status_code == 404


# tests/sdk/agents_test.py: create (name echoes), modify, list (by name), delete.
def test_sdk_agents(client: LettaIdentity) -> None:
    caren = client.agents.create(name="caren", model="openai/gpt-4o-mini",
                                 embedding="openai/text-embedding-3-small")
    assert caren.name == "caren"
    assert client.agents.modify(caren.id, name="caren_updated").name == "caren_updated"
    assert client.agents.retrieve(caren.id).name == "caren_updated"
    assert [a.id for a in client.agents.list()] == [caren.id]
    assert [a.id for a in client.agents.list(name="caren_updated")] == [caren.id]
    client.agents.delete(caren.id)
    with pytest.raises(ApiError) as gone:
        client.agents.retrieve(caren.id)
    assert gone.value.status_code == 404


# tests/sdk/blocks_test.py: create with the default limit, modify, list by label, delete. At the
# last release the limit is advisory: the modify Letta's 0.1.x test expected to fail (a value
# longer than limit 10) succeeds, as Letta's last server does.
def test_sdk_blocks(client: LettaIdentity) -> None:
    human = client.blocks.create(label="human", value="test")
    persona = client.blocks.create(label="persona", value="test1")
    assert human.limit == persona.limit == 100000  # CORE_MEMORY_BLOCK_CHAR_LIMIT
    assert client.blocks.modify(human.id, value="test2").value == "test2"
    longer = client.blocks.modify(persona.id, value="testing testing testing", limit=10)
    assert (longer.value, longer.limit) == ("testing testing testing", 10)
    assert len(client.blocks.list()) == 2
    assert [b.id for b in client.blocks.list(label="human")] == [human.id]
    assert [b.id for b in client.blocks.list(label="persona")] == [persona.id]
    client.blocks.delete(human.id)
    with pytest.raises(NotFoundError):
        client.blocks.retrieve(human.id)


# test_sdk_client.py::test_read_only_block: the API changes a read-only block (only the agent's
# own memory tools may not).
def test_read_only_block(client: LettaIdentity) -> None:
    agent = client.agents.create(memory_blocks=[{"label": "human", "value": "username: sarah",
                                                 "read_only": True}])
    changed = client.agents.blocks.modify(agent.id, block_label="human", value="hello")
    assert (changed.value, changed.read_only) == ("hello", True)
    assert client.agents.blocks.retrieve(agent.id, block_label="human").value == "hello"


# test_sdk_client.py: managing an agent's tags, then finding it by each.
def test_agent_tags(client: LettaIdentity) -> None:
    agent = client.agents.create()
    assert agent.tags == []
    tags = ["test_tag_1", "test_tag_2", "test_tag_3"]
    assert sorted(client.agents.modify(agent.id, tags=tags).tags) == tags
    for tag in tags:
        assert [a.id for a in client.agents.list(tags=[tag])] == [agent.id]
    assert sorted(client.agents.modify(agent.id, tags=tags[:2]).tags) == tags[:2]
    assert client.agents.modify(agent.id, tags=[]).tags == []


# test_sdk_client.py::test_list_tags: the organization's tags, sorted, paged and searched.
def test_tag_list(client: LettaIdentity) -> None:
    for tags in (["test", "agent1", "production"], ["test", "agent2", "development"],
                 ["test", "agent3", "production"]):
        client.agents.create(tags=tags)
    assert client.tags.list() == ["agent1", "agent2", "agent3", "development", "production", "test"]
    assert client.tags.list(limit=2) == ["agent1", "agent2"]
    assert client.tags.list(after="agent2", limit=2) == ["agent3", "development"]
    assert client.tags.list(query_text="prod") == ["production"]
    assert client.tags.list(query_text="dev") == ["development"]
    assert client.tags.list(query_text="agent") == ["agent1", "agent2", "agent3"]


# test_sdk_client.py: renaming a block through the agent, then finding it by its new label.
def test_rename_label(client: LettaIdentity) -> None:
    agent = client.agents.create(memory_blocks=[{"label": "human", "value": "username: sarah"}])
    first = client.agents.blocks.list(agent.id)[0].label
    client.agents.blocks.modify(agent.id, block_label=first, label="example_new_label")
    assert client.agents.blocks.retrieve(agent.id, block_label="example_new_label").label == "example_new_label"


# test_sdk_client.py: attaching a new block, then detaching it; detaching it again is not found
# (Letta's manager raises NoResultFound).
def test_attach_detach_block(client: LettaIdentity) -> None:
    agent = client.agents.create(memory_blocks=[{"label": "human", "value": "username: sarah"}])
    label = client.agents.blocks.list(agent.id)[0].label + "_v2"
    block = client.blocks.create(label=label, value="example value", limit=1000)
    client.agents.blocks.attach(agent.id, block_id=block.id)
    assert client.agents.blocks.retrieve(agent.id, block_label=label).value == "example value"
    client.agents.blocks.detach(agent.id, block_id=block.id)
    assert label not in [b.label for b in client.agents.blocks.list(agent.id)]
    with pytest.raises(NotFoundError):
        client.agents.blocks.detach(agent.id, block_id=block.id)


# test_sdk_client.py: an agent made from memory blocks (copied into new blocks) and existing
# blocks by id; each label's value and limit as given.
def test_agent_creation_with_blocks(client: LettaIdentity) -> None:
    preferences = client.blocks.create(label="user_preferences", value="", limit=10000)
    persona = {"label": "persona", "value": "persona description", "limit": 5000}
    mindy = {"label": "mindy", "value": "Mindy is a helper", "limit": 5000}
    agent = client.agents.create(memory_blocks=[persona, mindy], block_ids=[preferences.id],
                                 tags=["test"], tool_ids=[], include_base_tools=False)
    for label, value, limit in (("user_preferences", "", 10000), ("persona", "persona description", 5000),
                                ("mindy", "Mindy is a helper", 5000)):
        block = client.agents.blocks.retrieve(agent.id, block_label=label)
        assert (block.value, block.limit) == (value, limit)


# test_sdk_client.py: two agents with blocks labelled user1 and user2: two blocks per label.
def test_many_blocks(client: LettaIdentity) -> None:
    agents = [client.agents.create(memory_blocks=[{"label": "user1", "value": "user1 memory"},
                                                  {"label": "user2", "value": "user2 memory"}])
              for _ in range(2)]
    for user in ("user1", "user2"):
        assert client.agents.blocks.retrieve(agents[0].id, block_label=user).value == user + " memory"
        assert len(client.blocks.list(label=user)) == 2


# test_client.py::test_agent_listing: query_text, paged by one without repeats.
def test_agent_listing(client: LettaIdentity) -> None:
    client.agents.create(name="test_client")
    one = client.agents.create(name="Search Agent One")
    two = client.agents.create(name="Search Agent Two")
    assert len(client.agents.list(query_text="search agent")) == 2
    assert len(client.agents.list(query_text="client")) == 1
    first = client.agents.list(query_text="search agent", limit=1)
    second = client.agents.list(query_text="search agent", limit=1, after=first[0].id)
    assert {first[0].id, second[0].id} == {one.id, two.id}
    assert len(client.agents.list()) >= 3
