#!/bin/bash
# scenarios/two_fleet_outage.toml, the annotated incident: as written (no DC failover) the
# verdict is fail, exit 1, on east-during-outage only; with
# --set driver.policy_options.permit_dc_failover=true it passes, exit 0. The half-dead
# node's checks hold in both.
set -uo pipefail
routelab=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "two_fleet_outage: $*"; exit 1; }
scenario="$src/scenarios/two_fleet_outage.toml"
"$routelab" run "$scenario" --no-plots --out "$work/no-failover" > "$work/a.out" 2>&1
rc=$?
[ "$rc" = 1 ] || fail "without failover: exit $rc, expected 1: $(grep verdict "$work/a.out")"
[ "$(grep -c '^check: *FAIL' "$work/a.out")" = 1 ] || fail "without failover exactly one check fails: $(grep '^check' "$work/a.out")"
grep -q '^check: *FAIL min_availability \[east-during-outage\]' "$work/a.out" || fail "the failed check is not east-during-outage"
grep -q '^check: *pass max_error_rate \[half-dead-node-found\]' "$work/a.out" || fail "heartbeats did not find the half-dead node"
"$routelab" run "$scenario" --no-plots --set driver.policy_options.permit_dc_failover=true --out "$work/failover" > "$work/b.out" 2>&1
rc=$?
[ "$rc" = 0 ] || fail "with failover: exit $rc, expected 0: $(grep verdict "$work/b.out")"
grep -q '^verdict: *pass' "$work/b.out" || fail "with failover the verdict is not pass"
echo "two_fleet_outage: 1 passed, 0 failed"
