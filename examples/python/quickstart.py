"""Letta's multi-user guide from Python (psycopg 3): the steps of examples/quickstart.sql.

Connects with the libpq environment (PGHOST, PGPORT, PGUSER, PGDATABASE).
"""
import json

import psycopg


def show(title, value):
    print(f"== {title}")
    print(json.dumps(value, indent=2, sort_keys=False, default=str))


with psycopg.connect("", autocommit=True) as conn:
    # 1. An identity for the app user Caren. to_jsonb(row) is Letta's JSON.
    caren = conn.execute(
        "SELECT to_jsonb(i) - 'created_at' - 'updated_at'"
        " FROM letta_create_identity(identifier_key => %s, name => %s, identity_type => 'user') i",
        ("user_1", "Caren"),
    ).fetchone()[0]
    show("1. identity", caren)

    # 2. An agent for Caren.
    blocks = [
        {"label": "human", "value": "The human's name is Caren."},
        {"label": "persona", "value": "I am a helpful assistant."},
    ]
    agent = conn.execute(
        "SELECT to_jsonb(a) - 'created_at' - 'updated_at'"
        " FROM letta_create_agent(name => %s, memory_blocks => %s, model => %s,"
        " context_window_limit => %s, embedding => %s, identity_ids => %s) a",
        ("caren-assistant", json.dumps(blocks), "openai/gpt-4o-mini", 16000,
         "openai/text-embedding-3-small", [caren["id"]]),
    ).fetchone()[0]
    show("2. agent", agent)

    # 3. The agents of user_1.
    rows = conn.execute(
        "SELECT name FROM letta_agents_by_key(%s)", (["user_1"],)
    ).fetchall()
    show("3. agents of user_1", [r[0] for r in rows])

    # 4. Sarah shares the agent.
    sarah = conn.execute(
        "SELECT agent_ids FROM letta_create_identity(identifier_key => %s, name => %s, agent_ids => %s)",
        ("user_2", "Sarah", [agent["id"]]),
    ).fetchone()[0]
    users = conn.execute(
        "SELECT cardinality(identity_ids) FROM letta_get_agent(%s)", (agent["id"],)
    ).fetchone()[0]
    show("4. Sarah's agents are Caren's agent; users of the agent",
         {"same_agent": sarah == [agent["id"]], "users": users})

    # 5. Tags: an agent tagged with the user id, found by that tag.
    conn.execute(
        "SELECT FROM letta_create_agent(name => %s, tags => %s)", ("tagged-assistant", ["user_1"])
    )
    rows = conn.execute(
        "SELECT name, tags FROM letta_list_agents(tags => %s)", (["user_1"],)
    ).fetchall()
    show("5. agents tagged user_1", [{"name": n, "tags": t} for n, t in rows])
