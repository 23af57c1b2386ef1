#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (a MongoDB-wire-compatible server on SQLite) from the Go module proxy
# and starts it on a free loopback port. Prints `export MONGODB_URI=...` and the PID variable
# for eval. Used by .ci/run; handy for local development too:
#   eval "$(scripts/ferretdb.sh start)"   ...   kill "$FERRETDB_PID"
set -euo pipefail

VERSION=v1.24.2
CACHE="${CHARTKEEPER_CACHE:-$HOME/.cache/chartkeeper}"
BIN="$CACHE/ferretdb-$VERSION"

build() {
  [ -x "$BIN" ] && return 0
  command -v go >/dev/null || { echo "ferretdb.sh: Go is needed to build FerretDB" >&2; exit 1; }
  echo "Building FerretDB $VERSION (first time only)..." >&2
  local mod src
  # `go install ...@version` asks the proxy for the version list, which it refuses for this
  # module; downloading the exact version works.
  mod=$(cd /tmp && go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  src=$(mktemp -d)
  cp -r "$mod/." "$src"
  chmod -R u+w "$src"
  # The release build writes its version file from git; a module download has none.
  echo "$VERSION" > "$src/build/version/version.txt"
  mkdir -p "$CACHE"
  (cd "$src" && go build -o "$BIN.tmp" ./cmd/ferretdb)
  mv "$BIN.tmp" "$BIN"
  rm -rf "$src"
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  build
  local port data
  port=$(free_port)
  data=$(mktemp -d)
  "$BIN" --handler=sqlite --sqlite-url="file:$data/" --state-dir="$data" \
    --listen-addr="127.0.0.1:$port" --debug-addr=- --telemetry=disable --log-level=warn \
    >"$data/ferretdb.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "export MONGODB_URI=mongodb://127.0.0.1:$port/; export FERRETDB_PID=$pid; export FERRETDB_DATA=$data"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "ferretdb.sh: FerretDB did not start; its log:" >&2
  cat "$data/ferretdb.log" >&2
  exit 1
}

case "${1:-start}" in
  build) build ;;
  start) start ;;
  *) echo "usage: scripts/ferretdb.sh [build|start]" >&2; exit 2 ;;
esac
