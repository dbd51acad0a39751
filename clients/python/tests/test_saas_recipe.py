"""docs/saas.md runs as written: its SQL as an administrator, its Python through a real PgBouncer
in transaction mode (one server connection for every transaction) as the recipe's login role,
and the Python prints the output the recipe shows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg

from .conftest import DATABASE, conninfo, running_pgbouncer

RECIPE = Path(__file__).resolve().parents[3] / "docs" / "saas.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)
ROLES = ("saas_app", "saas_end_user")


def blocks() -> dict:
    found = FENCE.findall(RECIPE.read_text(encoding="utf-8"))
    assert [kind for kind, _ in found] == ["sql", "python", "text"]
    return dict(found)


def drop_roles() -> None:
    with psycopg.connect(conninfo(), autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS users")
        for role in ROLES:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                conn.execute("SELECT letta_unbind_role(%s)", (role,))
                conn.execute(f"DROP OWNED BY {role}")
                conn.execute(f"DROP ROLE {role}")


def test_the_recipe_runs_and_prints_what_it_shows(database: str) -> None:
    recipe = blocks()
    drop_roles()
    try:
        with psycopg.connect(conninfo(), autocommit=True) as conn:
            conn.execute(recipe["sql"])
        with running_pgbouncer(["saas_app"]) as port:
            env = {**os.environ, "DATABASE_URL": f"postgresql+psycopg://saas_app@127.0.0.1:{port}/{DATABASE}"}
            run = subprocess.run([sys.executable, "-c", recipe["python"]], env=env,
                                 capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert run.stdout == recipe["text"]
    finally:
        drop_roles()
