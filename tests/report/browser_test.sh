#!/bin/sh
# Goal: the report renders in a real browser from file:// without touching the network.
# Method: headless Chromium with every host name mapped to nothing opens the report of a
# short run and of a two-point sweep of the DC outage, dumps the DOM (every figure must be
# an <svg> there) and saves screenshots next to the test's work directory. Chromium missing is a failure, not a skip.
# Usage: browser_test.sh ROUTELAB SOURCE_DIR OUT_DIR
set -eu
routelab=$1
src=$2
out=$3
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "CANNOT RUN: chromium missing (Debian: apt-get install chromium)"; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e 's/^duration_s = .*/duration_s = 2/' "$src/scenarios/quickstart.toml" > "$work/short.toml"
"$routelab" run "$work/short.toml" --seed 3 --out "$work/run" -q
page="$work/run/report.html"
if grep -Eqi '(src|href)="https?:' "$page"; then echo "FAIL: the page refers to a network resource"; exit 1; fi
run_browser() {
  timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
    --user-data-dir="$work/profile" --host-resolver-rules="MAP * ~NOTFOUND" "$@"
}
run_browser --dump-dom "file://$page" > "$work/dom.html" 2> "$work/chromium.log" || { echo "FAIL: chromium --dump-dom"; tail -5 "$work/chromium.log"; exit 1; }
expected=$(grep -o '<svg' "$page" | wc -l)
found=$(grep -o '<svg' "$work/dom.html" | wc -l)
[ "$expected" -ge 2 ] && [ "$found" -eq "$expected" ] || { echo "FAIL: $found <svg> in the DOM, $expected in the page"; exit 1; }
grep -q 'id="run-1"' "$work/dom.html" || { echo "FAIL: run section missing from the DOM"; exit 1; }
rm -f "$out/report.png"
run_browser --window-size=1200,2400 --screenshot="$out/report.png" "file://$page" > /dev/null 2>> "$work/chromium.log" || true
[ -s "$out/report.png" ] || { echo "FAIL: no screenshot"; tail -5 "$work/chromium.log"; exit 1; }
# A sweep's report (the main job's incident under two driver configurations): its heat
# maps, the driver's view figures and every other figure load too.
"$routelab" sweep "$src/scenarios/dc_outage_failover.toml" --set driver.policy_options.permit_dc_failover=false,true \
  --first-seed 5 --jobs 1 --out "$work/sweep" > /dev/null 2>&1 || { echo "FAIL: sweep"; exit 1; }
sweep_page="$work/sweep/report.html"
"$routelab" report "$work/sweep/sweep.sqlite" --out "$sweep_page" > /dev/null || { echo "FAIL: sweep report"; exit 1; }
run_browser --dump-dom "file://$sweep_page" > "$work/sweep-dom.html" 2>> "$work/chromium.log" || { echo "FAIL: chromium --dump-dom (sweep)"; exit 1; }
expected=$(grep -o '<svg' "$sweep_page" | wc -l)
found=$(grep -o '<svg' "$work/sweep-dom.html" | wc -l)
# Per run: latency, errors, load share, detection, node load; the CDFs; two heat maps.
[ "$expected" -eq 13 ] && [ "$found" -eq "$expected" ] || { echo "FAIL: sweep page: $found <svg> in the DOM, $expected in the page"; exit 1; }
grep -q 'id="sweep-1"' "$work/sweep-dom.html" || { echo "FAIL: sweep section missing from the DOM"; exit 1; }
rm -f "$out/report-sweep.png"
run_browser --window-size=1200,3000 --screenshot="$out/report-sweep.png" "file://$sweep_page" > /dev/null 2>> "$work/chromium.log" || true
[ -s "$out/report-sweep.png" ] || { echo "FAIL: no screenshot of the sweep page"; exit 1; }
echo "PASS (screenshots: $out/report.png, $out/report-sweep.png)"
