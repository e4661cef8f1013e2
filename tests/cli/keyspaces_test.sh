#!/bin/bash
# Keyspaces and request location preferences through whole runs of
# scenarios/multi_keyspace.toml, read back from the results database:
# - writes to the SimpleStrategy keyspace (RF 1) cost one replica operation each, writes to
#   the NetworkTopologyStrategy one (dc1 = 3, dc2 = 1) four, three of them in dc1;
# - requests whose profile prefers dc2 are coordinated by dc2 nodes only, and requests that
#   prefer dc1 by dc1 nodes only (the policy has no DC of its own: it inherits the request's);
# - `routelab explain` plans for each keyspace, without token or table, with a preference
#   and with latency measurements.
set -euo pipefail
routelab=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "keyspaces: $*"; exit 1; }
base="$src/scenarios/multi_keyspace.toml"

# One operation of the scenario's mix at a time (its other lines dropped).
only() {
    local keep=$1 out=$2
    awk -v keep="$keep" '
        /^  \{ kind = / { if (index($0, keep) == 0) next }
        { print }' "$base" > "$out"
}
q() { sqlite3 "$1" "$2"; }

only 'keyspace = "sessions"' "$work/sessions.toml"
"$routelab" run "$work/sessions.toml" --no-plots --out "$work/sessions" > "$work/sessions.out" 2>&1 || fail "sessions run: $(tail -3 "$work/sessions.out")"
db="$work/sessions/results.sqlite"
requests=$(q "$db" "SELECT requests FROM runs")
[ "$requests" -gt 1000 ] || fail "sessions run issued $requests requests"
ops=$(q "$db" "SELECT SUM(replica_ops) FROM node_load")
[ "$ops" = "$requests" ] || fail "RF 1 writes: $ops replica operations for $requests writes"
dc1=$(q "$db" "SELECT SUM(requests) FROM node_load WHERE datacenter = 'dc1'")
[ "$dc1" = 0 ] || fail "writes preferring dc2 (profile in_dc2) coordinated $dc1 times in dc1"

only 'prefer_rack = "r2"' "$work/app.toml"
"$routelab" run "$work/app.toml" --no-plots --out "$work/app" > "$work/app.out" 2>&1 || fail "app run: $(tail -3 "$work/app.out")"
db="$work/app/results.sqlite"
requests=$(q "$db" "SELECT requests FROM runs")
ops=$(q "$db" "SELECT SUM(replica_ops) FROM node_load")
[ "$ops" = $((4 * requests)) ] || fail "NTS dc1=3 dc2=1 writes: $ops replica operations for $requests writes (expected 4 each)"
dc2_ops=$(q "$db" "SELECT SUM(replica_ops) FROM node_load WHERE datacenter = 'dc2'")
[ "$dc2_ops" = "$requests" ] || fail "dc2 holds one replica per write: $dc2_ops replica operations for $requests writes"
dc2=$(q "$db" "SELECT SUM(requests) FROM node_load WHERE datacenter = 'dc2'")
[ "$dc2" = 0 ] || fail "writes preferring dc1/r2 coordinated $dc2 times in dc2"
r2=$(q "$db" "SELECT requests FROM node_load WHERE node = 'dc1-r2-n1'")
[ "$r2" -gt $((requests / 2)) ] || fail "writes preferring rack r2: only $r2 of $requests coordinated by dc1-r2-n1"

"$routelab" run "$base" --no-plots --out "$work/all" > "$work/all.out" 2>&1 || fail "whole scenario: $(tail -3 "$work/all.out")"
grep -q '^verdict: *pass' "$work/all.out" || fail "whole scenario verdict: $(grep verdict "$work/all.out")"
"$routelab" run "$base" --no-plots --out "$work/again" > "$work/again.out" 2>&1 || fail "second run"
[ "$(grep 'trace hash' "$work/all.out")" = "$(grep 'trace hash' "$work/again.out")" ] || fail "same seed, different trace hash"

# explain: each keyspace's own replicas.
E="$routelab explain $base"
plan=$($E --keyspace sessions --table by_user --key 42)
[ "$(echo "$plan" | grep -c 'replica')" = 1 ] || fail "SimpleStrategy RF 1 plan should hold one replica: $plan"
plan=$($E --keyspace app --table kv --key 42 --prefer-dc dc1)
[ "$(echo "$plan" | grep -c 'local replica')" = 3 ] || fail "app prefers dc1: three local replicas expected: $plan"
echo "$plan" | grep -q 'dc2' && fail "no failover: a plan preferring dc1 names dc2: $plan"
plan=$($E --key 42 --profile in_dc2)
case "$plan" in *"prefers dc2"*) ;; *) fail "the profile's preference is not shown: $plan" ;; esac
echo "$plan" | tail -n +2 | grep -q 'dc1' && fail "the profile prefers dc2 but the plan names dc1: $plan"
plan=$($E)
case "$plan" in *"for no token in app (no table)"*) ;; *) fail "token-less request: $plan" ;; esac
echo "$plan" | grep -q 'replica' && fail "a token-less plan has no replicas: $plan"
# Latency: the slow replica is penalised and moved behind the fast ones.
plan=$($E --key 42 --prefer-dc dc1 --latency dc1-r1-n1=20msx100 --latency dc1-r2-n1=1msx100 --latency dc1-r3-n1=1msx100)
last=$(echo "$plan" | tail -n 1)
case "$last" in *dc1-r1-n1*"penalised"*) ;; *) fail "the slow node should be last and penalised: $plan" ;; esac
# Too few samples (the policy needs 50): nobody penalised.
plan=$($E --key 42 --prefer-dc dc1 --latency dc1-r1-n1=20msx10 --latency dc1-r2-n1=1msx10)
echo "$plan" | grep -q penalised && fail "10 samples are below minimum_measurements: $plan"
# Past retry_period (10 s) after the last sample, a penalty lapses.
plan=$($E --key 42 --prefer-dc dc1 --latency dc1-r1-n1=20msx100 --latency dc1-r2-n1=1msx100 --at 30)
echo "$plan" | grep -q penalised && fail "penalties lapse after retry_period: $plan"
json=$($E --key 42 --prefer-dc dc1 --latency dc1-r1-n1=20msx100 --latency dc1-r2-n1=1msx100 --format json)
echo "$json" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); p=d["plans"][0]; assert p[-1]["node"]=="dc1-r1-n1" and p[-1]["latency_penalised"], p' \
    || fail "json plan: $json"

# Bad arguments exit 2 with the reason.
expect_bad() {
    local pattern=$1; shift
    set +e; $E "$@" > /dev/null 2> "$work/err"; rc=$?; set -e
    [ "$rc" = 2 ] && grep -q -- "$pattern" "$work/err" || fail "$* -> rc $rc: $(cat "$work/err")"
}
expect_bad "unknown keyspace 'nope' (the scenario declares: app, sessions)" --keyspace nope
expect_bad "unknown table 'by_user' in keyspace app" --table by_user
expect_bad "needs --prefer-dc" --prefer-rack r1
expect_bad "unknown datacenter 'dc9'" --prefer-dc dc9
expect_bad "has no rack 'r7'" --prefer-dc dc1 --prefer-rack r7
expect_bad "expected NODE=DURATION" --latency x
expect_bad "needs a unit" --latency dc1-r1-n1=5
expect_bad "COUNT must be" --latency dc1-r1-n1=5msx0
expect_bad "unknown node 'nobody'" --latency nobody=5ms
expect_bad "after the measurements" --latency dc1-r1-n1=5msx100 --at 0.01
set +e; "$routelab" explain "$src/scenarios/explain_two_dc.toml" --latency dc1-r1=5ms > /dev/null 2> "$work/err"; rc=$?; set -e
[ "$rc" = 2 ] && grep -q 'latency awareness on' "$work/err" || fail "--latency without latency awareness: rc $rc"
echo "keyspaces: 1 passed, 0 failed"
