#!/usr/bin/env bash
# The main job: set up, build, run the quickstart scenario, write its results database
# and plots, and print where they are.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
./build/routelab run scenarios/quickstart.toml --out out/quickstart
