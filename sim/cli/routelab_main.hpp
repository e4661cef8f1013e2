#pragma once
// The routelab command line as a function: `routelab` (entry.cpp) calls it with no seams;
// a test binary may call it with World seams that plant bugs (tests/explore).
#include "sim/runner/world.hpp"

namespace routelab::cli {

int routelab_main(int argc, char** argv, const runner::WorldOptions& world);

}  // namespace routelab::cli
