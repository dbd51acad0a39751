"""No expected output accepts an error by accident: every `ERROR:` line in the expected files of
the pg_regress suites (tests/pg_regress, tests/security, tests/citus) must follow a statement
marked with a comment `-- expected error: <SQLSTATE or what>` (between the output before the
statement and the error). Errors a test is about are read as values through test.error_of,
which prints no ERROR line; this is for the few that must reach psql (a COMMIT's deferred key, a
role refused at login). Prints each unmarked error and 'expected_errors: N passed, N failed'
(files)."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
SUITES = ["tests/pg_regress/expected", "tests/security/expected", "tests/citus/expected"]
MARKER = re.compile(r"^-- expected error: \S")
# Where the statement before an error starts: the end of the previous output.
BOUNDARY = re.compile(r"^$|^\(\d+ rows?\)$|^(ERROR|DETAIL|HINT|CONTEXT|WARNING|NOTICE):")


def unmarked(lines):
    """The line numbers of the ERROR lines whose statement carries no marker."""
    bad = []
    for n, line in enumerate(lines):
        if not line.startswith("ERROR:"):
            continue
        k = n - 1
        while k >= 0 and not BOUNDARY.match(lines[k]):
            if MARKER.match(lines[k]):
                break
            k -= 1
        if k < 0 or not MARKER.match(lines[k]):
            bad.append(n + 1)
    return bad


def main():
    passed = failed = 0
    for suite in SUITES:
        for path in sorted((ROOT / suite).glob("*.out")):
            bad = unmarked(path.read_text(encoding="utf-8").splitlines())
            if bad:
                failed += 1
                for n in bad:
                    print(f"not ok: {path.relative_to(ROOT)}:{n}: an ERROR line without '-- expected error:'")
            else:
                passed += 1
    print(f"expected_errors: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
