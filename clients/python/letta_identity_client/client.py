"""The clients: `LettaIdentity` (alias `Letta`) and `AsyncLettaIdentity` (alias `AsyncLetta`).

Each call takes a connection from the pool and runs in a transaction of its own. When the call
or the client names an organization, the transaction starts with
`set_config('letta.organization_id', $1, true)` (SET LOCAL): the setting ends with the
transaction, so a connection handed to the next caller (by this pool, or by PgBouncer in
transaction mode) keeps nothing of it. Without one, the role's own organization applies (a
role bound with letta_bind_role), or Letta's default organization for a superuser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, NoReturn, Optional

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from ._calls import Call, Row, T
from .errors import from_psycopg
from .resources import Agents, Blocks, Identities, Runner, Tags

SET_ORGANIZATION = "SELECT set_config('letta.organization_id', %s, true)"


def _connection_settings(extra: Dict[str, Any]) -> Dict[str, Any]:
    # autocommit: each call's transaction is the `conn.transaction()` block, nothing more.
    # prepare_threshold=None: PgBouncer in transaction mode does not track protocol-level
    # prepared statements (the extension's functions keep their own plans anyway).
    return {"autocommit": True, "prepare_threshold": None, **extra}


def _raise_as_api_error(error: psycopg.Error) -> NoReturn:
    converted = from_psycopg(error)
    if converted is error:
        raise error
    raise converted from error


class _Client:
    identities: Identities
    agents: Agents
    blocks: Blocks
    tags: Tags

    def __init__(self, organization_id: Optional[str], run: Runner) -> None:
        self.organization_id = organization_id
        self.identities = Identities(run)
        self.agents = Agents(run)
        self.blocks = Blocks(run)
        self.tags = Tags(run)

    def _organization(self, per_call: Optional[str]) -> Optional[str]:
        return per_call if per_call is not None else self.organization_id


class LettaIdentity(_Client):
    """The synchronous client.

    `LettaIdentity("postgresql://app@db/app")` opens a pool of its own (`close()` or `with`
    closes it); `LettaIdentity(pool=pool)` shares an application's psycopg_pool.ConnectionPool
    (left open). An empty conninfo uses the libpq environment (PGHOST, PGDATABASE, ...).
    """

    def __init__(self, conninfo: str = "", *, pool: Optional[ConnectionPool] = None,
                 organization_id: Optional[str] = None, min_size: int = 1, max_size: int = 10,
                 **connection_kwargs: Any) -> None:
        super().__init__(organization_id, self._execute)
        self._owns_pool = pool is None
        self._pool = pool if pool is not None else ConnectionPool(
            conninfo, min_size=min_size, max_size=max_size,
            kwargs=_connection_settings(connection_kwargs), open=True)

    @property
    def pool(self) -> ConnectionPool:
        return self._pool

    def with_organization(self, organization_id: Optional[str]) -> "LettaIdentity":
        """The same pool, another default organization (for a request of that tenant)."""
        return LettaIdentity(pool=self._pool, organization_id=organization_id)

    def _execute(self, call: Call[T], organization_id: Optional[str]) -> T:
        organization = self._organization(organization_id)
        rows: List[Row] = []
        try:
            with self._pool.connection() as conn, conn.transaction():
                if organization is not None:
                    conn.execute(SET_ORGANIZATION, (organization,))
                with conn.cursor(row_factory=dict_row) as cursor:
                    for statement in call.statements:
                        cursor.execute(statement.sql, statement.params)
                        rows = cursor.fetchall()
        except psycopg.Error as error:
            _raise_as_api_error(error)
        return call.parse(rows)

    def close(self) -> None:
        if self._owns_pool:
            self._pool.close()

    def __enter__(self) -> "LettaIdentity":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


class AsyncLettaIdentity(_Client):
    """The asyncio client: the same resources and methods as `LettaIdentity`, awaited.

    Its own pool opens at the first call (or `await client.open()`); `pool=` takes an
    application's psycopg_pool.AsyncConnectionPool.
    """

    if TYPE_CHECKING:
        # The resources are the sync client's classes, whose methods here return awaitables
        # of what they declare: Any rather than a wrong type for a type checker.
        identities: Any
        agents: Any
        blocks: Any
        tags: Any

    def __init__(self, conninfo: str = "", *, pool: Optional[AsyncConnectionPool] = None,
                 organization_id: Optional[str] = None, min_size: int = 1, max_size: int = 10,
                 **connection_kwargs: Any) -> None:
        super().__init__(organization_id, self._execute)
        self._owns_pool = pool is None
        self._opened = False
        # An async pool cannot open in a constructor (no running loop yet): open() does it.
        self._pool = pool if pool is not None else AsyncConnectionPool(
            conninfo, min_size=min_size, max_size=max_size,
            kwargs=_connection_settings(connection_kwargs), open=False)

    @property
    def pool(self) -> AsyncConnectionPool:
        return self._pool

    def with_organization(self, organization_id: Optional[str]) -> "AsyncLettaIdentity":
        return AsyncLettaIdentity(pool=self._pool, organization_id=organization_id)

    async def open(self) -> None:
        if self._owns_pool:
            await self._pool.open()
        self._opened = True

    async def _execute(self, call: Call[T], organization_id: Optional[str]) -> T:
        organization = self._organization(organization_id)
        if not self._opened:
            await self.open()
        rows: List[Row] = []
        try:
            async with self._pool.connection() as conn, conn.transaction():
                if organization is not None:
                    await conn.execute(SET_ORGANIZATION, (organization,))
                async with conn.cursor(row_factory=dict_row) as cursor:
                    for statement in call.statements:
                        await cursor.execute(statement.sql, statement.params)
                        rows = await cursor.fetchall()
        except psycopg.Error as error:
            _raise_as_api_error(error)
        return call.parse(rows)

    async def close(self) -> None:
        if self._owns_pool:
            await self._pool.close()

    async def __aenter__(self) -> "AsyncLettaIdentity":
        await self.open()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()


Letta = LettaIdentity  # letta-client's names, so that an import line is all that changes
AsyncLetta = AsyncLettaIdentity
