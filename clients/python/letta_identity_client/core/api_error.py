"""letta-client's `letta_client.core.api_error`: the base class of every error."""
from ..errors import ApiError

__all__ = ["ApiError"]
