"""A typed Python client for the letta_identity PostgreSQL extension, in the shape of
letta-client (Letta's Python SDK): `client.identities.create(...)`, `client.agents.list(...)`.
"""

from .client import AsyncLetta, AsyncLettaIdentity, Letta, LettaIdentity
from .errors import (ApiError, BadRequestError, ConflictError, ForbiddenError,
                     InternalServerError, NotFoundError, PermissionDeniedError)
from .types import (AgentIdentity, AgentState, Block, Identity, IdentityProperty, Memory,
                    MemoryBlock)

__all__ = [
    "AgentIdentity", "AgentState", "ApiError", "AsyncLetta", "AsyncLettaIdentity",
    "BadRequestError", "Block", "ConflictError", "ForbiddenError", "Identity",
    "IdentityProperty", "InternalServerError", "Letta", "LettaIdentity", "Memory", "MemoryBlock",
    "NotFoundError", "PermissionDeniedError",
]
