"""A typed Python client for the letta_identity PostgreSQL extension, in the shape of
letta-client (Letta's Python SDK): `client.identities.create(...)`, `client.agents.list(...)`.
"""

from ._calls import Page
from .client import AsyncLetta, AsyncLettaIdentity, Letta, LettaIdentity
from .errors import (ApiError, BadRequestError, ConflictError, ForbiddenError,
                     InternalServerError, NotFoundError, PaymentRequiredError,
                     PermissionDeniedError, UnprocessableEntityError)
from .types import (AgentId, AgentIdentity, AgentState, Block, BlockId, EmbeddingConfig,
                    ForgetResult, Identity, IdentityId, IdentityProperty, LlmConfig, Memory,
                    MemoryBlock)

__all__ = [
    "AgentId", "AgentIdentity", "AgentState", "ApiError", "AsyncLetta", "AsyncLettaIdentity",
    "BadRequestError", "Block", "BlockId", "ConflictError", "EmbeddingConfig", "ForbiddenError", "ForgetResult",
    "Identity", "IdentityId",
    "IdentityProperty", "InternalServerError", "Letta", "LettaIdentity", "LlmConfig", "Memory",
    "MemoryBlock", "NotFoundError", "Page", "PaymentRequiredError", "PermissionDeniedError",
    "UnprocessableEntityError",
]
