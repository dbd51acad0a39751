"""The clients: `LettaIdentity` (alias `Letta`) and `AsyncLettaIdentity` (alias `AsyncLetta`).

On a pool (its own, or the app's), each call takes a connection and runs in a transaction of
its own. On the app's connection (`connection=`: a psycopg connection, a SQLAlchemy Connection
or Session, or their async forms), each call is a savepoint in the app's transaction, opened
first if none is (so that the call is undone by the app's rollback, even as its first
statement), and commits nothing; on a connection in autocommit mode, outside a transaction,
each call is a transaction of its own.

When the call or the client names an organization, the call starts with
`set_config('letta.organization_id', $1, true)` (SET LOCAL): the setting ends with the
transaction (on the app's connection, the app's), so a connection handed to the next caller
(by a pool, or by PgBouncer in transaction mode) keeps nothing of it. Without one, the role's
own organization applies (a role bound with letta_bind_role), or Letta's default organization
for a superuser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Dict, Iterator, List, NoReturn, Optional, Tuple

import psycopg
from psycopg.conninfo import make_conninfo
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from ._calls import Call, Page, Row, T

if TYPE_CHECKING:
    from ._async_types import AsyncAgents, AsyncBlocks, AsyncIdentities, AsyncTags
from .errors import from_psycopg
from .resources import Agents, Blocks, Identities, Runner, Tags

def _settings(organization: Optional[str], end_user: Optional[str]) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """The call's settings in one statement (one round trip): the organization and the end user,
    each with set_config(..., true), a SET LOCAL. Its first column is the end user the
    transaction had before ('' for none), read before the set (in the subquery), which a call on
    the app's connection puts back afterwards."""
    sets = [("letta.organization_id", organization), ("letta.identifier_key", end_user)]
    given = [(name, value) for name, value in sets if value is not None]
    if not given:
        return None
    columns = ", ".join(f"set_config('{name}', %s, true)" for name, _ in given)
    return (f"SELECT p.previous, {columns} FROM (SELECT coalesce(current_setting("
            f"'letta.identifier_key', true), '') AS previous OFFSET 0) p",
            tuple(value for _, value in given))


RESTORE_END_USER = "SELECT set_config('letta.identifier_key', %s, true)"


# psycopg.connect()'s own keywords; any other keyword is a libpq connection parameter.
_CONNECT_KEYWORDS = ("autocommit", "prepare_threshold", "context", "row_factory", "cursor_factory")


def _connection_settings(conninfo: str, extra: Dict[str, Any]) -> Dict[str, Any]:
    """The keywords of the pool's connections, checked now: a misspelled one would otherwise make
    every connection attempt fail in the pool's background, and the first call wait out the
    pool's timeout."""
    parameters = {k: v for k, v in extra.items() if k not in _CONNECT_KEYWORDS}
    try:
        make_conninfo(conninfo, **parameters)
    except psycopg.ProgrammingError as error:
        raise TypeError(f"{error}: not a libpq connection parameter (or a psycopg.connect() "
                        f"keyword: {', '.join(_CONNECT_KEYWORDS)})") from None
    # autocommit: each call's transaction is the `conn.transaction()` block, nothing more.
    # prepare_threshold=None: PgBouncer in transaction mode does not track protocol-level
    # prepared statements (the extension's functions keep their own plans anyway).
    return {"autocommit": True, "prepare_threshold": None, **extra}


def _open_transaction(conn: psycopg.Connection[Any]) -> None:
    # Not in autocommit mode and idle, psycopg's transaction() would BEGIN and COMMIT on its
    # own, outside the app's transaction to come: a statement opens that one first (psycopg
    # issues BEGIN before it), and the call becomes a savepoint in it.
    if not conn.autocommit and conn.info.transaction_status == TransactionStatus.IDLE:
        conn.execute("SELECT")


async def _open_async_transaction(conn: psycopg.AsyncConnection[Any]) -> None:
    if not conn.autocommit and conn.info.transaction_status == TransactionStatus.IDLE:
        await conn.execute("SELECT")


def _sqlalchemy_driver_connection(target: Any) -> Optional[psycopg.Connection[Any]]:
    """The psycopg connection under a SQLAlchemy Session or Connection (its transaction begun,
    as SQLAlchemy's autobegin would at the app's next statement), or None."""
    try:
        from sqlalchemy.engine import Connection
        from sqlalchemy.orm import Session
    except ImportError:
        return None
    if isinstance(target, Session):
        target = target.connection()  # joins or begins the session's transaction
    if not isinstance(target, Connection):
        return None
    if not target.in_transaction():
        target.begin()
    driver = target.connection.driver_connection
    return driver if isinstance(driver, psycopg.Connection) else None


async def _sqlalchemy_async_driver_connection(target: Any) -> Optional[psycopg.AsyncConnection[Any]]:
    """The psycopg async connection under a SQLAlchemy AsyncSession or AsyncConnection, or None."""
    try:
        from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
    except ImportError:
        return None
    if isinstance(target, AsyncSession):
        target = await target.connection()
    if not isinstance(target, AsyncConnection):
        return None
    if not target.in_transaction():
        await target.begin()
    driver = (await target.get_raw_connection()).driver_connection
    return driver if isinstance(driver, psycopg.AsyncConnection) else None


def _one_source(conninfo: str, pool: Any, connection: Any, connection_kwargs: Dict[str, Any]) -> None:
    if [bool(conninfo), pool is not None, connection is not None].count(True) > 1:
        raise TypeError("give one of conninfo, pool= and connection=")
    if connection_kwargs and (pool is not None or connection is not None):
        raise TypeError(f"connection keywords ({', '.join(sorted(connection_kwargs))}) are for the "
                        f"client's own pool, not with pool= or connection=")


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

    def __init__(self, organization_id: Optional[str], run: Runner,
                 end_user: Optional[str] = None) -> None:
        self.organization_id = organization_id
        self.end_user = end_user
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
    `LettaIdentity(connection=session)` works in the app's transaction: a psycopg Connection,
    or a SQLAlchemy Connection or Session on psycopg (left open; the app commits).
    Other keywords are the connections' (libpq parameters such as `application_name`, or
    psycopg.connect()'s), checked at once; `timeout` is how long a call waits for a connection
    of the own pool (then psycopg_pool.PoolTimeout).
    """

    def __init__(self, conninfo: str = "", *, pool: Optional[ConnectionPool] = None,
                 connection: Any = None, organization_id: Optional[str] = None,
                 min_size: int = 1, max_size: int = 10, timeout: float = 30.0,
                 end_user: Optional[str] = None, **connection_kwargs: Any) -> None:
        _one_source(conninfo, pool, connection, connection_kwargs)
        super().__init__(organization_id, self._execute, end_user)
        self._connection = connection
        self._owns_pool = pool is None and connection is None
        self._pool = pool if pool is not None or connection is not None else ConnectionPool(
            conninfo, min_size=min_size, max_size=max_size, timeout=timeout,
            kwargs=_connection_settings(conninfo, connection_kwargs), open=True)

    @property
    def pool(self) -> Optional[ConnectionPool]:
        """The pool the calls take connections from (None on the app's connection)."""
        return self._pool

    def with_organization(self, organization_id: Optional[str]) -> "LettaIdentity":
        """The same pool or connection, another default organization (for a request of that tenant)."""
        return LettaIdentity(pool=self._pool, connection=self._connection, organization_id=organization_id,
                             end_user=self.end_user)

    def for_end_user(self, identifier_key: Optional[str]) -> "LettaIdentity":
        """The same pool or connection, each call acting for one end user of the organization
        (letta.identifier_key, set in the call's transaction): it sees and writes that user's
        identities, agents and blocks only. The role must be allowed to (letta_require_end_user).
        None: the whole organization again. Usable in a `with` block; it closes nothing."""
        return LettaIdentity(pool=self._pool, connection=self._connection,
                             organization_id=self.organization_id, end_user=identifier_key)

    def _app_connection(self) -> psycopg.Connection[Any]:
        if isinstance(self._connection, psycopg.Connection):
            return self._connection
        driver = _sqlalchemy_driver_connection(self._connection)
        if driver is None:
            raise TypeError(f"connection= takes a psycopg Connection or a SQLAlchemy Connection or "
                            f"Session on psycopg, not {type(self._connection).__name__}")
        return driver

    def _execute(self, call: Call[T], organization_id: Optional[str]) -> T:
        organization = self._organization(organization_id)
        try:
            if self._connection is not None:
                conn = self._app_connection()
                _open_transaction(conn)
                with conn.transaction():
                    rows = self._run(conn, call, organization, restore=True)
            else:
                assert self._pool is not None
                with self._pool.connection() as conn, conn.transaction():
                    rows = self._run(conn, call, organization, restore=False)
        except psycopg.Error as error:
            _raise_as_api_error(error)
        return call.parse(rows)

    def _run(self, conn: psycopg.Connection[Any], call: Call[T], organization: Optional[str],
             restore: bool) -> Any:
        settings = _settings(organization, self.end_user)
        # The settings' statement always returns one row: the values it replaced.
        previous = (conn.execute(*settings).fetchone() or (None,))[0] if settings else None
        each: List[List[Row]] = []
        with conn.cursor(row_factory=dict_row) as cursor:
            for statement in call.statements:
                cursor.execute(statement.sql, statement.params)
                each.append(cursor.fetchall())
        if restore and self.end_user is not None:
            conn.execute(RESTORE_END_USER, (previous,))
        return each if call.every_statement else each[-1]

    def iterate(self, list_method: Callable[..., Page[T]], /, **kwargs: Any) -> Iterator[T]:
        """Every item of a list, page after page: `for agent in client.iterate(client.agents.list,
        tags=["support"], limit=100)`. Each page is a call of its own (its own transaction on a
        pool), the next one starting after the last item seen."""
        after = kwargs.pop("after", None)
        while True:
            page = list_method(after=after, **kwargs)
            yield from page
            if not page.has_more:
                return
            after = page.next_after

    def close(self) -> None:
        if self._owns_pool and self._pool is not None:
            self._pool.close()

    def __enter__(self) -> "LettaIdentity":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


class AsyncLettaIdentity(_Client):
    """The asyncio client: the same resources and methods as `LettaIdentity`, awaited.

    Its own pool opens at the first call (or `await client.open()`); `pool=` takes an
    application's psycopg_pool.AsyncConnectionPool; `connection=` the app's psycopg
    AsyncConnection, or a SQLAlchemy AsyncConnection or AsyncSession on psycopg.
    """

    if TYPE_CHECKING:
        # The resources are the sync client's classes, whose methods here return awaitables
        # of what they declare: their asyncio twins (_async_types.py, generated) for a type
        # checker.
        identities: AsyncIdentities  # type: ignore[assignment]
        agents: AsyncAgents  # type: ignore[assignment]
        blocks: AsyncBlocks  # type: ignore[assignment]
        tags: AsyncTags  # type: ignore[assignment]

    def __init__(self, conninfo: str = "", *, pool: Optional[AsyncConnectionPool] = None,
                 connection: Any = None, organization_id: Optional[str] = None,
                 min_size: int = 1, max_size: int = 10, timeout: float = 30.0,
                 end_user: Optional[str] = None, **connection_kwargs: Any) -> None:
        _one_source(conninfo, pool, connection, connection_kwargs)
        super().__init__(organization_id, self._execute, end_user)
        self._connection = connection
        self._owns_pool = pool is None and connection is None
        self._opened = False
        # An async pool cannot open in a constructor (no running loop yet): open() does it.
        self._pool = pool if pool is not None or connection is not None else AsyncConnectionPool(
            conninfo, min_size=min_size, max_size=max_size, timeout=timeout,
            kwargs=_connection_settings(conninfo, connection_kwargs), open=False)

    @property
    def pool(self) -> Optional[AsyncConnectionPool]:
        return self._pool

    def with_organization(self, organization_id: Optional[str]) -> "AsyncLettaIdentity":
        return AsyncLettaIdentity(pool=self._pool, connection=self._connection, organization_id=organization_id,
                                  end_user=self.end_user)

    def for_end_user(self, identifier_key: Optional[str]) -> "AsyncLettaIdentity":
        """As LettaIdentity.for_end_user."""
        return AsyncLettaIdentity(pool=self._pool, connection=self._connection,
                                  organization_id=self.organization_id, end_user=identifier_key)

    async def open(self) -> None:
        if self._owns_pool and self._pool is not None:
            await self._pool.open()
        self._opened = True

    async def _app_connection(self) -> psycopg.AsyncConnection[Any]:
        if isinstance(self._connection, psycopg.AsyncConnection):
            return self._connection
        driver = await _sqlalchemy_async_driver_connection(self._connection)
        if driver is None:
            raise TypeError(f"connection= takes a psycopg AsyncConnection or a SQLAlchemy "
                            f"AsyncConnection or AsyncSession on psycopg, not {type(self._connection).__name__}")
        return driver

    async def _execute(self, call: Call[T], organization_id: Optional[str]) -> T:
        organization = self._organization(organization_id)
        if not self._opened:
            await self.open()
        try:
            if self._connection is not None:
                conn = await self._app_connection()
                await _open_async_transaction(conn)
                async with conn.transaction():
                    rows = await self._run(conn, call, organization, restore=True)
            else:
                assert self._pool is not None
                async with self._pool.connection() as conn, conn.transaction():
                    rows = await self._run(conn, call, organization, restore=False)
        except psycopg.Error as error:
            _raise_as_api_error(error)
        return call.parse(rows)

    async def _run(self, conn: psycopg.AsyncConnection[Any], call: Call[T], organization: Optional[str],
                   restore: bool) -> Any:
        settings = _settings(organization, self.end_user)
        previous = ((await (await conn.execute(*settings)).fetchone()) or (None,))[0] if settings else None
        each: List[List[Row]] = []
        async with conn.cursor(row_factory=dict_row) as cursor:
            for statement in call.statements:
                await cursor.execute(statement.sql, statement.params)
                each.append(await cursor.fetchall())
        if restore and self.end_user is not None:
            await conn.execute(RESTORE_END_USER, (previous,))
        return each if call.every_statement else each[-1]

    async def iterate(self, list_method: Callable[..., Any], /, **kwargs: Any) -> AsyncIterator[Any]:
        """As LettaIdentity.iterate: `async for agent in client.iterate(client.agents.list)`."""
        after = kwargs.pop("after", None)
        while True:
            page = await list_method(after=after, **kwargs)
            for item in page:
                yield item
            if not page.has_more:
                return
            after = page.next_after

    async def close(self) -> None:
        if self._owns_pool and self._pool is not None:
            await self._pool.close()

    async def __aenter__(self) -> "AsyncLettaIdentity":
        await self.open()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()


Letta = LettaIdentity  # letta-client's names, so that an import line is all that changes
AsyncLetta = AsyncLettaIdentity
