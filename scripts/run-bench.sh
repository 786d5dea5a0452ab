#!/usr/bin/env bash
# Runs the benchmarks from the release build: JOSE, passwords, the store, and the OIDC provider
# under load (`gatehouse serve` on loopback), on SQLite and on a throwaway PostgreSQL on loopback
# (stopped when the run ends). Pass benchmark names to run only some: scripts/run-bench.sh jose passwords
set -euo pipefail
cd "$(dirname "$0")/.."
pgdir="/tmp/gatehouse-bench-pg.$$"
# Servers the oidc benchmark starts append their pid here; whatever is still running at the end
# (the benchmark failed or was interrupted) is stopped by pid.
export GATEHOUSE_BENCH_PIDFILE="/tmp/gatehouse-bench-servers.$$"
cleanup() {
  if [[ -f "$GATEHOUSE_BENCH_PIDFILE" ]]; then
    while read -r pid; do
      [[ "$pid" =~ ^[0-9]+$ ]] && kill -TERM "$pid" 2>/dev/null || true
    done <"$GATEHOUSE_BENCH_PIDFILE"
    rm -f "$GATEHOUSE_BENCH_PIDFILE"
  fi
  scripts/test-postgres.sh stop "$pgdir" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM
if dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "install ok installed"; then
  GATEHOUSE_BENCH_POSTGRES_URL="$(GATEHOUSE_PG_DURABLE=1 scripts/test-postgres.sh start "$pgdir")"
  export GATEHOUSE_BENCH_POSTGRES_URL
else
  echo "postgresql is not installed: the store and oidc benchmarks run on SQLite only (make test-deps installs it)" >&2
fi
# The oidc benchmark drives the release `gatehouse` binary.
swift build -c release --product gatehouse >&2
swift build -c release --product gatehouse-bench >&2
bin="$(swift build -c release --show-bin-path)"
export GATEHOUSE_BIN="$bin/gatehouse"
echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%dT%H:%MZ)"
"$bin/gatehouse-bench" "$@"
