#!/usr/bin/env bash
# `routelab replay`: a stored run replays from its database alone to the same trace hash
# (the scenario file deleted first); a replay with one changed setting is reported as
# diverging, with its first differing window and event. Usage: replay_test.sh ROUTELAB SOURCE_DIR
set -euo pipefail
routelab="$1"
src="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
for s in quickstart node_failure; do
    cp "$src/scenarios/$s.toml" "$work/$s.toml"
    # Short runs; node_failure's last fault (at 10 s) must still fall inside its workload.
    duration=3; [ "$s" = node_failure ] && duration=11
    "$routelab" run "$work/$s.toml" --set workload.duration_s=$duration --out "$work/$s" -q --no-plots || true
    rm "$work/$s.toml"
    "$routelab" replay "$work/$s/results.sqlite" > "$work/$s.out" || fail "$s: replay: $(cat "$work/$s.out")"
    grep -q '^replayed: same trace hash' "$work/$s.out" || fail "$s: $(cat "$work/$s.out")"
done
set +e; "$routelab" replay "$work/quickstart/results.sqlite" --set workload.rate_per_s=2001 > "$work/changed.out"; rc=$?; set -e
[ "$rc" = 1 ] || fail "changed replay: exit $rc, expected 1"
grep -q '^diverged: trace hash' "$work/changed.out" || fail "no divergence line: $(cat "$work/changed.out")"
grep -q '^first differing window: \[' "$work/changed.out" || fail "no window: $(cat "$work/changed.out")"
grep -q '^first differing event: #' "$work/changed.out" || fail "no event: $(cat "$work/changed.out")"
grep -q 'stored: .* request_start' "$work/changed.out" || fail "the first difference is not the request arrival: $(cat "$work/changed.out")"
set +e; "$routelab" replay "$work/quickstart/results.sqlite" --run 9 2> "$work/bad.err"; rc=$?; set -e
[ "$rc" = 2 ] || fail "missing run: exit $rc"
echo "replay_test: all passed"
