#!/usr/bin/env bash
# Set up, build and run the default test suite (every label but the long ones).
# Extra arguments go to ctest, e.g. `bash scripts/run-tests.sh -L property`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh build
cd build
ctest --output-on-failure -j"$(nproc)" -LE 'soak|fuzz-long' "$@"
