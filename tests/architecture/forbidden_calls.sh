#!/usr/bin/env bash
# Architecture check (STYLE §10.1): simulated code takes time and randomness only from the
# injected Scheduler and Rng. Greps the sources of sim/, driver/ and mock_cluster/ (except
# sim/live/, the one place allowed a real clock) for wall clocks, sleeps, threads, the
# standard library's random engines and distributions, and C rand/time/clock. Prints every
# violation as file:line: text and exits 1 if there is any.
#
# Usage: forbidden_calls.sh [SOURCE_DIR]        scan SOURCE_DIR/{sim,driver,mock_cluster}
#        forbidden_calls.sh --dir DIR           scan every source under DIR (used to prove
#                                               the check fails on a fixture)
# SOURCE_DIR defaults to $ROUTELAB_SOURCE_DIR (set by the CMake test helpers).
set -euo pipefail

mode=tree
if [[ "${1:-}" == "--dir" ]]; then
    mode=dir
    root="${2:?--dir needs a folder}"
else
    root="${1:-${ROUTELAB_SOURCE_DIR:-}}"
fi
root="${root%/}"
if [[ -z "$root" || ! -d "$root" ]]; then
    echo "forbidden_calls: no source directory (pass one or set ROUTELAB_SOURCE_DIR)" >&2
    exit 2
fi

# One extended regular expression per forbidden construct.
patterns=(
    # Clocks, with or without std::chrono:: (a using-declaration hides the prefix), and
    # any chrono ...::now( call.
    '(^|[^A-Za-z0-9_])(system|steady|high_resolution|file|utc|tai|gps)_clock'
    'chrono::[A-Za-z0-9_:]*::now[[:space:]]*\('
    'gettimeofday'
    'clock_gettime'
    '(^|[^A-Za-z0-9_:.>])(std::)?clock[[:space:]]*\([[:space:]]*\)'
    'std::random_device'
    'std::(mt19937(_64)?|minstd_rand0?|default_random_engine|ranlux(24|48)(_base)?|knuth_b)'
    'random_shuffle'
    '(^|[^A-Za-z0-9_:.>])s?rand[[:space:]]*\('
    'std::s?rand[[:space:]]*\('
    '(^|[^A-Za-z0-9_])::s?rand[[:space:]]*\('
    '(^|[^A-Za-z0-9_.>])time[[:space:]]*\([[:space:]]*(NULL|nullptr|0)[[:space:]]*\)'
    'std::this_thread'
    '(^|[^A-Za-z0-9_])u?sleep[[:space:]]*\('
    'nanosleep'
    'std::thread'
    'std::jthread'
    'pthread_create'
    'std::async'
    '#[[:space:]]*include[[:space:]]*<thread>'
    '#[[:space:]]*include[[:space:]]*<random>'
    'std::[a-z_]*_distribution'
)

if [[ "$mode" == tree ]]; then
    dirs=()
    for d in sim driver mock_cluster; do
        [[ -d "$root/$d" ]] && dirs+=("$root/$d")
    done
    if [[ ${#dirs[@]} -eq 0 ]]; then
        echo "forbidden_calls: $root has none of sim/, driver/, mock_cluster/" >&2
        exit 2
    fi
else
    dirs=("$root")
fi

files=()
while IFS= read -r -d '' f; do files+=("$f"); done < <(
    find "${dirs[@]}" -path "$root/sim/live" -prune -o -type f \( -name '*.hpp' -o -name '*.cpp' -o -name '*.h' \) -print0 | sort -z)
if [[ ${#files[@]} -eq 0 ]]; then
    echo "forbidden_calls: no sources found under ${dirs[*]}" >&2
    exit 2
fi

regex=$(IFS='|'; echo "${patterns[*]}")
# -H file name, -n line number, -E extended; grep exits 1 when nothing matched.
violations=$(grep -HnE -- "$regex" "${files[@]}" || true)

if [[ -n "$violations" ]]; then
    echo "forbidden calls (time and randomness must come from the injected Scheduler/Rng; see STYLE §10.1):"
    # Paths relative to the scanned root keep the list short.
    echo "$violations" | sed "s|^$root/||"
    echo "$(echo "$violations" | wc -l) violation(s) in ${#files[@]} file(s) scanned"
    exit 1
fi
echo "forbidden_calls: ${#files[@]} files clean"
