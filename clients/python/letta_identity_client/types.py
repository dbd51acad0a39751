"""The objects the client returns, named and shaped as letta-client's models.

Pydantic models rather than dataclasses: letta-client's own models are pydantic, so code written
for Letta keeps calling `model_dump()`, `model_dump_json()` and `model_validate()` on them, and
each row from the database is checked on its way in (a changed row type fails here, loudly).
Every field that Letta's model has keeps Letta's name and type; the extension's extra fields
(`organization_id`, the timestamps, `model` on agents, ...) come after them. Unknown fields are
kept (extra="allow", as Letta's models do), so a newer extension does not break an older client.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict

IdentityType = Literal["user", "org", "other"]
IdentityPropertyType = Literal["string", "number", "boolean", "json"]
# The value's JSON type must match `type` (the extension checks it; Letta does not).
IdentityPropertyValue = Union[str, int, float, bool, Dict[str, Any]]


class _Model(BaseModel):
    # Frozen as Letta's models are: a returned object is a snapshot of a row, not a handle to it.
    model_config = ConfigDict(frozen=True, extra="allow")


class IdentityProperty(_Model):
    key: str
    # bool before the numbers: pydantic's smart union keeps True a bool, 5 an int, 5.5 a float.
    value: Union[bool, int, float, str, Dict[str, Any]]
    type: IdentityPropertyType


class Identity(_Model):
    id: str
    identifier_key: str
    name: str
    identity_type: IdentityType
    project_id: Optional[str] = None
    agent_ids: List[str]
    block_ids: List[str]
    organization_id: str
    properties: List[IdentityProperty]
    created_at: datetime
    updated_at: datetime


class MemoryBlock(_Model):
    """A block as an agent's `memory_blocks` embeds it (the fields Letta's Block has)."""

    id: str
    label: str
    value: str
    limit: Optional[int] = None
    description: Optional[str] = None
    metadata: Dict[str, Any]
    read_only: bool


class AgentIdentity(_Model):
    """An identity as an agent embeds it (Letta 1.0's `AgentState.identities`), without links."""

    id: str
    identifier_key: str
    name: str
    identity_type: IdentityType
    project_id: Optional[str] = None
    organization_id: str
    properties: List[IdentityProperty]


class AgentState(_Model):
    """An agent: the fields of Letta's AgentState that this model has, then the extension's.

    `memory_blocks` and `identities` are None from the lists unless asked for
    (`include_memory=True` / `include_identities=True`, or Letta's
    `include_relationships=["memory", "identities"]`); reading them costs a probe per agent.
    """

    id: str
    name: Optional[str] = None  # Letta requires a name; an agent here may have none
    tags: List[str]
    identity_ids: List[str]
    project_id: Optional[str] = None
    organization_id: str
    model: Optional[str] = None
    embedding: Optional[str] = None
    context_window_limit: Optional[int] = None
    memory_blocks: Optional[List[MemoryBlock]] = None
    metadata: Dict[str, Any]
    hidden: bool
    created_at: datetime
    updated_at: datetime
    identities: Optional[List[AgentIdentity]] = None


class Block(_Model):
    id: str
    label: str
    value: str
    limit: Optional[int] = None
    description: Optional[str] = None
    metadata: Dict[str, Any]
    identity_ids: List[str]
    organization_id: str
    created_at: datetime
    updated_at: datetime
    read_only: bool
    project_id: Optional[str] = None
    hidden: bool
    tags: List[str]


class Memory(_Model):
    """What an agent remembers (Letta's `Memory`): its own blocks, then its identities' blocks."""

    blocks: List[Block]
