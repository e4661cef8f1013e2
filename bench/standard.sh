#!/usr/bin/env bash
# The standard performance report: per-request figures for bench/standard.toml and
# scenarios/quickstart.toml, next to the reference loop ("floor", kept outside the
# repository) measured in the same sitting, with the ratio. Figures, not a test.
#
#   bench/standard.sh [--json FILE] [SCENARIO...]
#
# Per request (each from two runs of different durations, the difference divided by the
# difference in requests, so set-up, schema creation and output cancel out):
#   instructions     valgrind --tool=callgrind, whole process
#   allocations      bench/alloc_count.c (an LD_PRELOAD malloc counter the script builds)
#   bytes            bytes asked for by those allocations
#   events           scheduler events run (the summary's "scheduler events")
# Per run, at the scenario's own duration, median of RUNS runs:
#   requests/wall s  the summary's "sim requests/wall s" (the whole run_scenario call)
#   peak RSS         /usr/bin/time -v's maximum resident set size
#
# Environment: ROUTELAB_BUILD_DIR (default <repo>/build, must hold a built `routelab`),
# ROUTELAB_FLOOR_DIR (the directory holding floor.cpp; default: the first of
# <repo>/../shared/floor and <main checkout>/../shared/floor that exists), RUNS (5),
# SHORT_S / LONG_S (the two simulated durations for the difference runs, default 1 and 3),
# FLOOR_SHORT / FLOOR_LONG (its request counts, 100000 and 300000), FLOOR_ARGS (extra
# flags for the floor, default none: its own 100k req/s, 10,000 keys, 100 us hops).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${ROUTELAB_BUILD_DIR:-$repo/build}
runs=${RUNS:-5}
short_s=${SHORT_S:-1}
long_s=${LONG_S:-3}
floor_short=${FLOOR_SHORT:-100000}
floor_long=${FLOOR_LONG:-300000}
read -r -a floor_args <<<"${FLOOR_ARGS:-}"

json_out=""
scenarios=()
while [ $# -gt 0 ]; do
    case $1 in
    --json) json_out=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) scenarios+=("$1"); shift ;;
    esac
done
[ ${#scenarios[@]} -gt 0 ] || scenarios=("$repo/bench/standard.toml" "$repo/scenarios/quickstart.toml")

die() { echo "standard.sh: $*" >&2; exit 1; }
[ -x "$build/routelab" ] || die "no routelab in $build (build it, or set ROUTELAB_BUILD_DIR)"
command -v valgrind >/dev/null || die "valgrind not found"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian package: time)"

find_floor() {
    if [ -n "${ROUTELAB_FLOOR_DIR:-}" ]; then echo "$ROUTELAB_FLOOR_DIR"; return; fi
    local candidates=("$repo/../shared/floor")
    local common
    if common=$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir 2>/dev/null); then
        candidates+=("$(dirname "$common")/../shared/floor")
    fi
    for c in "${candidates[@]}"; do
        if [ -f "$c/floor.cpp" ]; then (cd "$c" && pwd); return; fi
    done
}
floor_dir=$(find_floor)
[ -n "$floor_dir" ] && [ -f "$floor_dir/floor.cpp" ] || die "floor.cpp not found: set ROUTELAB_FLOOR_DIR"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The floor is built exactly as its own build.sh builds it, but into the temporary directory.
g++ -O2 -std=c++20 -Wall -Wextra "$floor_dir/floor.cpp" -o "$tmp/floor"
cc -O2 -shared -fPIC "$repo/bench/alloc_count.c" -o "$tmp/alloc_count.so"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { awk -v key="$1" 'index($0, key ":") == 1 { sub(/^[^:]*:[ \t]*/, ""); print $1; exit }' "$2"; }
callgrind_total() { awk '/^(summary|totals):/ { print $2; exit }' "$1"; }
per() { awk -v a="$1" -v b="$2" -v n1="$3" -v n2="$4" 'BEGIN { printf "%.1f", (b - a) / (n2 - n1) }'; }

# A copy of the scenario with [workload].duration_s set to $2 simulated seconds.
with_duration() {
    local out="$tmp/$(basename "$1" .toml)-$2s.toml"
    awk -v d="$2" '
        /^[ \t]*\[/ { in_workload = ($0 ~ /^[ \t]*\[workload\][ \t]*(#.*)?$/) }
        in_workload && /^[ \t]*duration_s[ \t]*=/ { print "duration_s = " d; set = 1; next }
        { print }
        END { if (!set) exit 3 }' "$1" >"$out" || die "$1: no duration_s in [workload]"
    echo "$out"
}

# One routelab run; prints its summary into $2. Extra leading words ($3...) wrap the command.
routelab_run() {
    local scenario=$1 summary=$2
    shift 2
    "$@" "$build/routelab" run "$scenario" --out "$tmp/out" >"$summary" 2>"$summary.err" ||
        die "routelab run $scenario failed: $(tail -n 3 "$summary.err")"
}

declare -A fig
measure_routelab() {
    local key=$1 scenario=$2
    local s l
    s=$(with_duration "$scenario" "$short_s")
    l=$(with_duration "$scenario" "$long_s")
    local ins=() req=() allocs=() bytes=() events=()
    for f in "$s" "$l"; do
        routelab_run "$f" "$tmp/cg.txt" valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out"
        ins+=("$(callgrind_total "$tmp/cg.out")")
        routelab_run "$f" "$tmp/ac.txt" env ALLOC_COUNT_OUT="$tmp/ac.count" LD_PRELOAD="$tmp/alloc_count.so"
        req+=("$(field requests "$tmp/ac.txt")")
        events+=("$(field "scheduler events" "$tmp/ac.txt")")
        allocs+=("$(awk '$1 == "allocations" { print $2 }' "$tmp/ac.count")")
        bytes+=("$(awk '$1 == "bytes" { print $2 }' "$tmp/ac.count")")
    done
    fig[$key.instructions]=$(per "${ins[0]}" "${ins[1]}" "${req[0]}" "${req[1]}")
    fig[$key.allocations]=$(per "${allocs[0]}" "${allocs[1]}" "${req[0]}" "${req[1]}")
    fig[$key.bytes]=$(per "${bytes[0]}" "${bytes[1]}" "${req[0]}" "${req[1]}")
    fig[$key.events]=$(per "${events[0]}" "${events[1]}" "${req[0]}" "${req[1]}")
    local rates=() rss=()
    for _ in $(seq "$runs"); do
        routelab_run "$scenario" "$tmp/wall.txt" /usr/bin/time -v -o "$tmp/time.txt"
        rates+=("$(field "sim requests/wall s" "$tmp/wall.txt")")
        rss+=("$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$tmp/time.txt")")
        fig[$key.hash]=$(field "trace hash" "$tmp/wall.txt")
        fig[$key.requests]=$(field requests "$tmp/wall.txt")
    done
    fig[$key.rate]=$(printf '%s\n' "${rates[@]}" | median)
    fig[$key.rss_kib]=$(printf '%s\n' "${rss[@]}" | median)
}

measure_floor() {
    local ins=() allocs=() bytes=() events=() req=()
    for n in "$floor_short" "$floor_long"; do
        valgrind --tool=callgrind --callgrind-out-file="$tmp/fcg.out" "$tmp/floor" --requests="$n" "${floor_args[@]}" >"$tmp/f.txt" 2>/dev/null
        ins+=("$(callgrind_total "$tmp/fcg.out")")
        ALLOC_COUNT_OUT="$tmp/fac.count" LD_PRELOAD="$tmp/alloc_count.so" "$tmp/floor" --requests="$n" "${floor_args[@]}" >"$tmp/f.txt"
        req+=("$(awk '/^requests simulated/ { print $3 }' "$tmp/f.txt")")
        events+=("$(awk '/^events processed/ { print $3 }' "$tmp/f.txt")")
        allocs+=("$(awk '$1 == "allocations" { print $2 }' "$tmp/fac.count")")
        bytes+=("$(awk '$1 == "bytes" { print $2 }' "$tmp/fac.count")")
    done
    fig[floor.instructions]=$(per "${ins[0]}" "${ins[1]}" "${req[0]}" "${req[1]}")
    fig[floor.allocations]=$(per "${allocs[0]}" "${allocs[1]}" "${req[0]}" "${req[1]}")
    fig[floor.bytes]=$(per "${bytes[0]}" "${bytes[1]}" "${req[0]}" "${req[1]}")
    fig[floor.events]=$(per "${events[0]}" "${events[1]}" "${req[0]}" "${req[1]}")
    local rates=() rss=()
    for _ in $(seq "$runs"); do
        /usr/bin/time -v -o "$tmp/ftime.txt" "$tmp/floor" "${floor_args[@]}" >"$tmp/f.txt"
        rates+=("$(awk '/^requests per wall s/ { print $5 }' "$tmp/f.txt")")
        rss+=("$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$tmp/ftime.txt")")
        fig[floor.hash]=$(awk '/^trace hash/ { print $3 }' "$tmp/f.txt")
        fig[floor.requests]=$(awk '/^requests simulated/ { print $3 }' "$tmp/f.txt")
    done
    fig[floor.rate]=$(printf '%s\n' "${rates[@]}" | median)
    fig[floor.rss_kib]=$(printf '%s\n' "${rss[@]}" | median)
}

keys=()
for sc in "${scenarios[@]}"; do
    [ -f "$sc" ] || die "$sc: no such scenario"
    key=$(basename "$sc" .toml)
    keys+=("$key")
    echo "measuring $key ..." >&2
    measure_routelab "$key" "$sc"
done
echo "measuring the floor ($floor_dir) ..." >&2
measure_floor

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2fx", a / b }'; }
rows=(instructions allocations bytes events rate rss_kib)
declare -A label=([instructions]="instructions / request (callgrind)" [allocations]="heap allocations / request"
    [bytes]="heap bytes / request" [events]="events / request" [rate]="simulated requests / wall s (median)"
    [rss_kib]="peak RSS, KiB (median)")

echo
echo "routelab performance report, $(date -u +%Y-%m-%d), $(nproc) cores, $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
{
    printf '%s' "figure"
    for k in "${keys[@]}"; do printf '\t%s' "$k"; done
    printf '\t%s' "floor"
    for k in "${keys[@]}"; do printf '\t%s' "$k/floor"; done
    printf '\n'
    for r in "${rows[@]}"; do
        printf '%s' "${label[$r]}"
        for k in "${keys[@]}"; do printf '\t%s' "${fig[$k.$r]}"; done
        printf '\t%s' "${fig[floor.$r]}"
        for k in "${keys[@]}"; do printf '\t%s' "$(ratio "${fig[$k.$r]}" "${fig[floor.$r]}")"; done
        printf '\n'
    done
} | column -t -s $'\t'
echo
for k in "${keys[@]}" floor; do echo "$k: ${fig[$k.requests]} requests per wall-clock run, trace hash ${fig[$k.hash]}"; done
echo "per-request figures: runs of ${short_s} s and ${long_s} s simulated (floor: $floor_short and $floor_long requests), difference / difference in requests"

if [ -n "$json_out" ]; then
    {
        printf '{"date": "%s", "cores": %s, "commit": "%s", "results": {' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" \
            "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
        sep=""
        for k in "${keys[@]}" floor; do
            printf '%s"%s": {' "$sep" "$k"
            s2=""
            for r in "${rows[@]}"; do printf '%s"%s": %s' "$s2" "$r" "${fig[$k.$r]}"; s2=", "; done
            printf ', "trace_hash": "%s"}' "${fig[$k.hash]}"
            sep=", "
        done
        printf '}}\n'
    } >"$json_out"
    echo "JSON written to $json_out"
fi
