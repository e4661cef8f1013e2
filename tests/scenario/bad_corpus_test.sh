#!/bin/sh
# Goal: the scenario parser refuses every kind of bad input with exit 2 and the
# `file:line: field: message` it should, and never dies of a signal or hangs. Method: run
# `routelab run` and `routelab explain` on each file under tests/scenario/bad/, whose first
# line says what to expect ("# expect: file:LINE: FIELD: MESSAGE", `file` standing for the
# file's path; the message may be a leading part); then on inputs too big to keep in the
# tree (a file past the 1 MiB limit) and on bad --set values.
# Usage: bad_corpus_test.sh ROUTELAB_BINARY SOURCE_DIR
set -u
bin=$1
src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/routelab-bad-corpus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0

# check NAME WANT ARGS...: exit 2 (not a signal, not a hang) and WANT on stderr.
check() {
  name=$1
  want=$2
  shift 2
  timeout 60 "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ "$rc" -ge 124 ]; then
    echo "FAIL: $name: exit $rc (signal or hang; 124 is the 60 s timeout)"
    failures=$((failures + 1))
  elif [ "$rc" != 2 ]; then
    echo "FAIL: $name: exit $rc, expected 2"
    failures=$((failures + 1))
  elif ! grep -qF -- "$want" "$tmp/err"; then
    echo "FAIL: $name: stderr lacks: $want"
    sed 's/^/  stderr: /' "$tmp/err" | head -n 3
    failures=$((failures + 1))
  fi
}

count=0
for f in "$src"/tests/scenario/bad/*.toml; do
  first=$(head -n 1 "$f")
  case $first in
    "# expect: file:"* | "# expect: file: "*) ;;
    *) echo "FAIL: $f: the first line is not '# expect: file:LINE: ...'"; failures=$((failures + 1)); continue ;;
  esac
  want="$f${first#\# expect: file}"
  check "run $f" "$want" run --out "$tmp/o" "$f"
  [ ! -e "$tmp/o" ] || { echo "FAIL: $f: output directory created"; failures=$((failures + 1)); rm -rf "$tmp/o"; }
  check "explain $f" "$want" explain --keyspace routelab --table kv --key 1 "$f"
  count=$((count + 1))
done

# A file one byte past 1 MiB (a valid scenario, then comment lines): refused at the line
# that holds its 1048577th byte. Exactly 1 MiB is still read (a comment may end the file).
big="$tmp/big.toml"
{ cat "$src/scenarios/quickstart.toml"; i=0; while [ $i -lt 17000 ]; do echo "# $(printf '%061d' 0)"; i=$((i + 1)); done; } >"$big"
truncate -s 1048577 "$big"
line=$(($(head -c 1048576 "$big" | wc -l) + 1))
check "run big.toml" "$big:$line: the file passes the limit of 1 MiB (1048576 bytes) on this line" run --out "$tmp/o" "$big"
truncate -s 1048576 "$big"
timeout 60 "$bin" explain --keyspace routelab --table kv --key 1 "$big" >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] || { echo "FAIL: a file of exactly 1 MiB is refused:"; head -n 3 "$tmp/err"; failures=$((failures + 1)); }

# --set values: beyond int64, nested too deep, a float for an integer.
q="$src/scenarios/quickstart.toml"
check "--set seed beyond int64" "--set scenario.seed=99999999999999999999: scenario.seed: the integer 99999999999999999999 is outside the 64-bit range" \
  run --out "$tmp/o" --set scenario.seed=99999999999999999999 "$q"
deep=$(printf '%040d' 0 | tr 0 '[')
check "--set nested too deep" "scenario.seed: arrays and inline tables nested more than 32 deep (the limit)" \
  run --out "$tmp/o" --set "scenario.seed=$deep" "$q"
check "--set float for an integer" "topology.shards: expected an integer in [1, 1024], got 2.5" \
  run --out "$tmp/o" --set topology.shards=2.5 "$q"

[ "$count" -ge 100 ] || { echo "FAIL: only $count bad files found"; failures=$((failures + 1)); }
[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "ok ($count bad files, each through run and explain; size limit; --set values)"
