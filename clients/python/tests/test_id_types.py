"""Each kind of id is its own type for type checkers: mypy accepts an agent's id where an
agent's is expected, and rejects an identity's or a block's id there (and a bare str, which is
named once with AgentId(...)). Run time is unchanged: the ids are str."""

import textwrap
from pathlib import Path

import pytest

from letta_identity_client import AgentId, AgentState, BlockId, IdentityId

mypy_api = pytest.importorskip("mypy.api")

CLIENT = Path(__file__).resolve().parents[1]

# Each line ending in "# rejected" must be one of mypy's errors, and no other line.
USES = textwrap.dedent("""\
    from letta_identity_client import AgentId, AsyncLetta, BlockId, Letta

    def sync_calls(client: Letta) -> None:
        user = client.identities.create(identifier_key="user_1", name="Ann", identity_type="user")
        agent = client.agents.create(name="helper", identity_ids=[user.id])
        client.agents.retrieve(agent.id)
        client.agents.retrieve(user.agent_ids[0])
        client.identities.agents.list(user.id)
        client.agents.identities.attach(user.id, agent_id=agent.id)
        client.agents.retrieve(AgentId("agent-from-a-url"))
        block = client.blocks.retrieve(BlockId("block-from-a-form"))
        client.agents.blocks.attach(agent.id, block.id)
        client.agents.retrieve(user.id)  # rejected
        client.identities.retrieve(agent.id)  # rejected
        client.agents.create(name="b", identity_ids=[agent.id])  # rejected
        client.agents.blocks.attach(block.id, agent.id)  # rejected
        client.agents.identities.attach(user.id, agent_id=block.id)  # rejected
        client.agents.retrieve("agent-a-bare-str")  # rejected

    async def async_calls(client: AsyncLetta) -> None:
        agent = await client.agents.retrieve(AgentId("agent-1"))
        await client.agents.tags.add(agent.id, ["vip"])
        forgotten = await client.identities.forget(agent.identity_ids[0], dry_run=True)
        await client.agents.retrieve(forgotten.kept_agent_ids[0])
        await client.identities.retrieve(agent.id)  # rejected
        await client.blocks.delete(forgotten.agent_ids[0])  # rejected
    """)


def test_the_package_type_checks() -> None:
    out, err, status = mypy_api.run([str(CLIENT / "letta_identity_client"), "--no-incremental"])
    assert status == 0, out + err


def test_an_id_of_one_kind_is_rejected_where_another_is_expected(tmp_path: Path) -> None:
    uses = tmp_path / "uses.py"
    uses.write_text(USES)
    out, err, _ = mypy_api.run([str(uses), "--no-incremental", "--show-error-codes"])
    flagged = {int(line.split(":")[1]) for line in out.splitlines() if ": error:" in line}
    marked = {n for n, line in enumerate(USES.splitlines(), 1) if line.endswith("# rejected")}
    assert flagged == marked, out + err
    assert "arg-type" in out


def test_ids_are_str_at_run_time() -> None:
    assert AgentId("agent-1") == "agent-1" and isinstance(IdentityId("identity-1"), str)
    assert AgentState.model_fields["id"].annotation is AgentId
    assert BlockId("block-1").startswith("block-")
