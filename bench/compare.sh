#!/usr/bin/env bash
# Two builds of the extension on one loaded benchmark cluster, alternated round by round on the
# read queries (extension side, -M simple and -M prepared), so that the machine's drifts hit both.
#   scripts/bench --load-only                       load once (leaves the cluster on port 54825)
#   bench/compare.sh A_DIR B_DIR [--rounds N] [--seconds S] [--only PREFIX] [--port P] [--out DIR]
#                                [--writes]   (writes too: create an agent with 5 tags and a link,
#                                             add and remove a tag, delete an agent)
# Each DIR holds one build's letta_identity.so (from target/release/letta_identity-pg15/...) and
# a setup.sql run (as postgres) before its rounds: that build's catalog, a setting, statistics.
# Rounds alternate the order (A B, then B A) so that a drift of the machine cancels out.
# --only runs the queries whose name starts with PREFIX (tags_, by_key, ...).
# Prints the median TPS and p99 of each query for A and B, and B/A.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

A=$1 B=$2
shift 2
ROUNDS=3 SECONDS_PER_RUN=10 PORT=$((LETTA_PORT + 10)) OUT=$ROOT/target/bench-compare ONLY= WRITES=0
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) ROUNDS=$2; shift 2 ;;
        --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        --writes) WRITES=1; shift ;;
        *) sed -n '2,9p' "$0" >&2; exit 2 ;;
    esac
done
export PGPORT=$PORT PGHOST=localhost
DB=letta_bench QUERIES=$ROOT/bench/queries LIB=$($PG_CONFIG --pkglibdir)
IDENTITIES=$("$PG_BIN/psql" -X -At -d $DB -c "SELECT count(*) FROM letta_identities")
AGENTS=$("$PG_BIN/psql" -X -At -d $DB -c "SELECT count(*) FROM bench.agent")
rm -rf "$OUT" && mkdir -p "$OUT/runs"
printf 'build\tround\tquery\tband\tside\tmode\ttps\tp50_ms\tp99_ms\n' >"$OUT/results.tsv"

run() {  # run <build> <round> <query> <band> <mode> <script> [-D ...]
    local build=$1 round=$2 query=$3 band=$4 mode=$5 script=$6
    shift 6
    local name=$build.$round.$query.$band.$mode
    [[ $query == "$ONLY"* ]] || return 0
    "$PG_BIN/pgbench" -n -h localhost -U letta_bench_app -c 2 -j 2 -T "$SECONDS_PER_RUN" -M "$mode" \
        -D identities="$IDENTITIES" -D agents="$AGENTS" "$@" -f "$script" --log --log-prefix="$OUT/runs/$name.log" $DB \
        >"$OUT/runs/$name.out" 2>&1 || { cat "$OUT/runs/$name.out"; exit 1; }
    printf '%s\t%s\t' "$build" "$round" >>"$OUT/results.tsv"
    python3 "$ROOT/bench/report.py" summarize "$query" "$band" extension "$mode" \
        "$OUT/runs/$name.out" "$OUT/runs/$name".log* >>"$OUT/results.tsv"
    rm -f "$OUT/runs/$name".log*
    tail -1 "$OUT/results.tsv"
}

for round in $(seq "$ROUNDS"); do
    order="A B"
    [ $((round % 2)) = 0 ] && order="B A"
    for build in $order; do
        dir=$A
        [ $build = B ] && dir=$B
        as_root install -m 755 "$dir/letta_identity.so" "$LIB/letta_identity.so"  # a new file: running backends keep theirs
        "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d $DB -f "$dir/setup.sql"
        for mode in simple prepared; do
            run $build "$round" floor - "$mode" "$QUERIES/floor.sql"
            run $build "$round" by_key_1 - "$mode" "$QUERIES/by_key_1.extension.sql"
            run $build "$round" by_key_10 - "$mode" "$QUERIES/by_key_10.extension.sql"
            run $build "$round" identities_page - "$mode" "$QUERIES/identities_page.extension.sql"
            for kind in any all; do
                run $build "$round" tags_$kind common "$mode" "$QUERIES/tags_$kind.extension.sql" \
                    -D lo1=1 -D hi1=2 -D lo2=3 -D hi2=4
                run $build "$round" tags_$kind middling "$mode" "$QUERIES/tags_$kind.extension.sql" \
                    -D lo1=90 -D hi1=99 -D lo2=100 -D hi2=110
                run $build "$round" tags_$kind rare "$mode" "$QUERIES/tags_$kind.extension.sql" \
                    -D lo1=900 -D hi1=949 -D lo2=950 -D hi2=1000
            done
            # (Both builds add as many agents: the rounds alternate their order.)
            if [ "$WRITES" = 1 ]; then
                for query in create tag_edit delete; do
                    run $build "$round" $query - "$mode" "$QUERIES/$query.extension.sql"
                done
            fi
        done
    done
done

python3 - "$OUT/results.tsv" <<'PY' | tee "$OUT/report.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
keys = sorted({(r["query"], r["band"], r["mode"]) for r in rows}, key=lambda k: (k[2], k[0], k[1]))
print("| query | band | mode | A TPS | B TPS | B/A | A p99 ms | B p99 ms |")
print("|---|---|---|---:|---:|---:|---:|---:|")
for k in keys:
    def med(build, field):
        return statistics.median(float(r[field]) for r in rows
                                 if (r["query"], r["band"], r["mode"]) == k and r["build"] == build)
    a, b = med("A", "tps"), med("B", "tps")
    print(f"| {k[0]} | {k[1]} | {k[2]} | {a:,.0f} | {b:,.0f} | {b / a:.2f}x | "
          f"{med('A', 'p99_ms'):.2f} | {med('B', 'p99_ms'):.2f} |")
PY
