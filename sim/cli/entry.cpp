// The `routelab` executable: the command line with no test seams.
#include "sim/cli/routelab_main.hpp"

int main(int argc, char** argv) { return routelab::cli::routelab_main(argc, argv, {}); }
