#!/usr/bin/env bash
# Builds the protocol decoders' and the scenario parser's libFuzzer targets with clang
# (ASan + UBSan) in their own build directory and runs each for SECONDS (default 20). Longer runs:
#   bash scripts/fuzz.sh 3600
# A crash leaves its input as crash-* in build-fuzz/ and makes this script fail.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
build_dir="${ROUTELAB_FUZZ_BUILD_DIR:-build-fuzz}"
command -v clang++-14 >/dev/null || { echo "fuzz: clang++-14 is missing (scripts/setup.sh installs it)"; exit 1; }
cmake -S . -B "$build_dir" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROUTELAB_FUZZ=ON >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target fuzz_request_decoder fuzz_response_decoder fuzz_scenario_parser
for target in fuzz_request_decoder fuzz_response_decoder; do
  echo "fuzz: $target for ${seconds}s"
  (cd "$build_dir" && "./tests/protocol/fuzz/$target" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 2>&1 | tail -n 12)
done
# The scenario parser, seeded with the shipped scenarios and the good and bad test files.
echo "fuzz: fuzz_scenario_parser for ${seconds}s"
root=$(pwd)
mkdir -p "$build_dir/tests/scenario/fuzz/corpus"
(cd "$build_dir/tests/scenario/fuzz" && ./fuzz_scenario_parser -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
  corpus "$root/scenarios" "$root/tests/scenario/good" "$root/tests/scenario/bad" 2>&1 | tail -n 12)
echo "fuzz: 3 passed, 0 failed"
