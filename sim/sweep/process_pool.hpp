#pragma once
// Runs command lines as child processes, at most `width` at a time, and reports each one's
// end. A sweep's runs are separate processes so that a crash or a runaway run takes only
// itself down, and so that any engine that runs commands can run them instead.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace routelab::sweep {

struct Command {
    std::vector<std::string> argv;  // argv[0] is the program's path
    std::string log_path;           // stdout and stderr go here
    std::uint64_t tag = 0;          // handed back in the result
};

struct Finished {
    std::uint64_t tag = 0;
    int exit_code = -1;   // -1 when killed by a signal
    int signal = 0;       // the signal, when killed by one
    std::string spawn_error;  // non-empty when the process could not start
};

// Runs every command; `on_finished` is called in the order processes end. Returns when all
// have ended.
void run_all(const std::vector<Command>& commands, unsigned width, const std::function<void(const Finished&)>& on_finished);

}  // namespace routelab::sweep
