// routelab_planted: the routelab command line with the planted bugs of planted_bugs.hpp
// registered (so scenarios may name test_names_twice_sometimes and test_repeats_writes),
// and with `--plant-drop-writes N` (before the subcommand) making the first node drop one
// write in N. A test binary: the product `routelab` knows none of this.
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "sim/cli/routelab_main.hpp"
#include "tests/explore/planted_bugs.hpp"

int main(int argc, char** argv) {
    routelab::test::register_planted_bugs();
    std::vector<char*> args(argv, argv + argc);
    std::uint32_t drop = 0;
    if (args.size() > 2 && std::strcmp(args[1], "--plant-drop-writes") == 0) {
        const long n = std::strtol(args[2], nullptr, 10);
        if (n < 1 || n > 1'000'000) {
            std::cerr << "routelab_planted: --plant-drop-writes: expected 1..1000000\n";
            return 2;
        }
        drop = static_cast<std::uint32_t>(n);
        args.erase(args.begin() + 1, args.begin() + 3);
    }
    return routelab::cli::routelab_main(static_cast<int>(args.size()), args.data(), routelab::test::planted_world(drop));
}
