#pragma once
// Wall-clock stopwatch for reporting how long a run took. sim/live/ is the only place
// allowed to read a real clock (STYLE §10.1); nothing here may influence a simulation.
#include <chrono>

namespace routelab::live {

class WallStopwatch {
public:
    WallStopwatch() : start_(std::chrono::steady_clock::now()) {}

    // Seconds since construction.
    double elapsed_s() const {
        const auto elapsed = std::chrono::steady_clock::now() - start_;
        return std::chrono::duration<double>(elapsed).count();
    }

private:
    std::chrono::steady_clock::time_point start_;
};

}  // namespace routelab::live
