#!/usr/bin/env bash
# Runs the whole suite against real engines: a throwaway PostgreSQL server and an OpenLDAP
# slapd (with syncprov) on loopback, stopped when the tests end, also when they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
pgdir="/tmp/gatehouse-test-pg.$$"
ldapdir="/tmp/gatehouse-test-slapd.$$"
cleanup() {
  scripts/test-postgres.sh stop "$pgdir" >/dev/null 2>&1 || true
  scripts/test-slapd.sh stop "$ldapdir" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

GATEHOUSE_TEST_POSTGRES_URL="$(scripts/test-postgres.sh start "$pgdir")"
export GATEHOUSE_TEST_POSTGRES_URL
echo "PostgreSQL for the tests: ${GATEHOUSE_TEST_POSTGRES_URL}"
GATEHOUSE_TEST_LDAP_URL="$(scripts/test-slapd.sh start "$ldapdir")"
GATEHOUSE_TEST_LDAP_CA_FILE="$ldapdir/tls/ca.pem"
export GATEHOUSE_TEST_LDAP_URL GATEHOUSE_TEST_LDAP_CA_FILE
echo "OpenLDAP slapd for the tests: ${GATEHOUSE_TEST_LDAP_URL}"

# Independent clients for the interoperability tests (authlib, joserfc, requests), in a venv.
# Reinstalled whenever Tests/Interop/requirements.txt changes.
wanted="$(sha256sum Tests/Interop/requirements.txt | cut -d' ' -f1)"
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/requirements.sha256 2>/dev/null)" != "$wanted" ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r Tests/Interop/requirements.txt
  echo "$wanted" > .venv/requirements.sha256
fi
GATEHOUSE_PYTHON="$PWD/.venv/bin/python"
export GATEHOUSE_PYTHON

scripts/check-middleware-deps.sh
swift build --build-tests
GATEHOUSE_BIN="$(swift build --show-bin-path)/gatehouse"
export GATEHOUSE_BIN
# Three runs: the process-level CLI tests on their own; then the other suites that start a
# process (openssl, Python) or measure how a real server keeps time (slow clients); then
# everything else. In one process, the hundreds of sockets the other suites hold open at once
# make Foundation's Process.run() crash (a memcpy past a buffer) when a test launches a program,
# and the rest's load on two cores stretches the deadlines the slow-client test checks; apart,
# all are stable. A new suite of either kind belongs in APART.
APART='GatehouseServerTests\.(TransportTLSTests|TransportLimitsTests|AdminAPITests|SCIMInteropTests)|GatehouseMFATests\.QRInteropTests|GatehouseMiddlewareTests\.InteropTests'
# Each run's output is also kept, so that a failure deep in a long log is repeated at the end,
# where a reader of the last lines finds it.
logdir="$(mktemp -d /tmp/gatehouse-test-log.XXXXXX)"
status=0
run() {
  local name="$1"; shift
  swift test --skip-build "$@" 2>&1 | tee "$logdir/$name.log"
  return "${PIPESTATUS[0]}"
}
run cli --filter GatehouseCLITests "$@" || status=$?
run apart --filter "$APART" "$@" || status=$?
run rest --skip GatehouseCLITests --skip "$APART" "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "==== failures (run: test and issue) ===="
  for name in cli apart rest; do
    grep -aE '(✘|error:|Fatal error|Test Case .* failed)' "$logdir/$name.log" | grep -av ' passed ' | sed "s/^/[$name] /" | head -60 || true
  done
fi
rm -rf "$logdir"
exit $status
