#!/usr/bin/env bash
# The main job: set up and build, then run an incident from the scenario library, a whole
# datacenter going down (scenarios/dc_outage_failover.toml: dc1 down from 3 s to 7 s), under
# four driver configurations side by side (DC failover off/on x token awareness on/off) as
# one sweep, and write its report (every run, their figures, the heat maps) and the
# figures as PNG and SVG files. Ends by printing the report's path.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
out=out/dc-outage
rm -rf "$out"   # a fresh sweep (a sweep directory refuses to be rerun unless resumed)
./build/routelab sweep scenarios/dc_outage_failover.toml \
  --set driver.policy_options.permit_dc_failover=false,true \
  --set driver.policy_options.token_aware=true,false \
  --first-seed 5 --jobs 2 --out "$out"
./build/routelab report "$out/sweep.sqlite" --out "$out/report.html" --figures "$out/figures"
echo "report: $PWD/$out/report.html"
