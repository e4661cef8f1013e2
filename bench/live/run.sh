#!/usr/bin/env bash
# Starts `routelab serve` on a scenario, runs the live load client against it, stops the
# server. Usage: bench/live/run.sh [BUILD_DIR] [SCENARIO] [client options...]
set -euo pipefail
build="${1:-build}"
scenario="${2:-scenarios/quickstart.toml}"
shift $(( $# > 2 ? 2 : $# ))
out=$(mktemp)
"$build/routelab" serve "$scenario" >"$out" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 1 100); do grep -q '^ready' "$out" && break; sleep 0.1; done
grep -q '^ready' "$out" || { cat "$out"; exit 1; }
"$build/bench/live/bench_live_load" "$@"
