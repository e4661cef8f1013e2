#!/usr/bin/env bash
# Proves forbidden_calls.sh can fail: run it on the fixture folder and expect exit 1 with
# every line marked VIOLATION listed (as file:line) and no other line listed. Then run it in
# tree mode on a scratch copy laid out like the source tree, to check which folders and file
# kinds it scans and that sim/live/ is exempt.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fixture="$here/fixtures/bad"
status=0
output=$("$here/forbidden_calls.sh" --dir "$fixture") || status=$?
echo "$output"
if [[ $status -ne 1 ]]; then
    echo "FAIL: expected exit status 1 on the fixture, got $status" >&2
    exit 1
fi
expected=$(grep -n 'VIOLATION' "$fixture/forbidden.cpp" | grep -v '^[0-9]*://' | cut -d: -f1 | sort -n)
listed=$(echo "$output" | grep -E '^forbidden\.cpp:[0-9]+:' | cut -d: -f2 | sort -n)
if [[ "$expected" != "$listed" ]]; then
    echo "FAIL: listed lines differ from the VIOLATION lines" >&2
    diff <(echo "$expected") <(echo "$listed") >&2 || true
    exit 1
fi
echo "PASS: all $(echo "$expected" | wc -l) forbidden lines reported, nothing else"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch"/sim/core "$scratch"/sim/live "$scratch"/driver/x "$scratch"/mock_cluster "$scratch"/tools
echo 'auto t = std::chrono::steady_clock::now();' > "$scratch"/sim/core/a.cpp
echo 'std::random_device d;' > "$scratch"/driver/x/b.hpp
echo 'int r = rand();' > "$scratch"/mock_cluster/c.h
echo 'auto t = std::chrono::steady_clock::now();' > "$scratch"/sim/live/allowed.hpp  # exempt folder
echo 'std::thread t;' > "$scratch"/sim/core/notes.txt                              # not a source
echo 'std::thread t;' > "$scratch"/tools/d.cpp                                      # not scanned
status=0
output=$(ROUTELAB_SOURCE_DIR="$scratch" "$here/forbidden_calls.sh") || status=$?
echo "$output"
listed=$(echo "$output" | grep -E '^[a-z_/]+\.(cpp|hpp|h):[0-9]+:' | cut -d: -f1 | sort | tr '\n' ' ')
if [[ $status -ne 1 || "$listed" != "driver/x/b.hpp mock_cluster/c.h sim/core/a.cpp " ]]; then
    echo "FAIL: tree mode: status $status, listed '$listed'" >&2
    exit 1
fi
# A clean tree passes, and a missing source directory is an error (exit 2), not a pass.
rm "$scratch"/sim/core/a.cpp "$scratch"/driver/x/b.hpp "$scratch"/mock_cluster/c.h
echo 'int x;' > "$scratch"/sim/core/a.cpp
ROUTELAB_SOURCE_DIR="$scratch" "$here/forbidden_calls.sh" >/dev/null || { echo "FAIL: clean tree rejected" >&2; exit 1; }
status=0
ROUTELAB_SOURCE_DIR="$scratch/nowhere" "$here/forbidden_calls.sh" >/dev/null 2>&1 || status=$?
if [[ $status -ne 2 ]]; then
    echo "FAIL: missing directory gave status $status, expected 2" >&2
    exit 1
fi
echo "PASS: tree mode scans sim/, driver/, mock_cluster/ sources only, exempts sim/live/"
