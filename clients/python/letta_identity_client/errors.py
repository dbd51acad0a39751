"""Errors named as letta-client's, one per kind of SQLSTATE the extension raises.

Code written for Letta catches `NotFoundError`, `ConflictError`, ... and may read `status_code`;
both keep working. Each error also carries what PostgreSQL said: `sqlstate`, `message` (which
names the offending value), `detail` and `hint`.
"""

from __future__ import annotations

from typing import Dict, Optional, Type

import psycopg


class ApiError(Exception):
    """The base of every error the server answered (letta-client's base is also ApiError)."""

    status_code: int = 500

    def __init__(self, sqlstate: str, message: str, detail: Optional[str] = None,
                 hint: Optional[str] = None) -> None:
        super().__init__(f"{sqlstate}: {message}")
        self.sqlstate = sqlstate
        self.message = message
        self.detail = detail
        self.hint = hint

    @property
    def body(self) -> Dict[str, Optional[str]]:
        """The error as Letta's HTTP body would carry it."""
        return {"detail": self.message, "sqlstate": self.sqlstate, "hint": self.hint}


class BadRequestError(ApiError):
    status_code = 400


class ForbiddenError(ApiError):
    status_code = 403


PermissionDeniedError = ForbiddenError  # letta-client 1.x's name for a 403


class NotFoundError(ApiError):
    status_code = 404


class ConflictError(ApiError):
    status_code = 409


class InternalServerError(ApiError):
    status_code = 500


# Every SQLSTATE of the README's Errors table, and those PostgreSQL itself raises for bad input.
ERRORS_BY_SQLSTATE: Dict[str, Type[ApiError]] = {
    "P0002": NotFoundError,      # no_data_found: no such identity, agent, block or cursor here
    "42704": NotFoundError,      # undefined_object: binding a role that does not exist
    "3F000": NotFoundError,      # invalid_schema_name: an import's source schema is missing
    "42P01": NotFoundError,      # undefined_table: the source schema lacks Letta's tables
    "23503": NotFoundError,      # foreign_key_violation: the other end of a link is gone
    "23505": ConflictError,      # unique_violation: the key, the agent id, a label in an agent
    "55000": ConflictError,      # object_not_in_prerequisite_state: a read-only block (HTTP 409:
                                 # the request conflicts with the resource's current state)
    "22023": BadRequestError,    # invalid_parameter_value: a NULL, empty or malformed argument
    "22P02": BadRequestError,    # invalid_text_representation: a malformed id
    "22004": BadRequestError,    # null_value_not_allowed
    "23502": BadRequestError,    # not_null_violation
    "23514": BadRequestError,    # check_violation: the tables' last guard on input
    "0A000": BadRequestError,    # feature_not_supported: an end user on Citus
    "42703": BadRequestError,    # undefined_column: the source is not a Letta schema
    "42809": BadRequestError,    # wrong_object_type: an import's source relation is not a plain table
    "42804": BadRequestError,    # datatype_mismatch: an import's source column is not of a built-in type
    "42501": ForbiddenError,     # insufficient_privilege: no binding, or another organization
}

_ERRORS_BY_CLASS: Dict[str, Type[ApiError]] = {
    "22": BadRequestError,       # data exceptions: the input
    "23": ConflictError,         # integrity violations not named above
}


def error_class(sqlstate: str) -> Type[ApiError]:
    return ERRORS_BY_SQLSTATE.get(sqlstate) or _ERRORS_BY_CLASS.get(sqlstate[:2], InternalServerError)


def from_psycopg(error: psycopg.Error) -> Exception:
    """The ApiError for a server error; other errors (a lost connection) stay psycopg's."""
    if not error.sqlstate:
        return error
    diag = error.diag
    message = diag.message_primary or str(error)
    return error_class(error.sqlstate)(error.sqlstate, message, diag.message_detail, diag.message_hint)
