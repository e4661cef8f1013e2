#!/usr/bin/env bash
# The sweep's parallel speed-up: the same 16-run sweep (2 local DCs × 8 seeds of
# bench/standard.toml, 10,000 requests/s for its duration) with --jobs 1 and --jobs N (default
# the machine's cores), wall seconds of each, the ratio, and whether the two databases hold
# the same rows (wall-clock column aside). A figure, not a test.
#   bench/sweep_speedup.sh [JOBS]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
routelab=${ROUTELAB_BUILD_DIR:-$repo/build}/routelab
jobs=${1:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grid=(--set driver.policy_options.token_aware=true,false --seeds 8)
timed() {  # prints wall seconds of the command
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}
t1=$(timed "$routelab" sweep "$repo/bench/standard.toml" "${grid[@]}" --jobs 1 --out "$work/j1")
tn=$(timed "$routelab" sweep "$repo/bench/standard.toml" "${grid[@]}" --jobs "$jobs" --out "$work/jn")
rows() { sqlite3 "$1" "SELECT j.job_index, r.seed, r.trace_hash, r.requests, r.errors, r.p50_ns, r.p99_ns, r.p999_ns
                     FROM sweep_jobs j JOIN runs r USING (run_id) ORDER BY j.job_index"; }
same=no
diff <(rows "$work/j1/sweep.sqlite") <(rows "$work/jn/sweep.sqlite") > /dev/null && same=yes
printf 'sweep speed-up, %s, %s cores: 16 runs; --jobs 1: %.2f s; --jobs %s: %.2f s; speed-up %.2fx; same results: %s\n' \
    "$(date +%F)" "$(nproc)" "$t1" "$jobs" "$tn" "$(awk -v a="$t1" -v b="$tn" 'BEGIN { print a / b }')" "$same"
