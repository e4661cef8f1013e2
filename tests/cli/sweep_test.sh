#!/usr/bin/env bash
# `routelab sweep` and `routelab merge`: a grid of 2 policies × 3 seeds gives the same
# database content straight, sharded in 3 and merged (also through GNU parallel), and
# killed with SIGKILL then resumed; bad flags are refused with exit 2 before anything is
# written. Usage: sweep_test.sh ROUTELAB SOURCE_DIR
set -euo pipefail
routelab="$1"
src="$2"
command -v sqlite3 >/dev/null || { echo "CANNOT RUN: sqlite3 (the CLI) is missing; scripts/setup.sh installs it"; exit 1; }
command -v parallel >/dev/null || { echo "CANNOT RUN: GNU parallel is missing; scripts/setup.sh installs it"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scenario="$src/scenarios/quickstart.toml"
grid=(--set driver.policy=round_robin,dc_aware_round_robin --set workload.duration_s=1 --seeds 3)
fail() { echo "FAIL: $*"; exit 1; }

# Every row of every table, wall-clock seconds zeroed, sorted: what "the same database" means.
content() {
    cp "$1" "$work/content.sqlite"
    sqlite3 "$work/content.sqlite" "PRAGMA wal_checkpoint; UPDATE runs SET wall_s = 0;"
    sqlite3 "$work/content.sqlite" .dump | grep '^INSERT' | grep -v 'sqlite_sequence' | sort
    rm -f "$work/content.sqlite"*
}

"$routelab" sweep "$scenario" "${grid[@]}" --jobs 2 --out "$work/straight" > "$work/straight.out" 2> "$work/straight.err" \
    || fail "straight sweep: $(cat "$work/straight.err")"
grep -q 'sweep: 6 ran, 0 failed' "$work/straight.out" || fail "straight sweep did not run 6 jobs: $(cat "$work/straight.out")"
grep -q '"driver.policy":"dc_aware_round_robin"' "$work/straight.out" || fail "no comparison row per grid point"
[ "$(sqlite3 "$work/straight/sweep.sqlite" 'SELECT COUNT(*) FROM runs')" = 6 ] || fail "straight sweep has not 6 runs"
[ "$(sqlite3 "$work/straight/sweep.sqlite" 'SELECT COUNT(DISTINCT trace_hash) FROM runs')" = 6 ] || fail "runs are not distinct"
content "$work/straight/sweep.sqlite" > "$work/straight.rows"
[ -s "$work/straight.rows" ] || fail "empty content"

# The same jobs with one worker: same rows.
"$routelab" sweep "$scenario" "${grid[@]}" --jobs 1 --out "$work/one" > /dev/null 2>&1 || fail "jobs 1 sweep"
diff <(content "$work/one/sweep.sqlite") "$work/straight.rows" > /dev/null || fail "--jobs 1 and --jobs 2 differ"

# Three shards, merged.
for i in 1 2 3; do
    "$routelab" sweep "$scenario" "${grid[@]}" --jobs 1 --shard "$i/3" --out "$work/shard$i" > /dev/null 2>&1 || fail "shard $i"
done
"$routelab" merge "$work/merged.sqlite" "$work"/shard{1,2,3}/sweep.sqlite > /dev/null || fail "merge"
diff <(content "$work/merged.sqlite") "$work/straight.rows" > /dev/null || fail "3 shards merged differ from the straight sweep"

# The same through GNU parallel, as README shows.
parallel --halt now,fail=1 -j2 "$routelab" sweep "$scenario" "${grid[@]}" --jobs 1 --shard {}/3 --out "$work/par{}" \
    ::: 1 2 3 > /dev/null 2>&1 || fail "GNU parallel shards"
"$routelab" merge "$work/par.sqlite" "$work"/par{1,2,3}/sweep.sqlite > /dev/null || fail "merge of parallel shards"
diff <(content "$work/par.sqlite") "$work/straight.rows" > /dev/null || fail "GNU parallel shards merged differ"

# A merge of overlapping slices is refused and writes nothing.
if "$routelab" merge "$work/bad.sqlite" "$work/shard1/sweep.sqlite" "$work/straight/sweep.sqlite" 2> "$work/merge.err"; then
    fail "overlapping merge accepted"
fi
[ ! -e "$work/bad.sqlite" ] || fail "overlapping merge wrote $work/bad.sqlite"
# A slice of another grid is refused.
"$routelab" sweep "$scenario" --set workload.duration_s=1 --seeds 1 --out "$work/other" > /dev/null 2>&1 || fail "other sweep"
set +e; "$routelab" merge "$work/mix.sqlite" "$work/shard1/sweep.sqlite" "$work/other/sweep.sqlite" 2> "$work/mix.err"; rc=$?; set -e
[ "$rc" = 2 ] && grep -q 'another sweep' "$work/mix.err" || fail "merge of two sweeps: rc $rc, $(cat "$work/mix.err")"

# Killed with SIGKILL at several moments, then resumed: complete runs only, then the same rows.
for delay in 0.2 0.5 0.9; do
    out="$work/killed$delay"
    "$routelab" sweep "$scenario" "${grid[@]}" --jobs 1 --out "$out" > /dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ -e "$out/sweep.sqlite" ]; then
        [ "$(sqlite3 "$out/sweep.sqlite" 'PRAGMA integrity_check')" = ok ] || fail "killed sweep's database is damaged"
        orphans=$(sqlite3 "$out/sweep.sqlite" 'SELECT COUNT(*) FROM runs WHERE run_id NOT IN (SELECT run_id FROM sweep_jobs)')
        [ "$orphans" = 0 ] || fail "killed sweep holds runs of no job"
        "$routelab" sweep "$scenario" "${grid[@]}" --jobs 2 --resume --out "$out" > /dev/null 2>&1 || fail "resume after kill at $delay s"
        diff <(content "$out/sweep.sqlite") "$work/straight.rows" > /dev/null || fail "resumed sweep (killed at $delay s) differs"
    fi
done

# Bad flags: exit 2, a message naming the flag, nothing written.
expect_bad() {
    local what="$1" pattern="$2"; shift 2
    set +e; "$routelab" "$@" > "$work/bad.out" 2> "$work/bad.err"; local rc=$?; set -e
    [ "$rc" = 2 ] || fail "$what: exit $rc, expected 2 ($(cat "$work/bad.err"))"
    grep -q -- "$pattern" "$work/bad.err" || fail "$what: '$pattern' not in: $(cat "$work/bad.err")"
}
expect_bad "unknown key" "--set workload.bogus=1: workload.bogus: unknown key 'bogus'" \
    sweep "$scenario" --set workload.bogus=1,2 --out "$work/nothing1"
expect_bad "bad value" "--set workload.rate_per_s=-5: workload.rate_per_s: expected a number > 0" \
    sweep "$scenario" --set workload.rate_per_s=100,-5 --out "$work/nothing2"
expect_bad "shard 3/2" "--shard 3/2: expected 1 <= I <= N" sweep "$scenario" --shard 3/2 --out "$work/nothing3"
expect_bad "shard text" "--shard x: expected I/N" sweep "$scenario" --shard x --out "$work/nothing4"
expect_bad "seeds 0" "--seeds 0" sweep "$scenario" --seeds 0 --out "$work/nothing5"
expect_bad "resume without a sweep" "--resume" sweep "$scenario" --resume --out "$work/nothing6"
expect_bad "swept twice" "swept twice" sweep "$scenario" --set workload.keys=1,2 --set workload.keys=3 --out "$work/nothing7"
expect_bad "existing sweep without --resume" "pass --resume" sweep "$scenario" "${grid[@]}" --out "$work/straight"
expect_bad "resume of another grid" "another sweep" sweep "$scenario" --set workload.duration_s=1 --seeds 2 --resume --out "$work/straight"
for n in 1 2 3 4 5 6 7; do [ ! -e "$work/nothing$n" ] || fail "a refused sweep wrote $work/nothing$n"; done
expect_bad "run --set no '='" "--set x: expected KEY=VALUE" run "$scenario" --set x --out "$work/nothing8"
expect_bad "run --set array index" "faults\[0\].at_s: the scenario has no 'faults' to index" run "$scenario" --set 'faults[0].at_s=1'
echo "sweep_test: all passed"
