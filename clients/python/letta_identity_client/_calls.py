"""How a method becomes SQL, shared by the sync and the async client.

A method builds a `Call`: statements to run in one transaction, and how to read the last one's
rows. The clients only differ in how they run it (`client.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, Generic, List, Optional, Sequence, Tuple, Type, TypeVar, Union

from psycopg.types.json import Jsonb
from pydantic import BaseModel

from .errors import api_error

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
Row = Dict[str, Any]


@dataclass(frozen=True)
class Statement:
    sql: str
    params: Tuple[Any, ...]


@dataclass(frozen=True)
class Call(Generic[T]):
    statements: Tuple[Statement, ...]
    parse: Callable[[Any], T]  # reads the rows of the last statement (every_statement: of each)
    every_statement: bool = False


@dataclass(frozen=True)
class Subquery:
    """An argument computed by the server in the same statement, e.g. a block id from a label."""

    sql: str
    params: Tuple[Any, ...]


# (argument name, value, PostgreSQL type). The type is cast explicitly so that the server never
# has to guess (an empty Python list, an int that psycopg would send as bigint).
Arg = Tuple[str, Any, str]


def required(name: str, value: Any, pg_type: str) -> Arg:
    """An argument passed even when None, so that the server names the mistake (22023)."""
    return (name, _Required(value), pg_type)


@dataclass(frozen=True)
class _Required:
    value: Any


def function_call(function: str, args: Sequence[Arg]) -> Tuple[str, Tuple[Any, ...]]:
    """`function(name => %s::type, ...)` for the given arguments; None ones are left to the
    function's defaults (for the extension, NULL and "not given" mean the same)."""
    parts: List[str] = []
    params: List[Any] = []
    for name, value, pg_type in args:
        if isinstance(value, _Required):
            value = value.value
        elif value is None:
            continue
        if isinstance(value, Subquery):
            parts.append(f"{name} => {value.sql}")
            params.extend(value.params)
            continue
        parts.append(f"{name} => %s::{pg_type}")
        params.append(Jsonb(value) if pg_type == "jsonb" and value is not None else value)
    return f"{function}({', '.join(parts)})", tuple(params)


def rows_of(function: str, args: Sequence[Arg]) -> Statement:
    sql, params = function_call(function, args)
    return Statement(f"SELECT * FROM {sql}", params)


def value_of(function: str, args: Sequence[Arg]) -> Statement:
    sql, params = function_call(function, args)
    return Statement(f"SELECT {sql} AS value", params)


def one(model: Type[M], statement: Statement, *before: Statement) -> Call[M]:
    return Call((*before, statement), lambda rows: model.model_validate(rows[0]))


def many(model: Type[M], statement: Statement) -> Call[List[M]]:
    return Call((statement,), lambda rows: [model.model_validate(row) for row in rows])


def scalar(statement: Statement) -> Call[Any]:
    return Call((statement,), lambda rows: rows[0]["value"])


def nothing(statement: Statement) -> Call[None]:
    return Call((statement,), lambda rows: None)


# Letta's SDK takes a single string where it takes a list of tags or keys.
def as_list(value: Union[str, int, Sequence[Any], None]) -> Optional[List[Any]]:
    if value is None:
        return None
    if isinstance(value, (str, int)):
        return [value]
    return list(value)


def ascending_from(order: Optional[str], ascending: Optional[bool] = None) -> Optional[bool]:
    """Letta's `order` ("asc" / "desc") as the extension's `ascending`; None keeps the default."""
    if order is None:
        return ascending
    if order not in ("asc", "desc"):
        raise api_error("22023", f'order must be "asc" or "desc", got {order!r}')
    return order == "asc"


def as_json(value: Any) -> Any:
    """A pydantic model (ours or letta-client's) or a list of them as plain JSON values."""
    if value is None:
        return None
    if isinstance(value, BaseModel):
        # Without their None fields: Letta's request models carry many unset ones
        # (CreateBlock.is_template, ...) that the extension would keep in a block's metadata.
        # Filtered here rather than with exclude_none, which letta-client's JSON serializer ignores.
        dumped = value.model_dump(mode="json")
        return {key: item for key, item in dumped.items() if item is not None}
    if isinstance(value, (list, tuple)):
        return [as_json(item) for item in value]
    return value
