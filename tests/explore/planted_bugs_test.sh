#!/usr/bin/env bash
# Planted bugs are found and shrunk: for each bug, `routelab_planted explore` finds its check
# failing within 30 runs, shrinks the first failing run to a file whose size is at most the
# stated nodes and faults, and `routelab_planted run` on that file fails the same check. The
# same scenarios pass without the bug, the product `routelab` does not know the planted
# policy, and the table is the same with one job or two.
# Usage: planted_bugs_test.sh ROUTELAB_PLANTED ROUTELAB SCENARIO_DIR
set -euo pipefail
planted="$1"
routelab="$2"
scenarios="$3"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# case | plant flags | check | max nodes | max faults | the fix (--set) for the control run
cases=(
  "names_twice||plans_valid|2|1|driver.policy=round_robin"
  "repeats_writes||non_idempotent_never_repeated|2|1|driver.retry=default"
  "dropped_writes|--plant-drop-writes 20|read_your_writes|1|0|"
)
for c in "${cases[@]}"; do
    IFS='|' read -r name plant check max_nodes max_faults fix <<< "$c"
    # shellcheck disable=SC2086  # $plant is zero or two words
    set +e; "$planted" $plant explore "$scenarios/$name.toml" --runs 30 --seed 1 --regressions "$work/reg-$name" \
        > "$work/$name.out" 2> "$work/$name.err"; rc=$?; set -e
    [ "$rc" = 1 ] || fail "$name: explore exit $rc, expected 1: $(cat "$work/$name.out" "$work/$name.err")"
    grep -Eq "^$check +[0-9]+ " "$work/$name.out" || fail "$name: $check not in the table: $(cat "$work/$name.out")"
    files=("$work/reg-$name"/*.toml)
    [ "${#files[@]}" = 1 ] && [ -f "${files[0]}" ] || fail "$name: expected one regression file, got ${files[*]}"
    file="${files[0]}"
    grep -q "^# Fails check: $check\$" "$file" || fail "$name: the file does not name $check"
    after=$(grep '^# After shrinking:' "$file") || fail "$name: no size in $file"
    before=$(grep '^# Before shrinking:' "$file")
    nodes=$(sed -E 's/.* ([0-9]+) node\(s\).*/\1/' <<< "$after")
    faults=$(sed -E 's/.* ([0-9]+) fault\(s\).*/\1/' <<< "$after")
    nodes_before=$(sed -E 's/.* ([0-9]+) node\(s\).*/\1/' <<< "$before")
    [ "$nodes" -le "$max_nodes" ] || fail "$name: shrunk to $nodes nodes (at most $max_nodes expected): $after"
    [ "$faults" -le "$max_faults" ] || fail "$name: shrunk to $faults faults (at most $max_faults expected): $after"
    [ "$nodes" -lt "$nodes_before" ] || fail "$name: no nodes removed: $before / $after"
    grep -q "rerun: fails $check" "$work/$name.out" || fail "$name: explore did not confirm the rerun: $(cat "$work/$name.out")"
    # shellcheck disable=SC2086
    set +e; "$planted" $plant run "$file" --out "$work/run-$name" -q --no-plots 2> "$work/run-$name.err"; rc=$?; set -e
    [ "$rc" = 1 ] || fail "$name: run on the shrunk file: exit $rc: $(cat "$work/run-$name.err")"
    grep -q "run failed: fail: $check" "$work/run-$name.err" || fail "$name: run failed otherwise: $(cat "$work/run-$name.err")"
    echo "$name: $check found; $before -> $after"

    # Without the bug the same exploration passes.
    control=()
    [ -n "$fix" ] && control=(--set "$fix")
    set +e; "$planted" explore "$scenarios/$name.toml" --runs 10 --seed 1 --no-shrink "${control[@]}" > "$work/$name.control" 2>&1; rc=$?; set -e
    [ "$rc" = 0 ] || fail "$name: without the bug, explore exit $rc: $(cat "$work/$name.control")"
done

# The planted policy is a test binary's: the product refuses the shrunk file as bad input.
set +e; "$routelab" run "$work"/reg-names_twice/*.toml --out "$work/product" -q --no-plots 2> "$work/product.err"; rc=$?; set -e
[ "$rc" = 2 ] || fail "routelab knows the planted policy? exit $rc"
grep -q "unknown load-balancing policy" "$work/product.err" || fail "$(cat "$work/product.err")"

# Run i is the same variation whatever the number of jobs.
"$planted" explore "$scenarios/names_twice.toml" --runs 12 --seed 9 --no-shrink --jobs 1 2>/dev/null | grep -v '^explored' > "$work/j1" || true
"$planted" explore "$scenarios/names_twice.toml" --runs 12 --seed 9 --no-shrink --jobs 2 2>/dev/null | grep -v '^explored' > "$work/j2" || true
grep -q '^12 runs: ' "$work/j1" || fail "no summary: $(cat "$work/j1")"
cmp -s "$work/j1" "$work/j2" || fail "jobs 1 and 2 differ: $(diff "$work/j1" "$work/j2")"
echo "planted_bugs_test: all passed"
