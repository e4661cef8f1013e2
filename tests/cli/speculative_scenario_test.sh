#!/bin/sh
# scenarios/slow_node_speculative.toml end to end: with its speculative profile no request
# times out and p99 stays near the healthy latency; the same run without the profile
# (the slow node overloaded, round robin still feeding it) times requests out.
set -u
bin=$1
src=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
figure() { echo "$1" | sed -n "s/^$2: *\([0-9.]*\).*/\1/p"; }
with=$($bin run "$src/scenarios/slow_node_speculative.toml" --out "$out/with" 2>&1) || { echo "$with"; exit 1; }
sed '/^profile = /d' "$src/scenarios/slow_node_speculative.toml" > "$out/without.toml"
without=$($bin run "$out/without.toml" --out "$out/without" 2>&1)
t_with=$(figure "$with" timeouts); p99_with=$(figure "$with" "latency p99")
t_without=$(figure "$without" timeouts)
echo "with speculation: timeouts $t_with, p99 $p99_with ms; without: timeouts $t_without"
[ "$t_with" = 0 ] || { echo "speculation should leave no timeouts"; exit 1; }
awk "BEGIN { exit !($p99_with < 10) }" || { echo "p99 with speculation should stay under 10 ms"; exit 1; }
[ "$t_without" -gt 0 ] || { echo "without speculation the slow node should cause timeouts"; exit 1; }
echo "speculative scenario: 1 passed, 0 failed"
