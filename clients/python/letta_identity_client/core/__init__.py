"""letta-client's module path for ApiError (`from letta_client.core.api_error import ApiError`),
so that code written for Letta changes only its package name."""
from .api_error import ApiError

__all__ = ["ApiError"]
