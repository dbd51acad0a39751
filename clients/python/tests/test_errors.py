"""SQLSTATEs become letta-client's exceptions, with a Letta server's status codes: every class,
raised by the server, and built as letta-client builds them."""

import re
from pathlib import Path

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from letta_identity_client import (ApiError, BadRequestError, ConflictError, ForbiddenError,
                                   InternalServerError, LettaIdentity, NotFoundError,
                                   PaymentRequiredError, PermissionDeniedError,
                                   UnprocessableEntityError)
from letta_identity_client.errors import ERRORS_BY_SQLSTATE, error_class, from_psycopg

from .conftest import conninfo, pool_kwargs

README = Path(__file__).resolve().parents[3] / "docs" / "reference.md"


def test_not_found(client: LettaIdentity) -> None:
    with pytest.raises(NotFoundError) as raised:
        client.agents.retrieve("agent-00000000-0000-4000-8000-000000000000")
    error = raised.value
    assert isinstance(error, ApiError) and isinstance(error.__cause__, psycopg.Error)
    assert (error.sqlstate, error.status_code) == ("P0002", 404)
    assert error.message == 'agent "agent-00000000-0000-4000-8000-000000000000" not found'
    assert error.body == {"detail": error.message, "sqlstate": "P0002", "hint": None}
    assert error.headers is None and error.detail is None
    assert str(error) == f"P0002: {error.message}"


def test_conflict_carries_detail_and_hint(client: LettaIdentity) -> None:
    agent = client.agents.create(name="helper", memory_blocks=[{"label": "persona", "value": "a"}])
    other = client.blocks.create(label="persona", value="b")
    with pytest.raises(ConflictError) as raised:
        client.agents.blocks.attach(agent.id, other.id)
    error = raised.value
    assert (error.sqlstate, error.status_code) == ("23505", 409)
    assert "already has a block labelled \"persona\"" in error.message
    assert error.detail and "one block per label" in error.detail
    assert error.hint and error.hint.startswith("Detach that block first")


@pytest.mark.parametrize("call, sqlstate", [
    (lambda c: c.identities.create(identifier_key="", name="x"), "22023"),
    (lambda c: c.agents.create(tags=["a", None]), "22023"),
    (lambda c: c.identities.create(identifier_key="k", name="n", identity_type="robot"), "22023"),
    (lambda c: c.identities.list(identity_type="robot"), "22023"),
    (lambda c: c.identities.create(identifier_key="k", name="n", properties=[
        {"key": "a", "value": 1, "type": "integer"}]), "22023"),
    (lambda c: c.agents.list(limit=0), "22023"),
])
def test_invalid_values_are_unprocessable(client: LettaIdentity, call, sqlstate: str) -> None:
    # Letta's 422: a value its request models refuse (an empty key, a bad enum value, ...).
    with pytest.raises(UnprocessableEntityError) as raised:
        call(client)
    assert raised.value.sqlstate == sqlstate and raised.value.status_code == 422


@pytest.mark.parametrize("call", [
    lambda c: c.agents.retrieve("agent-42"),
    lambda c: c.agents.retrieve("agent-00000000-0000-4000-8000-000000000000"),
    lambda c: c.blocks.retrieve("block-42"),
    lambda c: c.identities.retrieve("agent-00000000-0000-4000-8000-000000000000"),  # wrong kind
    lambda c: c.agents.blocks.attach("agent-42", "block-42"),
    lambda c: c.agents.create(identity_ids=["identity-42"]),
])
def test_unknown_or_malformed_ids_are_not_found(client: LettaIdentity, call) -> None:
    with pytest.raises(NotFoundError) as raised:
        call(client)
    assert raised.value.status_code == 404 and raised.value.sqlstate in ("P0002", "22P02")


def test_bad_order_is_refused_before_the_server() -> None:
    # No connection is needed: the client knows Letta's two orders.
    from letta_identity_client.resources import Agents
    with pytest.raises(UnprocessableEntityError) as raised:
        Agents(lambda call, org: pytest.fail("no call should run")).list(order="newest")
    assert raised.value.sqlstate == "22023" and "order" in raised.value.message


def test_forbidden_for_a_role_without_binding(database: str) -> None:
    with ConnectionPool(conninfo("letta_pyc_unbound"), min_size=1, max_size=1,
                        kwargs=pool_kwargs()) as pool:
        with pytest.raises(ForbiddenError) as raised:
            LettaIdentity(pool=pool).identities.count()
    assert raised.value.sqlstate == "42501" and raised.value.status_code == 403
    assert PermissionDeniedError is ForbiddenError


# Every SQLSTATE the mapping names, raised by the server itself and converted as a call would.
@pytest.mark.parametrize("sqlstate", sorted(ERRORS_BY_SQLSTATE))
def test_each_mapped_sqlstate(database: str, sqlstate: str) -> None:
    with psycopg.connect(database, autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as raised:
            conn.execute(f"DO $$ BEGIN RAISE EXCEPTION 'raised as {sqlstate}' "
                         f"USING ERRCODE = '{sqlstate}', HINT = 'a hint'; END $$")
    converted = from_psycopg(raised.value)
    assert type(converted) is ERRORS_BY_SQLSTATE[sqlstate]
    assert (converted.sqlstate, converted.message, converted.hint) == (
        sqlstate, f"raised as {sqlstate}", "a hint")


@pytest.mark.parametrize("sqlstate, expected", [
    ("XX000", InternalServerError), ("40001", InternalServerError),
    ("22012", UnprocessableEntityError), ("23P01", ConflictError)])
def test_unmapped_sqlstates_from_the_server(database: str, sqlstate: str, expected: type) -> None:
    with psycopg.connect(database, autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as raised:
            conn.execute(f"DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '{sqlstate}'; END $$")
    converted = from_psycopg(raised.value)
    assert type(converted) is expected and converted.status_code == expected.status_code


def test_unmapped_sqlstates_fall_back_by_class() -> None:
    assert error_class("22001") is UnprocessableEntityError  # string_data_right_truncation
    assert error_class("23P01") is ConflictError        # exclusion_violation
    assert error_class("XX000") is InternalServerError  # internal_error
    assert error_class("25006") is InternalServerError  # a write on a hot standby
    assert error_class("42883") is InternalServerError  # undefined_function: not the caller's fault


def test_every_sqlstate_of_the_readme_is_mapped() -> None:
    table = re.findall(r"^\| ([0-9A-Z]{5}) \| ", README.read_text(), re.M)
    assert len(table) >= 7
    assert {s: error_class(s) for s in table if error_class(s) is InternalServerError} == {}
    assert set(table) <= set(ERRORS_BY_SQLSTATE)


def test_undefined_object_from_the_extension(database: str) -> None:
    # 42704 comes from an administrator's function, which the client does not wrap.
    with psycopg.connect(database, autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as raised:
            conn.execute("SELECT letta_bind_role('letta_pyc_no_such_role', %s)",
                         ("org-00000000-0000-4000-8000-000000000000",))
    assert isinstance(from_psycopg(raised.value), NotFoundError)


def test_a_lost_connection_stays_psycopgs() -> None:
    error = psycopg.OperationalError("connection refused")
    assert from_psycopg(error) is error


def test_status_codes_are_lettas() -> None:
    assert {s: error_class(s).status_code for s in (
        "P0002", "22P02", "23505", "23503", "22023", "22004", "23502", "23514", "0A000", "42501",
        "XX000")} == {
        "P0002": 404, "22P02": 404, "23505": 409, "23503": 409, "22023": 422, "22004": 422,
        "23502": 422, "23514": 422, "0A000": 400, "42501": 403, "XX000": 500}


def test_foreign_key_violation_is_a_conflict(database: str) -> None:
    # Letta answers 409 when the other end of a link is missing (its FK violation handler).
    with psycopg.connect(database, autocommit=True) as conn:
        with pytest.raises(psycopg.Error) as raised:
            conn.execute("DO $$ BEGIN RAISE EXCEPTION 'gone' USING ERRCODE = '23503'; END $$")
    converted = from_psycopg(raised.value)
    assert isinstance(converted, ConflictError) and converted.status_code == 409


@pytest.mark.parametrize("cls, status", [
    (BadRequestError, 400), (PaymentRequiredError, 402), (ForbiddenError, 403),
    (NotFoundError, 404), (ConflictError, 409), (UnprocessableEntityError, 422),
    (InternalServerError, 500)])
def test_errors_are_built_as_letta_clients(cls: type, status: int) -> None:
    # letta-client's subclasses take (body, headers); ApiError takes keywords only.
    error = cls({"detail": "x"}, headers={"x-request-id": "1"})
    assert isinstance(error, ApiError) and issubclass(cls, ApiError)
    assert (error.status_code, error.body, error.headers) == (
        status, {"detail": "x"}, {"x-request-id": "1"})
    assert error.sqlstate is None and error.message is None
    assert str(error) == f"headers: {{'x-request-id': '1'}}, status_code: {status}, body: {{'detail': 'x'}}"
    assert cls(body="b").body == "b" and cls().status_code == status


def test_api_error_is_built_as_letta_clients() -> None:
    error = ApiError(status_code=404, body={"detail": "no"}, headers={"h": "v"})
    assert (error.status_code, error.body, error.headers) == (404, {"detail": "no"}, {"h": "v"})
    assert ApiError().status_code is None
    with pytest.raises(TypeError):  # keywords only, as letta-client's
        ApiError(404)  # type: ignore[misc]
    # As in letta-client, a 422 is not a 400: each class stands for its status.
    assert not issubclass(UnprocessableEntityError, BadRequestError)
    assert not issubclass(NotFoundError, BadRequestError)


def test_errors_keep_the_servers_words(client: LettaIdentity) -> None:
    with pytest.raises(UnprocessableEntityError) as raised:
        client.identities.create(identifier_key="k", name="n", identity_type="robot")
    error = raised.value
    assert error.sqlstate == "22023" and "robot" in error.message
    assert error.body["detail"] == error.message and error.headers is None
