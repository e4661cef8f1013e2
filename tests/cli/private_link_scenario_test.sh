#!/bin/sh
# scenarios/private_link.toml end to end: every request goes through proxies (the nodes
# turn direct clients away) and succeeds while routes move, go and come back; the node
# whose route was removed for 3 of the 12 seconds coordinated visibly fewer requests.
# Without the driver's client routes the same cluster cannot be used at all.
set -u
bin=$1
src=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
figure() { echo "$1" | sed -n "s/^$2: *\([0-9.]*\).*/\1/p"; }
run=$($bin run "$src/scenarios/private_link.toml" --out "$out/routes" 2>&1) || { echo "$run"; exit 1; }
errors=$(figure "$run" errors); requests=$(figure "$run" requests)
db="$out/routes/results.sqlite"
load() { sqlite3 "$db" "select requests from node_load where node = '$1'"; }
r1=$(load dc1-r1-n1); r3=$(load dc1-r3-n1)
changes=$(sqlite3 "$db" "select count(*) from fault_events where description like '%route%'")
echo "through proxies: $requests requests, $errors errors; coordinated by r1 $r1, by r3 (route removed 3 s) $r3; route changes $changes"
[ "$errors" = 0 ] || { echo "$run"; echo "requests through the proxies should all succeed"; exit 1; }
[ "$changes" = 3 ] || { echo "the three route changes should be recorded"; exit 1; }
awk "BEGIN { exit !($r3 < 0.85 * $r1) }" || { echo "the node without a route should coordinate fewer requests"; exit 1; }
# The same cluster without client routes in the driver: the nodes refuse it.
sed '/^\[driver.client_routes\]/,/^connection_ids/d' "$src/scenarios/private_link.toml" > "$out/direct.toml"
if direct=$($bin run "$out/direct.toml" --out "$out/direct" 2>&1); then
    echo "$direct"; echo "a driver without client routes should not get through"; exit 1
fi
verdict=$(echo "$direct" | sed -n 's/^verdict: *//p')
echo "without client routes: $verdict"
case "$verdict" in *"could not connect to any node"*) ;; *) echo "$direct"; exit 1 ;; esac
echo "private link scenario: 1 passed, 0 failed"
