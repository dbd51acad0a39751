"""Write agents with memory until the server goes away: each agent with a block of its own
(memory_blocks) and a block it shares with the others (block_ids); record each agent's id once
its COMMIT has returned (tests/safety/run then finds each with both blocks in its memory).

Usage: crash_writer.py FILE   (connects with PGHOST, PGPORT, PGUSER, PGDATABASE)
"""
import sys

import psycopg

with open(sys.argv[1], "w", encoding="utf-8") as committed:
    try:
        with psycopg.connect("") as conn:
            with conn.transaction():
                shared = conn.execute("SELECT id FROM letta_create_block('shared', 'all crash agents')").fetchone()[0]
            while True:
                with conn.transaction():
                    agent = conn.execute(
                        "SELECT id FROM letta_create_agent(name => 'crash', tags => ARRAY['a', 'b'],"
                        " identity_ids => ARRAY(SELECT id FROM letta_upsert_identity('crash_user', 'C')),"
                        " memory_blocks => '[{\"label\": \"human\", \"value\": \"crash\"}]', block_ids => ARRAY[%s])",
                        (shared,)).fetchone()[0]
                committed.write(agent + "\n")
                committed.flush()
    except psycopg.OperationalError as e:
        print(f"server gone after {committed.tell()} bytes of ids: {e}".splitlines()[0])
