#!/bin/sh
# Goal: the report is drawn from the results database alone and is reproducible. Method:
# run a short scenario twice with the same seed into two directories, copy only each
# results.sqlite into a fresh directory, run `routelab report` there, and compare the two
# pages byte for byte; check the page inlines its figures, escapes the scenario text and
# names no http(s) resource. Usage: report_from_db_test.sh ROUTELAB SOURCE_DIR
set -eu
routelab=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scenario="$work/short.toml"
# A short run whose description carries markup that must come out escaped.
sed -e 's/^duration_s = .*/duration_s = 2/' "$src/scenarios/quickstart.toml" > "$scenario"
printf '\n# <script>alert("x")</script> & more\n' >> "$scenario"
for i in 1 2; do
  (cd "$work" && "$routelab" run short.toml --seed 7 --out "run$i" -q) || { echo "FAIL: run $i"; exit 1; }
  mkdir "$work/copy$i"
  cp "$work/run$i/results.sqlite" "$work/copy$i/results.sqlite"
  (cd "$work/copy$i" && "$routelab" report results.sqlite --out report.html > /dev/null) || { echo "FAIL: report $i"; exit 1; }
done
cmp "$work/copy1/report.html" "$work/copy2/report.html" || { echo "FAIL: same seed, different reports"; exit 1; }
page="$work/copy1/report.html"
svgs=$(grep -c '<svg' "$page" || true)
[ "$svgs" -ge 2 ] || { echo "FAIL: expected >= 2 inline SVG figures, found $svgs"; exit 1; }
if grep -q '<script>alert' "$page"; then echo "FAIL: scenario text not escaped"; exit 1; fi
grep -q '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more' "$page" || { echo "FAIL: escaped scenario text missing"; exit 1; }
if grep -Eqi '(src|href)="https?:' "$page"; then echo "FAIL: the page refers to a network resource"; exit 1; fi
if grep -q 'figure not drawn' "$page"; then echo "FAIL: a figure was not drawn"; exit 1; fi
# The report of the run directory (written by `run`) matches the one from the copy.
cmp "$work/run1/report.html" "$page" || { echo "FAIL: run's report differs from the report of the copied database"; exit 1; }
# Two databases: one page, one section per run, linked from the overview.
(cd "$work" && "$routelab" report copy1/results.sqlite copy2/results.sqlite --out both.html > /dev/null)
grep -q 'href="#run-2"' "$work/both.html" && grep -q 'id="run-2"' "$work/both.html" || { echo "FAIL: no anchor for run 2"; exit 1; }
grep -q 'Latency CDFs of every run' "$work/both.html" || { echo "FAIL: no CDF comparison"; exit 1; }
both_svgs=$(grep -c '<svg' "$work/both.html" || true)
[ "$both_svgs" -eq $((2 * svgs + 1)) ] || { echo "FAIL: $both_svgs figures for two runs"; exit 1; }
if grep -q 'figure not drawn' "$work/both.html"; then echo "FAIL: a comparison figure was not drawn"; exit 1; fi
# A missing database is a clear error, exit 2.
set +e
(cd "$work" && "$routelab" report nothere.sqlite --out x.html 2> err.txt)
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q 'nothere.sqlite: no such results database' "$work/err.txt" || { echo "FAIL: missing database: rc $rc"; exit 1; }
echo "PASS"
