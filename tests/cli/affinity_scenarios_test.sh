#!/bin/sh
# scenarios/affinity_proxy.toml and affinity_client.toml: the same sessions, once hashed by
# a sticky proxy in front of the cluster and once by the driver's session-affinity
# policy. In both nearly every repeat request of a session reaches the node of its
# previous one; the node that stops for 4 s makes its sessions move (about a third of
# the 500), and the cluster records the figures in the results database.
set -u
bin=$1
src=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for mode in proxy client; do
    run=$($bin run "$src/scenarios/affinity_$mode.toml" --out "$out/$mode" 2>&1) || { echo "$run"; exit 1; }
    row=$(sqlite3 "$out/$mode/results.sqlite" "select sessions, keyed_requests, same_node, moved from session_affinity")
    echo "$mode: $(echo "$run" | sed -n 's/^session affinity: *//p')  [db: $row]"
    sessions=$(echo "$row" | cut -d'|' -f1); same=$(echo "$row" | cut -d'|' -f3); moved=$(echo "$row" | cut -d'|' -f4)
    [ "$sessions" = 500 ] || { echo "$run"; echo "expected 500 sessions"; exit 1; }
    awk "BEGIN { exit !($same / ($same + $moved) > 0.95) }" || { echo "$mode: sessions should stay on their node"; exit 1; }
    awk "BEGIN { exit !($moved > 100 && $moved < 600) }" || { echo "$mode: the stopped node's sessions should move (moved $moved)"; exit 1; }
done
echo "affinity scenarios: 2 passed, 0 failed"
