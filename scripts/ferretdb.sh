#!/usr/bin/env bash
# FerretDB v2.5.0 on PostgreSQL 15 + DocumentDB: the MongoDB-compatible server of the tests and
# CI. Unlike FerretDB v1.24 (SQLite or plain PostgreSQL backend), it answers queries through real
# indexes, so `explain` shows what a MongoDB deployment would do. Used by .ci/run and by the tests'
# private servers (src/test-support/ferretdb.ts); handy for local development too:
#   scripts/ferretdb.sh build                 # apt packages + pgvector + DocumentDB + FerretDB (once)
#   eval "$(scripts/ferretdb.sh start)"       # exports MONGODB_URI, FERRETDB_PID, PG_PID,
#                                             # FERRETDB_DATA, FERRETDB_BIN, FERRETDB_POSTGRESQL_URL
#   scripts/ferretdb.sh stop                  # stops what start exported (read from the environment)
#   scripts/ferretdb.sh start-postgres        # PostgreSQL + DocumentDB only (needs build): the
#                                             # same exports but MONGODB_URI and FERRETDB_PID
#   scripts/ferretdb.sh stop FERRETDB_PID PG_PID FERRETDB_DATA   # explicit values ("" for none)
#
# What it downloads:
#   - Debian packages (apt): PostgreSQL 15 server/dev, pg_cron, PostGIS 3, RUM, libbson, Intel
#     decimal math lib, PCRE2, krb5 headers, build tools.
#   - Go module proxy: github.com/FerretDB/FerretDB/v2@v2.5.0 and its dependencies.
#   - Nothing else: the C sources no package registry serves (DocumentDB and pgvector; see
#     scripts/vendor/README.md) are vendored. Looked up in this order: $DOCUMENTDB_TARBALL /
#     $PGVECTOR_TARBALL, scripts/vendor/<name>-<tag>.tar.gz, $CACHE/src/<name>-<tag>.tar.gz, a
#     local bare mirror (/work/.mirror/FerretDB+documentdb/repo, /work/.mirror/pgvector+pgvector/repo).
# Builds go to ~/.cache/chartkeeper (CHARTKEEPER_CACHE); the two PostgreSQL extensions are
# installed into PostgreSQL's own directories (through sudo when not root).
set -euo pipefail

FERRETDB_VERSION=v2.5.0
DOCUMENTDB_TAG=v0.106.0-ferretdb-2.5.0
# FerretDB v2.5.0 expects exactly this DocumentDB version string (build/version/documentdb.go);
# upstream generates it from git, a tarball has none, so we write it ourselves.
DOCUMENTDB_GIT_VERSION="HEAD sha:beb9d25d98 buildId:0"
PGVECTOR_TAG=v0.8.0
PG_MAJOR=15

CACHE="${CHARTKEEPER_CACHE:-$HOME/.cache/chartkeeper}"
WORK="$CACHE/ferretdb2"
BIN="$CACHE/ferretdb-$FERRETDB_VERSION"
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"
PG_CONFIG="$PG_BIN/pg_config"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
APT_PACKAGES=(postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR postgresql-$PG_MAJOR-cron
  postgresql-$PG_MAJOR-postgis-3 postgresql-$PG_MAJOR-rum libbson-dev libintelrdfpmath-dev
  libpcre2-dev libkrb5-dev pkg-config build-essential)

log() { echo "ferretdb.sh: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_apt() {
  if dpkg-query -W -f='${Status}\n' "${APT_PACKAGES[@]}" 2>/dev/null | grep -vq 'install ok installed' ||
     [ "$(dpkg-query -W -f='${Status}\n' "${APT_PACKAGES[@]}" 2>/dev/null | wc -l)" -ne "${#APT_PACKAGES[@]}" ]; then
    log "installing Debian packages..."
    as_root apt-get update -q >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "${APT_PACKAGES[@]}" >&2
  fi
}

# unpack_source NAME TAG MIRROR DEST: unpacks a git-archive tarball of NAME at TAG into DEST.
unpack_source() {
  local name=$1 tag=$2 mirror=$3 dest=$4 var tarball=""
  var="$(echo "$name" | tr a-z A-Z)_TARBALL"
  for t in "${!var:-}" "$SCRIPT_DIR/vendor/$name-$tag.tar.gz" "$CACHE/src/$name-$tag.tar.gz"; do
    if [ -n "$t" ] && [ -f "$t" ]; then tarball=$t; break; fi
  done
  if [ -z "$tarball" ] && [ -d "$mirror" ]; then
    mkdir -p "$CACHE/src"
    git --git-dir="$mirror" archive --format=tar.gz -o "$CACHE/src/$name-$tag.tar.gz" "$tag"
    tarball="$CACHE/src/$name-$tag.tar.gz"
  fi
  if [ -z "$tarball" ]; then
    log "no source for $name $tag: put $name-$tag.tar.gz (git archive of the tag) in $SCRIPT_DIR/vendor/ or set $var"
    exit 1
  fi
  rm -rf "$dest"; mkdir -p "$dest"
  tar -xzf "$tarball" -C "$dest"
}

build_pgvector() {
  local lib
  lib="$("$PG_CONFIG" --pkglibdir)"
  [ -f "$lib/vector.so" ] && [ -f "$("$PG_CONFIG" --sharedir)/extension/vector.control" ] && return 0
  log "building pgvector $PGVECTOR_TAG..."
  local src="$WORK/build/pgvector"
  unpack_source pgvector "$PGVECTOR_TAG" /work/.mirror/pgvector+pgvector/repo "$src"
  make -C "$src" -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" with_llvm=no >"$WORK/pgvector-build.log" 2>&1 ||
    { tail -30 "$WORK/pgvector-build.log" >&2; exit 1; }
  as_root make -C "$src" install PG_CONFIG="$PG_CONFIG" with_llvm=no >>"$WORK/pgvector-build.log" 2>&1
}

build_documentdb() {
  local stamp="$WORK/documentdb-$DOCUMENTDB_TAG.installed"
  [ -f "$stamp" ] && [ -f "$("$PG_CONFIG" --pkglibdir)/pg_documentdb.so" ] && return 0
  log "building DocumentDB $DOCUMENTDB_TAG (a few minutes)..."
  local src="$WORK/build/documentdb"
  unpack_source documentdb "$DOCUMENTDB_TAG" /work/.mirror/FerretDB+documentdb/repo "$src"
  # Debian ships the Intel decimal library as static variants, not as the intelmathlib.pc that
  # DocumentDB's scripts create; 000 = by value, no global rounding / flags, as upstream builds it.
  mkdir -p "$WORK/pkgconfig"
  cat >"$WORK/pkgconfig/intelmathlib.pc" <<'EOF'
prefix=/usr
libdir=${prefix}/lib/x86_64-linux-gnu
includedir=${prefix}/include
Name: intelmathlib
Description: Intel Decimal Floating-Point Math Library (Debian libintelrdfpmath-dev)
Version: 2.0 Update 2
Cflags: -I${includedir}
Libs: -L${libdir} -l:libbidgcc000.a
EOF
  local d
  for d in pg_documentdb pg_documentdb_core; do
    mkdir -p "$src/$d/build/include/metadata"
  done
  printf '#define EXTENSION_VERSION_STR "%s"\n#define GIT_VERSION "%s"\n' \
    "$(echo "$DOCUMENTDB_TAG" | sed -E 's/^v([0-9]+\.[0-9]+\.[0-9]+).*/\1/')" "$DOCUMENTDB_GIT_VERSION" \
    >"$src/pg_documentdb/build/include/metadata/documentdb_extension_version.h"
  # Debian 12's libbson is 1.23; DocumentDB targets 1.28, whose only addition it uses here is
  # the "sensitive" binary subtype (8).
  local mk=(PG_CONFIG="$PG_CONFIG" with_llvm=no COPT="-DBSON_SUBTYPE_SENSITIVE=0x08 -Wno-error=switch")
  (
    export PKG_CONFIG_PATH="$WORK/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
    cd "$src"
    make -C pg_documentdb_core -j"$(nproc)" "${mk[@]}" &&
      as_root env PKG_CONFIG_PATH="$PKG_CONFIG_PATH" make -C pg_documentdb_core install "${mk[@]}" &&
      make -C pg_documentdb -j"$(nproc)" "${mk[@]}" &&
      as_root env PKG_CONFIG_PATH="$PKG_CONFIG_PATH" make -C pg_documentdb install "${mk[@]}"
  ) >"$WORK/documentdb-build.log" 2>&1 || { grep -E 'error|Error' "$WORK/documentdb-build.log" | tail -30 >&2; exit 1; }
  touch "$stamp"
}

build_ferretdb() {
  [ -x "$BIN" ] && return 0
  command -v go >/dev/null || { log "Go is needed to build FerretDB"; exit 1; }
  log "building FerretDB $FERRETDB_VERSION..."
  local mod src
  mod=$(cd /tmp && go mod download -json "github.com/FerretDB/FerretDB/v2@$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$mod" ] || { log "go mod download of FerretDB $FERRETDB_VERSION failed"; exit 1; }
  src=$(mktemp -d)
  cp -r "$mod/." "$src"
  chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  # gomaxprocs.go is `//go:build !go1.25` (Go 1.25+ is cgroup-aware by itself) and nothing
  # provides setGOMAXPROCS for newer Go; add the missing no-op.
  if [ ! -e "$src/cmd/ferretdb/gomaxprocs_go125.go" ]; then
    printf '//go:build go1.25\n\npackage main\n\nimport "log/slog"\n\nfunc setGOMAXPROCS(_ *slog.Logger) {}\n' \
      >"$src/cmd/ferretdb/gomaxprocs_go125.go"
  fi
  mkdir -p "$CACHE"
  (cd "$src" && go build -o "$BIN.tmp" ./cmd/ferretdb)
  mv "$BIN.tmp" "$BIN"
  rm -rf "$src"
}

build() {
  mkdir -p "$WORK"
  install_apt
  build_pgvector
  build_documentdb
  build_ferretdb
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

wait_port() { # wait_port PORT PID
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# Starts PostgreSQL with DocumentDB in a new temporary folder; prints its shell assignments.
start_postgres() {
  [ -x "$BIN" ] && [ -f "$("$PG_CONFIG" --pkglibdir 2>/dev/null)/pg_documentdb.so" ] ||
    { log "FerretDB $FERRETDB_VERSION / DocumentDB not built: run scripts/ferretdb.sh build"; exit 1; }
  local data pgport pgpid run=()
  data=$(mktemp -d)
  chmod 755 "$data"
  mkdir "$data/pg"
  # PostgreSQL refuses to run as root; use the postgres account the Debian package creates.
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$data/pg"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$PG_BIN/initdb" -D "$data/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$data/initdb.log" 2>&1 || { cat "$data/initdb.log" >&2; rm -rf "$data"; exit 1; }
  pgport=$(free_port)
  cat >>"$data/pg/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pgport
unix_socket_directories = '$data/pg'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_preload_libraries = 'pg_cron,pg_documentdb_core,pg_documentdb'
cron.database_name = 'postgres'
documentdb.enableCompact = true
documentdb.enableLetAndCollationForQueryMatch = true
documentdb.enableNowSystemVariable = true
documentdb.enableSortbyIdPushDownToPrimaryKey = true
documentdb.enableSchemaValidation = true
documentdb.enableBypassDocumentValidation = true
documentdb.enableUserCrud = true
documentdb.maxUserLimit = 100
# Debian 12's pg_cron is 1.4, which has no "N seconds" schedules; DocumentDB falls back to
# "* * * * *" when this is 60. FerretDB builds indexes synchronously, so this only affects
# background index builds.
documentdb.indexBuildScheduleInSec = 60
EOF
  "${run[@]}" "$PG_BIN/pg_ctl" -D "$data/pg" -l "$data/pg/postgres.log" -w -t 60 start >/dev/null 2>&1 ||
    { cat "$data/pg/postgres.log" >&2; rm -rf "$data"; exit 1; }
  pgpid=$(head -1 "$data/pg/postmaster.pid")
  "$PG_BIN/psql" -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pgport" -U postgres -d postgres \
    -c 'CREATE EXTENSION documentdb CASCADE' >"$data/extension.log" 2>&1 ||
    { cat "$data/extension.log" >&2; stop "" "$pgpid" "$data"; exit 1; }
  echo "export PG_PID=$pgpid; export FERRETDB_DATA=$data; export FERRETDB_BIN=$BIN; export FERRETDB_POSTGRESQL_URL=postgres://postgres@127.0.0.1:$pgport/postgres"
}

start() {
  build >&2
  local pgvars port pid
  pgvars=$(start_postgres)
  eval "$pgvars"
  port=$(free_port)
  "$BIN" --postgresql-url="$FERRETDB_POSTGRESQL_URL" --no-auth \
    --listen-addr="127.0.0.1:$port" --state-dir="$FERRETDB_DATA" --debug-addr=- \
    --telemetry=disable --log-level=warn >"$FERRETDB_DATA/ferretdb.log" 2>&1 &
  pid=$!
  if wait_port "$port" "$pid"; then
    echo "export MONGODB_URI=mongodb://127.0.0.1:$port/; export FERRETDB_PID=$pid; $pgvars"
    return 0
  fi
  log "FerretDB did not start; its log:"
  cat "$FERRETDB_DATA/ferretdb.log" >&2
  stop "$pid" "$PG_PID" "$FERRETDB_DATA"
  exit 1
}

# stop [FERRETDB_PID PG_PID FERRETDB_DATA]: with no arguments, the values `start` exported.
stop() {
  local fpid ppid data
  if [ $# -gt 0 ]; then
    fpid=${1:-} ppid=${2:-} data=${3:-}
  else
    fpid=${FERRETDB_PID:-} ppid=${PG_PID:-} data=${FERRETDB_DATA:-}
  fi
  if [ -n "$fpid" ]; then kill "$fpid" 2>/dev/null || true; fi
  if [ -n "$ppid" ] && kill -0 "$ppid" 2>/dev/null; then
    kill -INT "$ppid" 2>/dev/null || true # fast shutdown
    for _ in $(seq 1 100); do kill -0 "$ppid" 2>/dev/null || break; sleep 0.1; done
  fi
  case "$data" in "${TMPDIR:-/tmp}"/tmp.*) rm -rf "$data" ;; esac
}

case "${1:-start}" in
  build) build ;;
  start) start ;;
  start-postgres) start_postgres ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: scripts/ferretdb.sh [build|start|start-postgres|stop [FERRETDB_PID PG_PID FERRETDB_DATA]]" >&2; exit 2 ;;
esac
