#!/bin/sh
# Goal: every bad [workload] and [[clients]] file is refused by `routelab run` with exit 2
# and one `file:line: field: message` line, without writing any output. Method: run each
# file under tests/scenario/bad/ named workload_* or clients_*.
# Usage: bad_workload_test.sh ROUTELAB_BINARY SOURCE_DIR
set -u
bin=$1
src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/routelab-bad-workload.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
count=0
for f in "$src"/tests/scenario/bad/workload_*.toml "$src"/tests/scenario/bad/clients_*.toml; do
  "$bin" run --out "$tmp/o" "$f" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ "$rc" = 2 ] || { echo "FAIL: $f: exit $rc, expected 2"; cat "$tmp/err"; exit 1; }
  grep -qE "^$f:[0-9]+: [a-z_]+(\[[0-9]+\])?(\.[a-z_]+(\[[0-9]+\])?)*: " "$tmp/err" ||
    { echo "FAIL: $f: no file:line: field: message on stderr"; cat "$tmp/err"; exit 1; }
  [ ! -e "$tmp/o" ] || { echo "FAIL: $f: output directory created"; exit 1; }
  count=$((count + 1))
done
[ "$count" -ge 30 ] || { echo "FAIL: only $count bad files found"; exit 1; }
echo "ok ($count bad workload and client files)"
