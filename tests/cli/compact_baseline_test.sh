#!/usr/bin/env bash
# Compact (JSON) baselines for `routelab ci` / `compare`: `ci --update-baseline
# --compact-baseline` records <name>.json; compare against it gives the same table as
# against the sweep database it came from; ci reads it without a flag, passes an
# unchanged rerun and fails a planted regression; a damaged JSON baseline exits 2 naming
# the field. Usage: compact_baseline_test.sh ROUTELAB SOURCE_DIR
set -euo pipefail
routelab="$1"
src="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p "$work/suite"
sed 's/^duration_s = 10/duration_s = 2/' "$src/scenarios/quickstart.toml" > "$work/suite/a.toml"
grep -q '^duration_s = 2' "$work/suite/a.toml" || fail "could not shorten the quickstart"

"$routelab" ci "$work/suite" --out "$work/ci" --seeds 2 --update-baseline --compact-baseline > "$work/rec.out" 2>&1 \
    || fail "ci --update-baseline --compact-baseline: $(cat "$work/rec.out")"
json="$work/suite/baselines/a.json"
[ -f "$json" ] || fail "no a.json recorded"
[ ! -e "$work/suite/baselines/a.sqlite" ] || fail "a.sqlite recorded as well"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["format"]=="routelab-case-runs" and len(d["runs"])==2, d' "$json" \
    || fail "a.json is not two runs of routelab-case-runs"
size=$(wc -c < "$json")
[ "$size" -lt 20000 ] || fail "a.json is $size bytes"

# Compare a fresh sweep against the JSON and against an equivalent SQLite baseline: same rows.
"$routelab" sweep "$work/suite/a.toml" --seeds 2 --jobs 2 --out "$work/base" > /dev/null 2>&1 || fail "sweep base"
"$routelab" sweep "$work/suite/a.toml" --seeds 2 --jobs 2 --out "$work/cand" > /dev/null 2>&1 || fail "sweep cand"
"$routelab" compare "$work/cand/sweep.sqlite" --baseline "$work/base/sweep.sqlite" > "$work/vs_sqlite.out" || fail "compare vs sqlite"
"$routelab" compare "$work/cand/sweep.sqlite" --baseline "$json" > "$work/vs_json.out" || fail "compare vs json: $(cat "$work/vs_json.out")"
diff "$work/vs_sqlite.out" "$work/vs_json.out" > "$work/diff.out" || fail "json and sqlite baselines compare differently: $(cat "$work/diff.out")"

# ci reads the JSON without a flag: unchanged passes, a slower service time fails on p99.
"$routelab" ci "$work/suite" --out "$work/ci" --seeds 2 > "$work/ci.out" 2>&1 || fail "ci unchanged: $(cat "$work/ci.out")"
sed -i 's/median = 150, sigma = 0.4/median = 600, sigma = 0.4/' "$work/suite/a.toml"
set +e; "$routelab" ci "$work/suite" --out "$work/ci" --seeds 2 > "$work/ci2.out" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || fail "ci with a regression: exit $rc, expected 1"
grep -q 'quickstart .*FAIL: p99_ms' "$work/ci2.out" || fail "regression not found: $(cat "$work/ci2.out")"
# Recording again keeps the JSON form without the flag.
"$routelab" ci "$work/suite" --out "$work/ci" --seeds 2 --update-baseline > /dev/null 2>&1 || fail "re-record"
[ ! -e "$work/suite/baselines/a.sqlite" ] || fail "re-recording switched to sqlite"

# A damaged baseline: exit 2 with the file and the field.
python3 - "$json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
del d["runs"][1]["p99_ns"]
open(sys.argv[1], "w").write(json.dumps(d))
PY
set +e; "$routelab" compare "$work/cand/sweep.sqlite" --baseline "$json" > /dev/null 2> "$work/bad.err"; rc=$?; set -e
[ "$rc" = 2 ] || fail "damaged baseline: exit $rc, expected 2"
grep -q 'a.json: runs\[1\].p99_ns: missing' "$work/bad.err" || fail "damaged baseline message: $(cat "$work/bad.err")"
printf 'not json' > "$json"
set +e; "$routelab" compare "$work/cand/sweep.sqlite" --baseline "$json" > /dev/null 2> "$work/bad.err"; rc=$?; set -e
[ "$rc" = 2 ] && grep -q 'not JSON' "$work/bad.err" || fail "non-JSON baseline: exit $rc: $(cat "$work/bad.err")"
echo "compact_baseline_test: all passed"
