#!/usr/bin/env bash
# Runs the scenario library through `routelab ci` (three seeds each, two jobs) against its
# recorded baselines; prints the failing rows and exits 1 on a failed check or a regressed
# figure. Every scenario must have a baseline (ci exits 2 otherwise).
# Usage: library_ci_test.sh ROUTELAB SOURCE_DIR
set -euo pipefail
routelab="$1"
src="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dir="$src/scenarios/library"
count=$(find "$dir" -maxdepth 1 -name '*.toml' | wc -l)
[ "$count" -ge 11 ] || { echo "FAIL: only $count scenarios in $dir"; exit 1; }
for s in "$dir"/*.toml; do
    name=$(basename "$s" .toml)
    [ -f "$dir/baselines/$name.json" ] || { echo "FAIL: $name has no baseline (baselines/$name.json)"; exit 1; }
done
set +e
"$routelab" ci "$dir" --out "$work/ci" --seeds 3 --jobs 2 --junit "$work/ci.xml" > "$work/ci.out" 2>&1
rc=$?
set -e
if [ "$rc" != 0 ]; then
    echo "FAIL: routelab ci exited $rc; failing rows:"
    grep -E 'FAIL|routelab:' "$work/ci.out" || tail -20 "$work/ci.out"
    exit 1
fi
rows=$(grep -c ' pass$' "$work/ci.out" || true)
[ "$rows" -ge "$count" ] || { echo "FAIL: only $rows passing rows for $count scenarios"; cat "$work/ci.out"; exit 1; }
tail -1 "$work/ci.out"
echo "library_ci_test: $count scenarios passed against their baselines"
