#!/bin/sh
# Goal: `routelab` maps bad command lines and bad scenarios to exit 2 with a useful message
# on stderr, and --help to exit 0. Method: run the binary, check exit code and output.
# Usage: cli_test.sh ROUTELAB_BINARY SOURCE_DIR CASE
set -u
bin=$1
src=$2
case_name=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/routelab-cli-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL ($case_name): $*"; echo "--- stdout"; cat "$tmp/out"; echo "--- stderr"; cat "$tmp/err"; exit 1; }
run() { "$bin" "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
expect_rc() { [ "$(cat "$tmp/rc")" = "$1" ] || fail "exit code $(cat "$tmp/rc"), expected $1"; }
expect_err() { grep -qF -- "$1" "$tmp/err" || fail "stderr lacks: $1"; }
expect_out() { grep -qF -- "$1" "$tmp/out" || fail "stdout lacks: $1"; }

case $case_name in
  bad_flag)
    run run --no-such-flag "$src/scenarios/quickstart.toml"
    expect_rc 2; expect_err "--no-such-flag"; expect_err "Usage:"
    run run --seed -5 "$src/scenarios/quickstart.toml"
    expect_rc 2; expect_err "Usage:"
    run run
    expect_rc 2; expect_err "SCENARIO"; expect_err "Usage:"
    run
    expect_rc 2; expect_err "Usage:"
    run frobnicate
    expect_rc 2; expect_err "Usage:"
    ;;
  bad_scenario)
    run run --out "$tmp/o" "$src/tests/scenario/bad/negative_rate.toml"
    expect_rc 2
    expect_err "$src/tests/scenario/bad/negative_rate.toml:11: workload.rate_per_s: expected a number > 0, got -5"
    [ ! -e "$tmp/o" ] || fail "output directory created for a bad scenario"
    run run --out "$tmp/o" "$src/tests/scenario/bad/syntax_error.toml"
    expect_rc 2; expect_err "syntax_error.toml:4: TOML syntax error"
    run run --out "$tmp/o" "$tmp/missing.toml"
    expect_rc 2; expect_err "missing.toml: cannot open the file"
    ;;
  help)
    run --help
    expect_rc 0; expect_out "Usage:"; expect_out "run"
    run run --help
    expect_rc 0; expect_out "--seed"; expect_out "--out"; expect_out "--quiet"
    ;;
  quickstart)
    run run --seed 3 --out "$tmp/q" "$src/scenarios/quickstart.toml"
    expect_rc 0
    for f in results.sqlite latency.png node_load.png; do
      [ -s "$tmp/q/$f" ] || fail "missing or empty $f"
    done
    expect_out "seed:                3"; expect_out "trace hash:"; expect_out "verdict:             pass"
    ;;
  *) echo "unknown case $case_name"; exit 1 ;;
esac
echo "ok ($case_name)"
