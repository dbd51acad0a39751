# Shared by scripts/demo and scripts/test: install what is missing, build, run a cluster.
# Every step is idempotent: it checks first and does only what is not done yet.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=15
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
PG_CONFIG=$PG_BIN/pg_config
PGRX_VERSION=$(sed -n 's/^pgrx = "=\(.*\)"$/\1/p' "$ROOT/Cargo.toml")
export LETTA_PORT=${LETTA_PORT:-54815}
export PGHOST=localhost PGPORT=$LETTA_PORT PGUSER=postgres
export USER=${USER:-$(id -un)}   # pgrx-tests needs it; non-login shells may not set it
export PATH="$HOME/.cargo/bin:$PATH"

# The cluster lives under the project. When the project sits where the postgres user cannot
# reach (a root-only home, say), .pgdata is a link to a directory under /var/lib instead.
PGDATA_LINK=$ROOT/.pgdata

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# initdb and pg_ctl refuse to run as root: run them as postgres when we are root.
as_pg_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

ensure_packages() {
    local want=(postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR libclang-dev clang
                build-essential pkg-config libssl-dev python3 python3-venv pgbouncer)
    [ "$(id -u)" = 0 ] && want+=(sudo)   # pgrx-tests runs the test cluster through sudo -u postgres
    command -v node >/dev/null && command -v npm >/dev/null || want+=(nodejs npm)
    local missing=()
    for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "Installing Debian packages: ${missing[*]}"
        as_root apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    fi
    if ! command -v cargo >/dev/null; then
        echo "cargo not found: install Rust (rustup, 1.89 or newer) first" >&2
        exit 1
    fi
    if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
        rustup component add rustfmt clippy
    fi
}

ensure_pgrx() {
    if [ "$(cargo pgrx --version 2>/dev/null)" != "cargo-pgrx $PGRX_VERSION" ]; then
        say "Installing cargo-pgrx $PGRX_VERSION (about 9 minutes, once)"
        cargo install cargo-pgrx --version "=$PGRX_VERSION" --locked
    fi
    # Point pgrx at Debian's PostgreSQL; init only when needed (it forces a full rebuild).
    local config=${PGRX_HOME:-$HOME/.pgrx}/config.toml
    if ! grep -qs "pg$PG_MAJOR = \"$PG_CONFIG\"" "$config"; then
        say "cargo pgrx init --pg$PG_MAJOR $PG_CONFIG"
        cargo pgrx init --pg$PG_MAJOR "$PG_CONFIG"
    fi
}

# The validator of PGXN's META.json (David Wheeler's pgxn_meta, pinned), for tests/package/run.
PGXN_META_VERSION=0.7.0
ensure_pgxn_meta() {
    if [ "$(pgxn_meta --version 2>/dev/null)" != "pgxn_meta $PGXN_META_VERSION" ]; then
        say "Installing pgxn_meta $PGXN_META_VERSION (under a minute, once)"
        cargo install pgxn_meta --version "=$PGXN_META_VERSION" --locked
    fi
}

install_extension() {
    say "Building and installing the extension"
    (cd "$ROOT" && cargo pgrx install --pg-config "$PG_CONFIG" $( [ "$(id -u)" = 0 ] || echo --sudo ))
}

cluster_dir() {
    if [ -L "$PGDATA_LINK" ] || [ -d "$PGDATA_LINK" ]; then
        readlink -f "$PGDATA_LINK"
        return
    fi
    if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$ROOT"; then
        mkdir -p "$PGDATA_LINK"
    else
        local elsewhere
        elsewhere=/var/lib/letta_identity/$(printf '%s' "$ROOT" | md5sum | cut -c1-12)
        mkdir -p "$elsewhere"
        ln -s "$elsewhere" "$PGDATA_LINK"
    fi
    readlink -f "$PGDATA_LINK"
}

start_cluster() {
    local data
    data=$(cluster_dir)
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$data" && chmod 700 "$data"
    if [ ! -f "$data/PG_VERSION" ]; then
        say "Creating a PostgreSQL $PG_MAJOR cluster in $PGDATA_LINK (port $LETTA_PORT)"
        as_pg_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
        cat >>"$data/postgresql.conf" <<CONF
port = $LETTA_PORT
listen_addresses = 'localhost'
unix_socket_directories = '/tmp'
CONF
    fi
    if ! as_pg_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        say "Starting PostgreSQL on port $LETTA_PORT"
        as_pg_owner "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w start >/dev/null
    fi
}

# A database made anew, with the extension installed.
fresh_database() {
    "$PG_BIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
    "$PG_BIN/psql" -X -q -d "$1" -c "CREATE EXTENSION letta_identity CASCADE"
}

# A pg_regress suite (tests/pg_regress, or the folder $3 with its own schedule) against
# database $1, which must exist, on port $4 (the test cluster's by default); results in $2.
run_pg_regress() {
    rm -rf "$2" && mkdir -p "$2"
    (cd "${3:-$ROOT/tests/pg_regress}" && "$($PG_CONFIG --pkglibdir)/pgxs/src/test/regress/pg_regress" \
        --use-existing --bindir="$PG_BIN" --host=localhost --port="${4:-$LETTA_PORT}" --user=postgres \
        --dbname="$1" --inputdir=. --outputdir="$2" --schedule=schedule)
}

# Citus, for the distributed suite (tests/citus): already installed (Citus's own packages, on
# each node: https://docs.citusdata.com), or built from a source folder with a build.sh
# (LETTA_CITUS_SOURCE; by default ../shared/citus beside the project, which CI provides:
# idempotent, about 2 minutes the first time). Without either the suite says it was skipped.
ensure_citus() {
    local source=${LETTA_CITUS_SOURCE:-$ROOT/../shared/citus}
    if [ -f "$source/build.sh" ]; then
        bash "$source/build.sh" || echo "Citus could not be installed: the distributed suite will be skipped"
    fi
    return 0
}

# Scratch clusters (tests/safety/run, scripts/bench): each in $SCRATCH/NAME, owned by the
# cluster's OS user. A port just released, or backends of a killed postmaster still exiting,
# can refuse a start for a moment: retry for up to 30 seconds.
start_scratch() {
    local _
    for _ in $(seq 30); do
        as_pg_owner "$PG_BIN/pg_ctl" -D "$SCRATCH/$1" -l "$SCRATCH/$1.server.log" -w start >/dev/null 2>&1 && return 0
        sleep 1
    done
    tail -5 "$SCRATCH/$1.server.log"
    return 1
}

# A scratch cluster NAME on PORT, made anew; further arguments are postgresql.conf lines.
new_cluster() {
    local name=$1 port=$2 dir=$SCRATCH/$1
    shift 2
    stop_cluster "$name"
    rm -rf "$dir"
    as_pg_owner mkdir -p "$dir"
    as_pg_owner "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
    printf "%s\n" "port = $port" "listen_addresses = 'localhost'" "unix_socket_directories = '/tmp'" "$@" \
        | as_pg_owner tee -a "$dir/postgresql.conf" >/dev/null
    start_scratch "$name"
}

stop_cluster() {
    if [ -f "$SCRATCH/$1/postmaster.pid" ]; then
        as_pg_owner "$PG_BIN/pg_ctl" -D "$SCRATCH/$1" -m immediate -w stop >/dev/null 2>&1 || true
    fi
}
