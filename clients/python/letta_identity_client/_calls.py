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


DEFAULT_PAGE_SIZE = 50  # the extension's lists' default page_size


class Page(List[T]):
    """A page of a list: a list of the items (as Letta's SDK 0.1 returns), and whether more
    follow (`has_more`; for a page asked with `before` alone, whether more lie before it).
    `next_after` is the cursor of the next page (the last item's id, or tag), for `after=`;
    None when this is the last page. The clients' `iterate` follows it."""

    def __init__(self, items: Sequence[T], has_more: bool) -> None:
        super().__init__(items)
        self.has_more = has_more

    @property
    def next_after(self) -> Optional[str]:
        if not self.has_more or not self:
            return None
        last = self[-1]
        return last if isinstance(last, str) else getattr(last, "id")


def paged(function: str, args: Sequence[Arg], item: Callable[[Row], T]) -> Call[Page[T]]:
    """A list call that asks for one row more than its page (`page_size`, the extension's
    default when not given) to tell whether more follow, and returns the page without it. A
    page_size below 1 goes as given, for the extension to refuse."""
    size = next((value for name, value, _ in args if name == "page_size"), None)
    wanted = DEFAULT_PAGE_SIZE if size is None else size
    if not isinstance(wanted, int) or wanted < 1:
        return Call((rows_of(function, args),), lambda rows: Page([item(r) for r in rows], False))
    asked = [(name, wanted + 1 if name == "page_size" else value, pg_type) for name, value, pg_type in args]
    if all(name != "page_size" for name, _, _ in args):
        asked.append(("page_size", wanted + 1, "integer"))
    # With `before` alone the page is the one nearest that cursor: the extra row is its first.
    given = {name for name, value, _ in args if value is not None}
    keep = slice(1, None) if "before" in given and "after" not in given else slice(0, wanted)

    def parse(rows: List[Row]) -> Page[T]:
        more = len(rows) > wanted
        return Page([item(r) for r in (rows[keep] if more else rows)], more)

    return Call((rows_of(function, asked),), parse)


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
