#!/usr/bin/env bash
# `routelab explore` on the command line: bad input exits 2 naming the place, an unwritable
# regressions directory exits 3, the progress bar, [explore] ignored by `routelab run`, and
# a real failing scenario (dc_outage_no_failover) shrunk into scenarios/regressions/ of the
# working directory, whose file `routelab run` fails with the same check.
# Usage: explore_cli_test.sh ROUTELAB SOURCE_DIR
set -euo pipefail
routelab="$1"
src="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect() {  # expect CODE PATTERN -- command...
    local code="$1" pattern="$2"; shift 3
    set +e; "$@" > "$work/out" 2> "$work/err"; local rc=$?; set -e
    [ "$rc" = "$code" ] || fail "$*: exit $rc, expected $code: $(cat "$work/out" "$work/err")"
    [ -z "$pattern" ] || grep -Eq -e "$pattern" "$work/err" "$work/out" || fail "$*: no '$pattern' in: $(cat "$work/err")"
}

expect 2 "missing.toml: cannot open the file" -- "$routelab" explore "$work/missing.toml" --runs 1
cp "$src/scenarios/quickstart.toml" "$work/q.toml"
printf '\n[explore]\nshift = 1\n' >> "$work/q.toml"
expect 2 "q.toml:[0-9]+: explore.shift: unknown key" -- "$routelab" explore "$work/q.toml" --runs 1
expect 2 "explore.rate_scale: min is above max" -- "$routelab" explore "$src/scenarios/quickstart.toml" --runs 1 --set 'explore.rate_scale=[2,1]'
expect 2 "expected KEY=VALUE" -- "$routelab" explore "$src/scenarios/quickstart.toml" --runs 1 --set novalue
expect 2 "--runs" -- "$routelab" explore "$src/scenarios/quickstart.toml" --runs 0
expect 2 "workload.rate_per_s" -- "$routelab" explore "$src/scenarios/quickstart.toml" --runs 1 --set workload.rate_per_s=-5

# A run ignores [explore] (a valid one).
cp "$src/scenarios/quickstart.toml" "$work/q2.toml"
printf '\n[explore]\nrate_scale = [1, 2]\n' >> "$work/q2.toml"
expect 0 "" -- "$routelab" run "$work/q2.toml" --set workload.duration_s=1 --out "$work/q2" -q --no-plots

# Progress: a bar with --progress-bar, one line per run otherwise.
expect 0 "" -- "$routelab" explore "$work/q2.toml" --runs 2 --set workload.duration_s=1 --progress-bar
grep -q $'\rexplore: 2/2 runs, 0 failed' "$work/err" || fail "no progress bar: $(cat -A "$work/err")"
expect 0 "" -- "$routelab" explore "$work/q2.toml" --runs 2 --set workload.duration_s=1
[ "$(grep -c '^explore: run ' "$work/err")" = 2 ] || fail "expected one line per run: $(cat "$work/err")"
grep -q '^2 runs: 2 passed, 0 failed' "$work/out" || fail "$(cat "$work/out")"

# --print-run: run i's scenario is plain TOML, the same every time, and runs as a file.
"$routelab" explore "$src/scenarios/quickstart.toml" --print-run 3 --seed 5 > "$work/run3.toml"
"$routelab" explore "$src/scenarios/quickstart.toml" --print-run 3 --seed 5 | cmp -s - "$work/run3.toml" || fail "--print-run differs"
"$routelab" explore "$src/scenarios/quickstart.toml" --print-run 4 --seed 5 | cmp -s - "$work/run3.toml" && fail "runs 3 and 4 are the same"
grep -q '^seed = ' "$work/run3.toml" || fail "no seed in the printed run: $(cat "$work/run3.toml")"
expect 0 "" -- "$routelab" run "$work/run3.toml" --set workload.duration_s=1 --out "$work/run3" -q --no-plots

# A scenario that fails by design, shrunk into the default directory.
mkdir "$work/cwd"
(cd "$work/cwd" && set +e; "$routelab" explore "$src/scenarios/dc_outage_no_failover.toml" --runs 2 --max-shrink-runs 40 \
    > "$work/out" 2> "$work/err"; echo $? > "$work/rc")
[ "$(cat "$work/rc")" = 1 ] || fail "explore of a failing scenario: exit $(cat "$work/rc"): $(cat "$work/out" "$work/err")"
grep -q '^errors ' "$work/out" || fail "the 'errors' check is not in the table: $(cat "$work/out")"
file=$(ls "$work/cwd/scenarios/regressions/"dc-outage-no-failover-errors-seed*.toml) || fail "no regression file: $(cat "$work/out")"
grep -q '^# Fails check: errors$' "$file" || fail "$(head -5 "$file")"
expect 1 "run failed: fail: max_error_rate \\[errors\\]" -- "$routelab" run "$file" --out "$work/rerun" -q --no-plots

# An unwritable regressions directory: exit 3.
: > "$work/not-a-dir"
expect 3 "cannot write" -- "$routelab" explore "$src/scenarios/dc_outage_no_failover.toml" --runs 1 --max-shrink-runs 2 \
    --regressions "$work/not-a-dir/sub"
echo "explore_cli_test: all passed"
