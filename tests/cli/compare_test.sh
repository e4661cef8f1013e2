#!/usr/bin/env bash
# `routelab compare` and `routelab ci`: an unchanged rerun passes; a planted latency
# regression (a slower service time) and a planted error-rate regression (injected
# overloaded errors) fail with the figure named; the JUnit files validate against the JUnit
# schema; bad input exits 2. Usage: compare_test.sh ROUTELAB SOURCE_DIR
set -euo pipefail
routelab="$1"
src="$2"
command -v xmllint >/dev/null || { echo "CANNOT RUN: xmllint is missing (libxml2-utils; scripts/setup.sh installs it)"; exit 1; }
xsd="$src/tests/cli/junit/junit.xsd"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
base_scenario="$src/scenarios/quickstart.toml"
short=(--set workload.duration_s=2 --seeds 3 --jobs 2)
sweep() { "$routelab" sweep "$@" > /dev/null 2>&1 || fail "sweep $*"; }

sweep "$base_scenario" "${short[@]}" --out "$work/base"
sweep "$base_scenario" "${short[@]}" --out "$work/same"
"$routelab" compare "$work/same/sweep.sqlite" --baseline "$work/base/sweep.sqlite" --junit "$work/same.xml" > "$work/same.out" \
    || fail "unchanged rerun does not pass: $(cat "$work/same.out")"
xmllint --noout --schema "$xsd" "$work/same.xml" 2> "$work/xml.err" || fail "same.xml: $(cat "$work/xml.err")"
grep -q 'failures="0"' "$work/same.xml" || fail "unchanged rerun has failures in JUnit"

# A latency regression: service four times slower.
sed 's/service_time = { kind = "lognormal", median = 150/service_time = { kind = "lognormal", median = 600/' \
    "$base_scenario" > "$work/quickstart.toml"
grep -q 'median = 600' "$work/quickstart.toml" || fail "could not plant the slow service time"
sweep "$work/quickstart.toml" "${short[@]}" --out "$work/slow"
set +e; "$routelab" compare "$work/slow/sweep.sqlite" --baseline "$work/base/sweep.sqlite" --junit "$work/slow.xml" > "$work/slow.out"; rc=$?; set -e
[ "$rc" = 1 ] || fail "slow service: exit $rc, expected 1"
grep -q 'p99_ms .*FAIL: p99_ms' "$work/slow.out" || fail "slow service: no failing p99 row: $(cat "$work/slow.out")"
xmllint --noout --schema "$xsd" "$work/slow.xml" 2> "$work/xml.err" || fail "slow.xml: $(cat "$work/xml.err")"
grep -q '<failure message="p99_ms' "$work/slow.xml" || fail "slow.xml has no p99 failure"
# The same regression passes when the allowance covers it.
"$routelab" compare "$work/slow/sweep.sqlite" --baseline "$work/base/sweep.sqlite" --relative p50_ms=10 --relative p99_ms=10 \
    --relative p999_ms=20 > /dev/null || fail "a generous allowance still fails"

# An error-rate regression: every node answers unavailable for 0.2 s of the 2 s.
cp "$base_scenario" "$work/errors.toml"
cat >> "$work/errors.toml" <<'TOML'

[[faults]]
action = "inject_error"
at_s = 0.5
duration_s = 0.2
error = "unavailable"
TOML
sweep "$work/errors.toml" "${short[@]}" --out "$work/errors"
set +e; "$routelab" compare "$work/errors/sweep.sqlite" --baseline "$work/base/sweep.sqlite" --junit "$work/errors.xml" > "$work/errors.out"; rc=$?; set -e
[ "$rc" = 1 ] || fail "injected errors: exit $rc, expected 1: $(cat "$work/errors.out")"
grep -q 'error_rate .*FAIL: error_rate' "$work/errors.out" || fail "injected errors: no failing error_rate row: $(cat "$work/errors.out")"
xmllint --noout --schema "$xsd" "$work/errors.xml" 2> "$work/xml.err" || fail "errors.xml: $(cat "$work/xml.err")"

# Bad input.
expect_bad() {
    local what="$1" pattern="$2"; shift 2
    set +e; "$routelab" "$@" > /dev/null 2> "$work/bad.err"; local rc=$?; set -e
    [ "$rc" = 2 ] || fail "$what: exit $rc, expected 2 ($(cat "$work/bad.err"))"
    grep -q -- "$pattern" "$work/bad.err" || fail "$what: '$pattern' not in: $(cat "$work/bad.err")"
}
expect_bad "missing baseline" "no such results database" compare "$work/same/sweep.sqlite" --baseline "$work/none.sqlite"
expect_bad "unknown figure" "--relative p98_ms=1: unknown figure" compare "$work/same/sweep.sqlite" \
    --baseline "$work/base/sweep.sqlite" --relative p98_ms=1
expect_bad "bad number" "--absolute p99_ms=x: expected a number" compare "$work/same/sweep.sqlite" \
    --baseline "$work/base/sweep.sqlite" --absolute p99_ms=x
printf 'noise = 1\n[figures]\np99_ms = { relative = -1 }\n' > "$work/bad_thresholds.toml"
expect_bad "bad thresholds file" "bad_thresholds.toml:3: figures.p99_ms.relative: expected a finite number >= 0" \
    compare "$work/same/sweep.sqlite" --baseline "$work/base/sweep.sqlite" --thresholds "$work/bad_thresholds.toml"

# `routelab ci`: record baselines, pass unchanged, fail on a planted regression.
mkdir -p "$work/suite"
sed 's/^duration_s = 10/duration_s = 2/' "$base_scenario" > "$work/suite/a.toml"
sed 's/^duration_s = 10/duration_s = 2/; s/^name = "quickstart"/name = "quickstart_b"/' "$base_scenario" > "$work/suite/b.toml"
expect_bad "ci without baselines" "no baseline" ci "$work/suite" --out "$work/ci" --seeds 2
"$routelab" ci "$work/suite" --out "$work/ci" --seeds 2 --update-baseline > /dev/null 2>&1 || fail "ci --update-baseline"
[ -f "$work/suite/baselines/a.sqlite" ] && [ -f "$work/suite/baselines/b.sqlite" ] || fail "baselines not recorded"
"$routelab" ci "$work/suite" --out "$work/ci" --seeds 2 --junit "$work/ci.xml" > "$work/ci.out" 2>&1 || fail "ci unchanged: $(cat "$work/ci.out")"
xmllint --noout --schema "$xsd" "$work/ci.xml" 2> "$work/xml.err" || fail "ci.xml: $(cat "$work/xml.err")"
[ "$(grep -c '<testsuite ' "$work/ci.xml")" = 2 ] || fail "ci.xml has not one suite per scenario"
sed -i 's/median = 150, sigma = 0.4/median = 600, sigma = 0.4/' "$work/suite/b.toml"
set +e; "$routelab" ci "$work/suite" --out "$work/ci" --seeds 2 --junit "$work/ci2.xml" > "$work/ci2.out" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || fail "ci with a regression: exit $rc, expected 1"
grep -q 'quickstart_b .*FAIL: p99_ms' "$work/ci2.out" || fail "ci regression not in b: $(cat "$work/ci2.out")"
grep -q 'quickstart  .*p99_ms .* pass' "$work/ci2.out" || fail "ci: a is no longer passing: $(cat "$work/ci2.out")"
xmllint --noout --schema "$xsd" "$work/ci2.xml" 2> "$work/xml.err" || fail "ci2.xml: $(cat "$work/xml.err")"
echo "compare_test: all passed"
