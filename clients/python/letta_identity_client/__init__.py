"""A typed Python client for the letta_identity PostgreSQL extension, in the shape of
letta-client (Letta's Python SDK): `client.identities.create(...)`, `client.agents.list(...)`.
"""

from ._calls import Page
from .client import AsyncLetta, AsyncLettaIdentity, Letta, LettaIdentity
from .errors import (ApiError, BadRequestError, ConflictError, ForbiddenError,
                     InternalServerError, NotFoundError, PaymentRequiredError,
                     PermissionDeniedError, UnprocessableEntityError)
from .types import (AgentIdentity, AgentState, Block, EmbeddingConfig, ForgetResult, Identity,
                    IdentityProperty, LlmConfig, Memory, MemoryBlock)

__all__ = [
    "AgentIdentity", "AgentState", "ApiError", "AsyncLetta", "AsyncLettaIdentity",
    "BadRequestError", "Block", "ConflictError", "EmbeddingConfig", "ForbiddenError", "ForgetResult",
    "Identity",
    "IdentityProperty", "InternalServerError", "Letta", "LettaIdentity", "LlmConfig", "Memory",
    "MemoryBlock", "NotFoundError", "Page", "PaymentRequiredError", "PermissionDeniedError",
    "UnprocessableEntityError",
]
