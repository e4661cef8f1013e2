#!/usr/bin/env bash
# Installs every Debian package routelab needs and builds it (Release with debug info).
# Usage: bash scripts/setup.sh [build-dir]     (run as root, or with sudo available)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"

packages=(
  build-essential cmake pkg-config git
  catch2 librapidcheck-dev libbenchmark-dev
  libboost-dev libboost-system-dev libboost-iostreams-dev libboost-filesystem-dev
  libsqlite3-dev sqlite3 gnuplot-nox libgnuplot-iostream-dev
  libtoml11-dev libcli11-dev nlohmann-json3-dev libfmt-dev liblz4-dev libxxhash-dev
  clang-14 libclang-rt-14-dev
  python3-cassandra tshark parallel libxml2-utils chromium
)
# Node.js and npm for the Node.js driver's interop test. A machine that already has both
# (e.g. a NodeSource build, which bundles npm and conflicts with Debian's npm) keeps them.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    as_root=(sudo)
  fi
  echo "setup: installing ${missing[*]}"
  "${as_root[@]}" apt-get update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The Node.js driver for the interop tests comes from npm, into the build directory.
# (Node >= 20 resolves cassandra-driver@4 to 4.10; Debian 12's Node 18 needs 4.8.)
if [ ! -d "$build_dir/interop-node/node_modules/cassandra-driver" ]; then
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  driver_version="4"; [ "$node_major" -lt 20 ] && driver_version="4.8"
  mkdir -p "$build_dir/interop-node"
  npm install --silent --no-audit --no-fund --prefix "$build_dir/interop-node" "cassandra-driver@$driver_version" \
    || echo "setup: npm install cassandra-driver failed; the Node.js interop test will fail until it is installed" >&2
fi

cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build_dir" -j"$(nproc)"
