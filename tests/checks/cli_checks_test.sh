#!/bin/sh
# Goal: a run whose check fails exits 1 with one line on stderr saying what broke, its
# value, its limit and where it first broke; the summary lists every check; a passing
# run exits 0; a bad [[checks]] entry exits 2 with file:line: field: message and writes
# nothing. Method: run the binary on the DC-outage scenarios and a bad file.
# Usage: cli_checks_test.sh ROUTELAB_BINARY SOURCE_DIR
set -u
bin=$1
src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/routelab-cli-checks.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$tmp/out"; echo "--- stderr"; cat "$tmp/err"; exit 1; }
run() { "$bin" "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
expect_rc() { [ "$(cat "$tmp/rc")" = "$1" ] || fail "exit code $(cat "$tmp/rc"), expected $1"; }
expect_err() { grep -qF -- "$1" "$tmp/err" || fail "stderr lacks: $1"; }
expect_out() { grep -qF -- "$1" "$tmp/out" || fail "stdout lacks: $1"; }

# Without DC failover the outage fails max_error_rate: exit 1, one line of reason.
run run --out "$tmp/no" "$src/scenarios/dc_outage_no_failover.toml"
expect_rc 1
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "expected exactly one line on stderr"
expect_err "routelab: run failed: fail: max_error_rate [errors]: error rate "
expect_err ", limit <= 1% (first broke at 3.0"
expect_err ", request "
expect_err ", node dc1-"
expect_out "check:               FAIL max_error_rate [errors]: "
expect_out "check:               pass max_error_rate [before-outage] during [0, 2.9) s: "
expect_out "check:               pass plans_valid: "
expect_out "check:               pass no_request_lost: "
[ "$(sqlite3 "$tmp/no/results.sqlite" "SELECT verdict FROM checks WHERE label = 'errors'")" = fail ] || fail "checks table: errors not failed"
[ "$(sqlite3 "$tmp/no/results.sqlite" "SELECT count(*) FROM checks WHERE verdict = 'pass'")" = 5 ] || fail "checks table: expected 5 passes"
sqlite3 "$tmp/no/results.sqlite" "SELECT first_at_s, first_node FROM checks WHERE label = 'errors'" | grep -q '^3\.0[0-9]*|dc1-' ||
  fail "checks table: first breach not at 3 s on a dc1 node"
[ "$(sqlite3 "$tmp/no/results.sqlite" "SELECT count(*) FROM window_errors WHERE kind = 'no_host' AND start_s >= 3 AND start_s < 7.5")" -ge 8 ] ||
  fail "window_errors: expected no_host errors in every window of the outage"

# With failover the same outage passes.
run run --out "$tmp/yes" "$src/scenarios/dc_outage_failover.toml"
expect_rc 0
expect_out "verdict:             pass"
expect_out "check:               pass max_error_rate [errors]: "

# A bad check is bad input.
run run --out "$tmp/bad" "$src/tests/checks/bad_limit.toml"
expect_rc 2
expect_err "$src/tests/checks/bad_limit.toml:14: checks[0].limit: expected a number in [0, 1], got 5"
[ ! -e "$tmp/bad" ] || fail "output directory created for a bad scenario"
echo "cli checks: ok"
