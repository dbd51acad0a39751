"""The objects the client returns, named and shaped as letta-client's models.

Pydantic models rather than dataclasses: letta-client's own models are pydantic, so code written
for Letta keeps calling `model_dump()`, `model_dump_json()` and `model_validate()` on them, and
each row from the database is checked on its way in (a changed row type fails here, loudly).
Every field that Letta's model has keeps Letta's name and type; the extension's extra fields
(`organization_id`, the timestamps, `model` on agents, ...) come after them. Unknown fields are
kept (extra="allow", as Letta's models do), so a newer extension does not break an older client.
Every object validates against letta-client 0.1.324's model of the same name (the tests check it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Dict, List, Literal, NewType, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Each kind of id is its own type for type checkers (a str at run time, as in letta-client):
# mypy or pyright reject an identity's id passed where an agent's is expected. An id that comes
# from outside the client (a URL, a form) is named once: `AgentId(request.path_params["id"])`.
AgentId = NewType("AgentId", str)
IdentityId = NewType("IdentityId", str)
BlockId = NewType("BlockId", str)

IdentityType = Literal["user", "org", "other"]
IdentityPropertyType = Literal["string", "number", "boolean", "json"]
# The value's JSON type must match `type` (the extension checks it; Letta does not).
IdentityPropertyValue = Union[str, int, float, bool, Dict[str, Any]]

# What an agent reads as for what Letta's AgentState requires and this model does not store.
DEFAULT_SYSTEM = ""                  # no system prompt here: prompts are the Letta server's
DEFAULT_AGENT_TYPE = "memgpt_agent"  # Letta's first agent type (AgentType's first value)
DEFAULT_CONTEXT_WINDOW = 128000      # Letta's DEFAULT_CONTEXT_WINDOW, when context_window_limit is NULL
DEFAULT_EMBEDDING_DIM = 1024         # Letta's DEFAULT_EMBEDDING_DIM: the dimension is not stored


class _Model(BaseModel):
    # Frozen as Letta's models are: a returned object is a snapshot of a row, not a handle to it.
    model_config = ConfigDict(frozen=True, extra="allow")


class IdentityProperty(_Model):
    key: str
    # bool before the numbers: pydantic's smart union keeps True a bool, 5 an int, 5.5 a float.
    value: Union[bool, int, float, str, Dict[str, Any]]
    type: IdentityPropertyType


class Identity(_Model):
    id: IdentityId
    identifier_key: str
    name: str
    identity_type: IdentityType
    project_id: Optional[str] = None
    agent_ids: List[AgentId]
    block_ids: List[BlockId]
    organization_id: str
    properties: List[IdentityProperty]
    created_at: datetime
    updated_at: datetime


class MemoryBlock(_Model):
    """A block as an agent embeds it (`agent.blocks`, `agent.memory.blocks`): Letta's Block."""

    id: BlockId
    label: str
    value: str
    limit: Optional[int] = None
    description: Optional[str] = None
    metadata: Dict[str, Any]
    read_only: bool


class AgentIdentity(_Model):
    """An identity as an agent embeds it (Letta 1.0's `AgentState.identities`)."""

    id: IdentityId
    identifier_key: str
    name: str
    identity_type: IdentityType
    project_id: Optional[str] = None
    agent_ids: List[AgentId]
    block_ids: List[BlockId]
    organization_id: str
    properties: List[IdentityProperty]


class Block(_Model):
    id: BlockId
    label: str
    value: str
    limit: Optional[int] = None
    description: Optional[str] = None
    metadata: Dict[str, Any]
    identity_ids: List[IdentityId]
    organization_id: str
    created_at: datetime
    updated_at: datetime
    read_only: bool
    project_id: Optional[str] = None
    hidden: bool
    tags: List[str]


class Memory(_Model):
    """What an agent remembers (Letta's `Memory`): the blocks in its memory, oldest first.

    Blocks read whole (`core_memory.retrieve`) are `Block`s; blocks embedded in an agent are
    `MemoryBlock`s (the fields Letta's Block has)."""

    # A whole Block when the row has its fields, else the embedded form.
    blocks: List[Annotated[Union[Block, MemoryBlock], Field(union_mode="left_to_right")]]


class LlmConfig(_Model):
    """Letta's LlmConfig, derived from the agent's `model` handle ("provider/model") and
    `context_window_limit`: this model stores no other LLM setting."""

    model: str
    model_endpoint_type: Optional[str] = None  # the handle's provider; None without one
    context_window: int
    handle: Optional[str] = None


class EmbeddingConfig(_Model):
    """Letta's EmbeddingConfig, derived from the agent's `embedding` handle."""

    embedding_endpoint_type: Optional[str] = None
    embedding_model: str
    embedding_dim: int
    handle: Optional[str] = None


def _split_handle(handle: Optional[str]) -> Dict[str, Optional[str]]:
    # Letta's handles are "provider/model"; the model part may hold more slashes.
    provider, slash, name = (handle or "").partition("/")
    return {"provider": provider if slash else None, "name": name if slash else (handle or "")}


class AgentState(_Model):
    """An agent: Letta's AgentState (0.1.x), then the extension's fields.

    `memory.blocks` and `blocks` (Letta 1.x's; alias `memory_blocks`, the row's name) are the
    blocks in the agent's memory. The lists fill `blocks` and `identities` only when asked
    (`include_memory=True` / `include_identities=True`, or Letta's
    `include_relationships=["memory", "identities"]`; reading them costs a probe per agent):
    otherwise they are None and `memory.blocks` is [], as in a Letta AgentState whose memory
    was not loaded.
    What Letta requires and this model does not store reads as documented defaults:
    `system` "", `agent_type` "memgpt_agent", `tools` [], `sources` [], and `llm_config` /
    `embedding_config` derived from `model`, `context_window_limit` and `embedding`.
    """

    id: AgentId
    name: str  # Letta requires a name; an agent without one (the extension allows it) reads ""
    system: str = DEFAULT_SYSTEM
    agent_type: str = DEFAULT_AGENT_TYPE
    llm_config: LlmConfig
    embedding_config: EmbeddingConfig
    memory: Memory
    tools: List[Any] = []
    sources: List[Any] = []
    tags: List[str]
    identity_ids: List[IdentityId]
    project_id: Optional[str] = None
    organization_id: str
    model: Optional[str] = None
    embedding: Optional[str] = None
    context_window_limit: Optional[int] = None
    blocks: Optional[List[MemoryBlock]] = None  # Letta 1.x's field; the row's memory_blocks
    metadata: Dict[str, Any]
    hidden: bool
    created_at: datetime
    updated_at: datetime
    identities: Optional[List[AgentIdentity]] = None

    @property
    def memory_blocks(self) -> Optional[List[MemoryBlock]]:
        """The blocks in the agent's memory, oldest first: `blocks` by the row's name."""
        return self.blocks

    @model_validator(mode="before")
    @classmethod
    def _letta_fields(cls, row: Any) -> Any:
        """Fills Letta's required fields from the row (a dict from the database, or a dump)."""
        if not isinstance(row, dict):
            return row
        row = dict(row)
        if "memory_blocks" in row:
            row.setdefault("blocks", row.pop("memory_blocks"))
        if row.get("name") is None:
            row["name"] = ""
        if "llm_config" not in row:
            model = _split_handle(row.get("model"))
            row["llm_config"] = {
                "model": model["name"], "model_endpoint_type": model["provider"],
                "context_window": row.get("context_window_limit") or DEFAULT_CONTEXT_WINDOW,
                "handle": row.get("model")}
        if "embedding_config" not in row:
            embedding = _split_handle(row.get("embedding"))
            row["embedding_config"] = {
                "embedding_endpoint_type": embedding["provider"],
                "embedding_model": embedding["name"], "embedding_dim": DEFAULT_EMBEDDING_DIM,
                "handle": row.get("embedding")}
        if "memory" not in row:
            row["memory"] = {"blocks": row.get("blocks") or []}
        return row


class ForgetResult(_Model):
    """What `identities.forget` removed (or, in a dry run, would remove), and what it kept that
    still holds the user's data: agents shared with another identity, and blocks linked to them
    or in their agents' memory that another identity or a kept agent still has. Not a Letta
    model: Letta has no forget."""

    identity_id: IdentityId
    agent_ids: List[AgentId]
    block_ids: List[BlockId]
    kept_agent_ids: List[AgentId]
    kept_block_ids: List[BlockId]
    dry_run: bool
