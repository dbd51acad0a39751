"""docs/python.md's example ("From Python, in Letta's SDK shape") runs as documented."""

import contextlib
import io
import re
from pathlib import Path

import pytest

from .conftest import DATABASE, HOST, PORT

README = Path(__file__).resolve().parents[3] / "docs" / "python.md"
SECTION = "## From Python, in Letta's SDK shape"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)


def section_blocks():
    readme = README.read_text(encoding="utf-8")
    start = readme.index(SECTION)
    end = readme.find("\n## ", start + len(SECTION))
    end = len(readme) if end < 0 else end
    return [(kind, body) for kind, body in FENCE.findall(readme[start:end])]


def calls_of(code: str) -> str:
    """The code without what is allowed to differ: the module imported and the constructor."""
    lines = [line for line in code.splitlines() if not line.startswith("client = ")]
    return "\n".join(lines).replace("letta_identity_client", "letta_client")


def test_the_calls_are_letta_sdk_calls() -> None:
    (_, letta_code), (_, our_code), _ = section_blocks()
    assert "from letta_client import" in letta_code
    assert "from letta_identity_client import" in our_code
    assert calls_of(our_code) == calls_of(letta_code)


def test_the_example_runs_and_prints_what_the_readme_shows(
        database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = section_blocks()
    assert [kind for kind, _ in blocks] == ["python", "python", "text"]
    (_, our_code), (_, expected) = blocks[1], blocks[2]
    # The example connects with the libpq environment, here the test database (as a superuser,
    # in Letta's default organization, which no other test writes to).
    for name, value in {"PGHOST": HOST, "PGPORT": PORT, "PGUSER": "postgres",
                        "PGDATABASE": DATABASE}.items():
        monkeypatch.setenv(name, value)
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(our_code, f"{README}:{SECTION}", "exec"), namespace)
    namespace["client"].close()
    assert printed.getvalue() == expected
