"""Every keyword letta-client 0.1.324 takes on a method this client has is accepted: it reaches
the SQL, or it is documented as having no effect (NO_EFFECT), or it is refused with a 422 that
names it (REFUSED). Checked against letta-client's own signatures, without a database (the
statements a call would run are compared), then a few calls against the extension.
"""

import inspect
from pathlib import Path
from typing import Any, Dict, Iterator, Tuple

import pytest
from letta_client import Letta as LettaSdk
from psycopg.types.json import Jsonb

from letta_identity_client import LettaIdentity, UnprocessableEntityError
from letta_identity_client.resources import (NO_EFFECT, REFUSED, Agents, Blocks, Identities,
                                             Tags)

README = Path(__file__).resolve().parents[1] / "README.md"
RESOURCES = ("identities", "identities.properties", "identities.agents", "identities.blocks",
             "agents", "agents.blocks", "agents.core_memory", "blocks", "blocks.agents", "tags")

# A value of the right shape for each keyword (any other gets "x").
SAMPLES: Dict[str, Any] = {
    "order": "asc", "sort_by": "updated_at", "ascending": True, "identity_type": "org",
    "include_relationships": ["memory"], "memory_blocks": [{"label": "l", "value": "v"}],
    "properties": [{"key": "k", "value": "v", "type": "string"}],
    "request": [{"key": "k", "value": "v", "type": "string"}], "metadata": {"k": 1},
    "llm_config": {"handle": "openai/gpt-4o-mini", "context_window": 1000},
    "embedding_config": {"handle": "openai/text-embedding-3-small"},
    "match_all_tags": True, "hidden": True, "read_only": True, "limit": 5,
    "context_window_limit": 5, "connected_to_agents_count_gt": 1,
    "connected_to_agents_count_lt": 1, "connected_to_agents_count_eq": [1],
}


def recording_resources() -> Dict[str, Any]:
    """Our resources on a runner that returns the statements a call would run."""
    def run(call, organization_id):
        return [(s.sql, tuple(("jsonb", p.obj) if isinstance(p, Jsonb) else p for p in s.params))
                for s in call.statements]
    roots = {"identities": Identities(run), "agents": Agents(run), "blocks": Blocks(run),
             "tags": Tags(run)}
    return {path: _walk(roots, path) for path in RESOURCES}


def _walk(root: Any, path: str) -> Any:
    for part in path.split("."):
        root = root[part] if isinstance(root, dict) else getattr(root, part)
    return root


def sdk_methods() -> Iterator[Tuple[str, str, inspect.Signature]]:
    sdk = LettaSdk(base_url="http://localhost:1")  # never called
    for path in RESOURCES:
        resource = _walk(sdk, path)
        for name in ("create", "upsert", "retrieve", "list", "count", "modify", "delete",
                     "attach", "detach"):
            method = getattr(resource, name, None)
            if callable(method):
                yield path, name, inspect.signature(method)


METHODS = list(sdk_methods())


def test_every_method_of_ours_is_compared() -> None:
    assert len(METHODS) == 30


@pytest.mark.parametrize("path, name, signature", METHODS,
                         ids=[f"{p}.{n}" for p, n, _ in METHODS])
def test_every_letta_keyword_is_accepted(path: str, name: str,
                                         signature: inspect.Signature) -> None:
    ours = inspect.signature(getattr(recording_resources()[path], name)).parameters
    for parameter in signature.parameters.values():
        assert parameter.name in ours, f"{path}.{name} lacks {parameter.name}"
        mine = ours[parameter.name]
        assert mine.kind == parameter.kind or (
            mine.kind is inspect.Parameter.KEYWORD_ONLY
            and parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD), parameter.name
    assert "organization_id" in ours  # the extension's, on every method


@pytest.mark.parametrize("path, name, signature", METHODS,
                         ids=[f"{p}.{n}" for p, n, _ in METHODS])
def test_no_keyword_is_dropped_silently(path: str, name: str,
                                        signature: inspect.Signature) -> None:
    """Given a value, each keyword changes the SQL, is refused naming itself (422), or is
    listed in NO_EFFECT; a list of one order takes that order (its `order_by`)."""
    method = getattr(recording_resources()[path], name)
    positional = ["x" for p in signature.parameters.values()
                  if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    required = {p.name: SAMPLES.get(p.name, "x") for p in signature.parameters.values()
                if p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is inspect.Parameter.empty}
    baseline = method(*positional, **required)
    for keyword in signature.parameters:
        if keyword in required or keyword in [p for p in signature.parameters][:len(positional)]:
            continue
        value = SAMPLES.get(keyword, "x")
        if keyword == "order_by":
            value = "name" if path == "tags" else "created_at"
        try:
            statements = method(*positional, **required, **{keyword: value})
        except UnprocessableEntityError as refused:
            assert keyword in REFUSED and refused.message.startswith(f"{keyword} is not"), keyword
            # Nothing asked for: accepted.
            method(*positional, **required, **{keyword: False if value == "x" else None})
            continue
        if statements == baseline:
            assert keyword in NO_EFFECT or keyword == "order_by", (
                f"{path}.{name}({keyword}=...) is dropped without being listed in NO_EFFECT")


def test_the_tables_name_letta_keywords_and_the_readme_lists_them() -> None:
    letta_keywords = {k for _, _, signature in METHODS for k in signature.parameters}
    assert set(NO_EFFECT) <= letta_keywords and set(REFUSED) <= letta_keywords
    assert not set(NO_EFFECT) & set(REFUSED)
    readme = README.read_text(encoding="utf-8")
    for keyword in [*NO_EFFECT, *REFUSED]:
        assert f"`{keyword}`" in readme, keyword


def test_refused_keywords_name_themselves_before_the_server() -> None:
    agents = recording_resources()["agents"]
    for keyword, value in {"from_template": "customer-support:latest", "template": True,
                           "project": "default-project", "memory_variables": {"a": "b"},
                           "template_id": "template-1", "base_template_id": "x"}.items():
        with pytest.raises(UnprocessableEntityError) as raised:
            agents.create(name="a", **{keyword: value})
        error = raised.value
        assert (error.status_code, error.sqlstate) == (422, "22023")
        assert error.message == f"{keyword} is not supported here: {REFUSED[keyword]}"
        assert error.body["detail"] == error.message
    blocks = recording_resources()["blocks"]
    assert blocks.create(value="v", label="l", is_template=False, name=None)  # nothing asked
    with pytest.raises(UnprocessableEntityError, match="is_template is not supported"):
        blocks.create(value="v", label="l", is_template=True)
    with pytest.raises(UnprocessableEntityError, match="templates_only is not supported"):
        blocks.list(templates_only=True)


def test_letta_create_arguments_against_the_extension(client: LettaIdentity) -> None:
    from letta_client.types import CreateBlock, LlmConfig
    # A create call as written for a Letta server: the runtime's settings are accepted.
    agent = client.agents.create(
        name="support", agent_type="memgpt_v2_agent", system="You help.", tools=["web_search"],
        tool_ids=["tool-1"], include_base_tools=True, include_multi_agent_tools=False,
        include_base_tool_rules=True, include_default_source=False, tool_rules=[],
        description="helps customers", initial_message_sequence=[], max_tokens=1000,
        enable_reasoner=False, reasoning=False, max_reasoning_tokens=0,
        embedding_chunk_size=300, timezone="Europe/Paris", message_buffer_autoclear=False,
        enable_sleeptime=False, response_format=None, max_files_open=5,
        per_file_view_window_char_limit=1000, secrets={"k": "v"},
        tool_exec_environment_variables={"k": "v"}, source_ids=[], template=False,
        memory_blocks=[CreateBlock(label="human", value="Caren")],
        llm_config=LlmConfig(model="gpt-4o-mini", model_endpoint_type="openai",
                             context_window=32000),
        embedding="openai/text-embedding-3-small",
        request_options={"timeout_in_seconds": 5, "max_retries": 2})
    assert (agent.name, agent.model, agent.context_window_limit) == (
        "support", "openai/gpt-4o-mini", 32000)
    assert (agent.system, agent.agent_type, agent.tools) == ("", "memgpt_agent", [])
    assert [b.label for b in agent.memory.blocks] == ["human"]
    changed = client.agents.modify(agent.id, system="Be brief.", tool_ids=[], description="d",
                                   last_run_duration_ms=5, timezone="UTC", tags=["vip"],
                                   request_options={"max_retries": 0})
    assert changed.tags == ["vip"]
    assert client.agents.retrieve(agent.id, include_relationships=[]).blocks == agent.blocks
    assert [a.id for a in client.agents.list(sort_by="created_at", order="asc",
                                             request_options={})] == [agent.id]
    with pytest.raises(UnprocessableEntityError, match="from_template is not supported"):
        client.agents.create(from_template="support-agent:latest")
    with pytest.raises(UnprocessableEntityError, match="template_id is not supported"):
        client.agents.list(template_id="template-1")
    assert client.agents.count() == 1  # nothing was made by the refused call


def test_letta_block_arguments_against_the_extension(client: LettaIdentity) -> None:
    block = client.blocks.create(value="v", label="human", is_template=False,
                                 preserve_on_migration=True, request_options={})
    assert client.blocks.modify(block.id, value="w", preserve_on_migration=False).value == "w"
    assert [b.id for b in client.blocks.list(templates_only=False, order_by="created_at")] == [
        block.id]
    with pytest.raises(UnprocessableEntityError, match="name is not supported"):
        client.blocks.create(value="v", label="persona", name="persona-template")
    with pytest.raises(UnprocessableEntityError, match="deployment_id is not supported"):
        client.blocks.modify(block.id, deployment_id="d")
    assert client.blocks.count() == 1
