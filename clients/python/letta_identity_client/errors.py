"""Errors named and built as letta-client's, one per kind of SQLSTATE the extension raises.

As in letta-client, every error is an `ApiError` with `status_code`, `body` and `headers`, and
can be built the same way (`ApiError(status_code=404, body=...)`, `NotFoundError(body)`), e.g.
in a test's mock. An error from the database also carries what PostgreSQL said: `sqlstate`,
`message` (which names the offending value), `detail` and `hint`; its `body` is
`{"detail": message, "sqlstate": ..., "hint": ...}`, Letta's `{"detail": ...}` and more.

The status codes are a Letta server's for the same mistake: 404 for an unknown or malformed
id, 409 for a conflict (a duplicate, a missing other end of a link), 422 for an invalid value.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type

import psycopg


class ApiError(Exception):
    """The base of every error the server answered (letta-client's base is also ApiError)."""

    status_code: Optional[int] = None

    def __init__(self, *, headers: Optional[Dict[str, str]] = None,
                 status_code: Optional[int] = None, body: Any = None,
                 sqlstate: Optional[str] = None, message: Optional[str] = None,
                 detail: Optional[str] = None, hint: Optional[str] = None) -> None:
        super().__init__()
        self.headers = headers
        self.status_code = status_code
        self.sqlstate = sqlstate
        self.message = message
        self.detail = detail
        self.hint = hint
        # The error as Letta's HTTP body would carry it, unless the caller gave one.
        self.body = body if body is not None or message is None else {
            "detail": message, "sqlstate": sqlstate, "hint": hint}

    def __str__(self) -> str:
        if self.sqlstate is not None:
            return f"{self.sqlstate}: {self.message}"
        return f"headers: {self.headers}, status_code: {self.status_code}, body: {self.body}"


class _StatusError(ApiError):
    """An ApiError of a fixed status, built as letta-client's: `NotFoundError(body, headers)`."""

    def __init__(self, body: Any = None, headers: Optional[Dict[str, str]] = None,
                 **database: Optional[str]) -> None:
        super().__init__(status_code=type(self).status_code, body=body, headers=headers,
                         **database)


class BadRequestError(_StatusError):
    status_code = 400


class PaymentRequiredError(_StatusError):
    status_code = 402  # never raised here; letta-client has it, so its imports keep working


class ForbiddenError(_StatusError):
    status_code = 403


PermissionDeniedError = ForbiddenError  # letta-client 1.x's name for a 403


class NotFoundError(_StatusError):
    status_code = 404


class ConflictError(_StatusError):
    status_code = 409


class UnprocessableEntityError(_StatusError):
    status_code = 422


class InternalServerError(_StatusError):
    status_code = 500


# Every SQLSTATE of the README's Errors table, and those PostgreSQL itself raises for bad input.
ERRORS_BY_SQLSTATE: Dict[str, Type[ApiError]] = {
    "P0002": NotFoundError,      # no_data_found: no such identity, agent, block or cursor here
    "22P02": NotFoundError,      # invalid_text_representation: a malformed id (Letta: no such id)
    "42704": NotFoundError,      # undefined_object: binding a role that does not exist
    "3F000": NotFoundError,      # invalid_schema_name: an import's source schema is missing
    "42P01": NotFoundError,      # undefined_table: the source schema lacks Letta's tables
    "23505": ConflictError,      # unique_violation: the key, the agent id, a label in an agent
    "23503": ConflictError,      # foreign_key_violation: the other end of a link is gone (Letta: 409)
    "55000": ConflictError,      # object_not_in_prerequisite_state: a Citus table in the wrong state
    "22023": UnprocessableEntityError,  # invalid_parameter_value: a NULL, empty or malformed argument
    "22004": UnprocessableEntityError,  # null_value_not_allowed
    "23502": UnprocessableEntityError,  # not_null_violation
    "23514": UnprocessableEntityError,  # check_violation: the tables' last guard on input
    "0A000": BadRequestError,    # feature_not_supported: an end user on Citus
    "42703": BadRequestError,    # undefined_column: the source is not a Letta schema
    "42809": BadRequestError,    # wrong_object_type: an import's source relation is not a plain table
    "42804": BadRequestError,    # datatype_mismatch: an import's source column is not of a built-in type
    "42501": ForbiddenError,     # insufficient_privilege: no binding, or another organization
}

_ERRORS_BY_CLASS: Dict[str, Type[ApiError]] = {
    "22": UnprocessableEntityError,  # data exceptions: the input
    "23": ConflictError,             # integrity violations not named above
}


def error_class(sqlstate: str) -> Type[ApiError]:
    return ERRORS_BY_SQLSTATE.get(sqlstate) or _ERRORS_BY_CLASS.get(sqlstate[:2], InternalServerError)


def api_error(sqlstate: str, message: str, detail: Optional[str] = None,
              hint: Optional[str] = None) -> ApiError:
    """The error of that SQLSTATE, whether the server or the client found the mistake."""
    return error_class(sqlstate)(sqlstate=sqlstate, message=message, detail=detail, hint=hint)


def from_psycopg(error: psycopg.Error) -> Exception:
    """The ApiError for a server error; other errors (a lost connection) stay psycopg's."""
    if not error.sqlstate:
        return error
    diag = error.diag
    return api_error(error.sqlstate, diag.message_primary or str(error), diag.message_detail,
                     diag.message_hint)
