#!/usr/bin/env python3
"""Run the SQL examples of README.md and of the docs and check the output shown under each of them.

Every ```sql block runs, in order, in one psql session on a fresh database (so the README's
own CREATE EXTENSION runs too). A ```text block right after a ```sql block is that block's
expected output: results, and errors as "ERROR:  SQLSTATE: message". Uuids that the README
does not spell out (random ones) are shown as <uuid>. With --accept, the README's text blocks are rewritten from the actual output.

The files run in the order given, in one session, as one document: an example may use what an
earlier one made (the tour's identities in the reference's examples).
Usage: readme_doctest.py README.md docs/reference.md ... [--accept]   (connects with PGHOST, PGPORT, PGUSER, PGDATABASE)
"""
import re
import subprocess
import sys

FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PREAMBLE = "\\set VERBOSITY verbose\n\\set SHOW_CONTEXT never\n"


def blocks(readme):
    """(sql block, its text block or None) pairs; text blocks as spans so they can be rewritten."""
    fences = list(FENCE.finditer(readme))
    pairs = []
    for i, m in enumerate(fences):
        if m.group(1) != "sql":
            continue
        nxt = fences[i + 1] if i + 1 < len(fences) else None
        follows = nxt is not None and nxt.group(1) == "text" and not readme[m.end():nxt.start()].strip()
        pairs.append((m.group(2), nxt if follows else None))
    return pairs


def run(pairs, known):
    script = PREAMBLE + "".join(f"\\echo @@{n}\n{sql}" for n, (sql, _) in enumerate(pairs))
    out = subprocess.run(["psql", "-X", "-q"], input=script, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False).stdout
    outputs = {}
    current = None
    for line in out.splitlines():
        if re.fullmatch(r"@@\d+", line):
            current = int(line[2:])
            outputs[current] = []
        elif current is not None and not line.startswith("LOCATION:"):
            masked = UUID.sub(lambda m: m[0] if m[0] in known else "<uuid>", line.rstrip())
            outputs[current].append(masked)
    return {n: "\n".join(lines).strip("\n") + "\n" for n, lines in outputs.items()}


def main():
    paths, accept = [a for a in sys.argv[1:] if a != "--accept"], "--accept" in sys.argv
    docs = {path: open(path, encoding="utf-8").read() for path in paths}
    pairs = [(path, sql, text) for path in paths for sql, text in blocks(docs[path])]
    known = set(UUID.findall("".join(docs.values())))
    outputs = run([(sql, text) for _, sql, text in pairs], known)
    failures = 0
    edits = {path: [] for path in paths}
    for n, (path, sql, text) in enumerate(pairs):
        got = outputs.get(n, "(no output: psql stopped before this block)\n")
        first = f"{path}: " + sql.strip().splitlines()[0][:70]
        if text is None:
            if "ERROR:" in got:
                failures += 1
                print(f"not ok {n} - {first}\n{got}")
            continue
        if got == text.group(2):
            continue
        if accept:
            edits[path].append((text.start(2), text.end(2), got))
            continue
        failures += 1
        print(f"not ok {n} - {first}\n--- the document shows\n{text.group(2)}--- psql printed\n{got}")
    for path, changes in edits.items():
        if changes:
            doc = docs[path]
            for start, end, got in reversed(changes):
                doc = doc[:start] + got + doc[end:]
            open(path, "w", encoding="utf-8").write(doc)
            print(f"rewrote {len(changes)} output blocks in {path}")
    print(f"readme: {len(pairs) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
