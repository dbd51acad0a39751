"""Write agents until the server goes away; record each id once its COMMIT has returned.

Usage: crash_writer.py FILE   (connects with PGHOST, PGPORT, PGUSER, PGDATABASE)
"""
import sys

import psycopg

with open(sys.argv[1], "w", encoding="utf-8") as committed:
    try:
        with psycopg.connect("") as conn:
            while True:
                with conn.transaction():
                    agent = conn.execute(
                        "SELECT id FROM letta_create_agent(name => 'crash', tags => ARRAY['a', 'b'],"
                        " identity_ids => ARRAY(SELECT id FROM letta_upsert_identity('crash_user', 'C')))"
                    ).fetchone()[0]
                committed.write(agent + "\n")
                committed.flush()
    except psycopg.OperationalError as e:
        print(f"server gone after {committed.tell()} bytes of ids: {e}".splitlines()[0])
