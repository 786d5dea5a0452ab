#!/usr/bin/env bash
# Runs the benchmarks from the release build: JOSE, passwords, and the store on SQLite and on a
# throwaway PostgreSQL on loopback (stopped when the run ends). Pass benchmark names to run
# only some: scripts/run-bench.sh jose passwords
set -euo pipefail
cd "$(dirname "$0")/.."
pgdir="/tmp/gatehouse-bench-pg.$$"
cleanup() { scripts/test-postgres.sh stop "$pgdir" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
if dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "install ok installed"; then
  GATEHOUSE_BENCH_POSTGRES_URL="$(GATEHOUSE_PG_DURABLE=1 scripts/test-postgres.sh start "$pgdir")"
  export GATEHOUSE_BENCH_POSTGRES_URL
else
  echo "postgresql is not installed: the store benchmark runs on SQLite only (make test-deps installs it)" >&2
fi
echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%dT%H:%MZ)"
"$(swift build -c release --show-bin-path)/gatehouse-bench" "$@"
