#!/bin/sh
# Goal: every figure (PNG and SVG) is drawn from the results database alone, the figures
# of two runs with the same seed are byte-identical, and the driver's view is recorded
# (a DC outage: each dc1 node really down at 3 s and up at 7 s; the driver marks it down
# within milliseconds and up later). A sweep's report has its grid-point table, heat maps
# and links to its runs. Method: run scenarios/dc_outage_failover.toml twice with one seed,
# copy only each results.sqlite into a fresh directory, draw the figures there with
# `routelab report --figures`, compare; then a 2-point sweep.
# Usage: figures_from_db_test.sh ROUTELAB SOURCE_DIR
set -eu
routelab=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
for i in 1 2; do
  "$routelab" run "$src/scenarios/dc_outage_failover.toml" --seed 5 --out "$work/run$i" -q --no-plots || fail "run $i"
  mkdir "$work/copy$i"
  cp "$work/run$i/results.sqlite" "$work/copy$i/results.sqlite"
  (cd "$work/copy$i" && "$routelab" report results.sqlite --out report.html --figures figs > /dev/null) || fail "report $i"
done
for name in latency errors load-share detection node-load; do
  for ext in png svg; do
    f="run1-$name.$ext"
    [ -s "$work/copy1/figs/$f" ] || fail "figure $f not written"
    cmp "$work/copy1/figs/$f" "$work/copy2/figs/$f" || fail "same seed, different $f"
  done
done
head -c 4 "$work/copy1/figs/run1-load-share.png" | grep -q PNG || fail "run1-load-share.png is not a PNG"
grep -q '<svg' "$work/copy1/figs/run1-load-share.svg" || fail "run1-load-share.svg is not an SVG"
db="$work/copy1/results.sqlite"
q() { sqlite3 "$db" "$1"; }
[ "$(q "SELECT count(*) FROM node_transitions WHERE node LIKE 'dc1-%' AND state = 'down' AND time_s = 3")" -eq 3 ] ||
  fail "expected three dc1 nodes really down at 3 s"
[ "$(q "SELECT count(*) FROM node_transitions WHERE node LIKE 'dc2-%'")" -eq 0 ] || fail "dc2 nodes never changed"
[ "$(q "SELECT count(DISTINCT node) FROM driver_node_marks WHERE state = 'down' AND truth_s = 3 AND detection_delay_s BETWEEN 0 AND 0.05")" -eq 3 ] ||
  fail "the driver should mark each dc1 node down within 50 ms"
[ "$(q "SELECT count(DISTINCT node) FROM driver_node_marks WHERE state = 'up' AND truth_s = 7 AND detection_delay_s > 0")" -eq 3 ] ||
  fail "the driver should mark each dc1 node up after it came back"
[ "$(q "SELECT count(*) FROM driver_node_marks WHERE truth_s IS NOT NULL AND abs(detection_delay_s - (time_s - truth_s)) > 1e-9")" -eq 0 ] ||
  fail "detection_delay_s is not time_s - truth_s"
# Per node and per client windows add up to the whole windows.
[ "$(q "SELECT count(*) FROM windows w WHERE w.requests != (SELECT sum(requests) FROM window_client_load c WHERE c.run_id = w.run_id AND c.start_s = w.start_s)")" -eq 0 ] ||
  fail "window_client_load does not add up to windows.requests"
[ "$(q "SELECT count(*) FROM window_node_latency WHERE node LIKE 'dc1-%' AND start_s >= 3.5 AND start_s < 7")" -eq 0 ] ||
  fail "dc1 nodes answered while they were down"
grep -q "Driver's view" "$work/copy1/report.html" || fail "no driver's view table in the report"
if grep -q 'figure not drawn' "$work/copy1/report.html"; then fail "a figure was not drawn"; fi

# A sweep: its report has a table per grid point, heat maps, links to the runs.
scenario="$work/short.toml"
sed -e 's/^duration_s = .*/duration_s = 1/' "$src/scenarios/quickstart.toml" > "$scenario"
"$routelab" sweep "$scenario" --set workload.rate_per_s=500,1000 --jobs 1 --out "$work/sweep" > /dev/null 2>&1 || fail "sweep"
mkdir "$work/sweepcopy"
cp "$work/sweep/sweep.sqlite" "$work/sweepcopy/"
(cd "$work/sweepcopy" && "$routelab" report sweep.sqlite --out report.html --figures figs > /dev/null) || fail "sweep report"
page="$work/sweepcopy/report.html"
grep -q 'id="sweep-1"' "$page" || fail "no sweep section"
grep -q '<th>workload.rate_per_s</th>' "$page" || fail "no knob column in the sweep table"
grep -q 'Heat map of the p99 latency' "$page" || fail "no heat map"
grep -q 'href="#run-2"' "$page" || fail "no link from the sweep table to run 2"
if grep -q 'figure not drawn' "$page"; then fail "a sweep figure was not drawn"; fi
for f in sweep1-heatmap-p99.png sweep1-heatmap-p99.svg sweep1-heatmap-errors.png; do
  [ -s "$work/sweepcopy/figs/$f" ] || fail "$f not written"
done
echo "PASS"
