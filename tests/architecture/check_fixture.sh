#!/usr/bin/env bash
# Proves forbidden_calls.sh can fail: run it on the fixture folder and expect exit 1 with
# every line marked VIOLATION listed (as file:line) and no other line listed.
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
