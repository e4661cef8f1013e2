#pragma once
// Internal to sim/checks: a ratio of "bad" events to requests over a check's scope, kept
// per time window so a failed check can say where it first broke: the first window whose
// ratio passed the limit, and the first bad request in it. Used by max_error_rate,
// min_availability, max_availability, max_speculative_overhead and the retry overheads.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/checks/registry.hpp"

namespace routelab::checks::detail {

struct Offender {
    sim::Time at;
    std::uint64_t request = 0;
    std::string node;
};

class RateTally {
public:
    // `over_windows`: every window (with at least `min_requests`) must keep the limit;
    // otherwise the whole scope's ratio must, and windows only locate the breach.
    RateTally(double window_s, bool over_windows, std::uint64_t min_requests)
        : window_s_(window_s), over_windows_(over_windows), min_requests_(min_requests) {}

    // One request ending `at_s` seconds after the workload's start, with `bad` bad events
    // (0 for a good one); `offender` is asked for only when the window has none yet.
    template <class MakeOffender>
    void add(double at_s, double bad, MakeOffender&& offender) {
        Window& w = window(at_s);
        ++w.requests;
        w.bad += bad;
        requests_ += 1;
        bad_ += bad;
        if (bad > 0 && !w.first) w.first = offender();
    }

    // As add, but every window keeps its first request whatever it counted: for lower
    // bounds, where a window breaks the limit by having too few bad events.
    template <class MakeOffender>
    void add_located(double at_s, double bad, MakeOffender&& offender) {
        Window& w = window(at_s);
        ++w.requests;
        w.bad += bad;
        requests_ += 1;
        bad_ += bad;
        if (!w.first) w.first = offender();
    }

    struct Outcome {
        double value = 0;              // the ratio: the scope's, or the worst window's
        std::uint64_t requests = 0;    // behind `value`
        bool passed = true;
        std::optional<Offender> first; // where it first broke
        std::optional<double> window_start_s;
    };
    // `exceeds(ratio)`: whether a ratio breaks the limit (ratios are of bad events, so the
    // worst window is the one with the highest).
    template <class Exceeds>
    Outcome conclude(Exceeds&& exceeds) const {
        Outcome out;
        if (!over_windows_) {
            out.requests = requests_;
            out.value = requests_ ? bad_ / static_cast<double>(requests_) : 0.0;
            out.passed = requests_ < min_requests_ || !exceeds(out.value);
        } else {
            for (const auto& w : windows_) {
                if (w.requests < min_requests_ || w.requests == 0) continue;
                const double ratio = w.bad / static_cast<double>(w.requests);
                if (out.requests == 0 || ratio > out.value) {
                    out.value = ratio;
                    out.requests = w.requests;
                }
                if (exceeds(ratio)) out.passed = false;
            }
        }
        if (out.passed) return out;
        // The first window that breaks the limit on its own (enough requests first, any
        // then), and its first bad request.
        for (int pass = 0; pass < 2 && !out.first; ++pass)
            for (std::size_t i = 0; i < windows_.size(); ++i) {
                const auto& w = windows_[i];
                if (w.requests == 0 || !w.first || (pass == 0 && w.requests < min_requests_)) continue;
                if (!exceeds(w.bad / static_cast<double>(w.requests))) continue;
                out.first = w.first;
                out.window_start_s = static_cast<double>(i) * window_s_;
                break;
            }
        return out;
    }

private:
    struct Window {
        std::uint64_t requests = 0;
        double bad = 0;
        std::optional<Offender> first;
    };
    Window& window(double at_s) {
        const auto index = static_cast<std::size_t>(at_s > 0 ? at_s / window_s_ : 0);
        if (index >= windows_.size()) windows_.resize(index + 1);
        return windows_[index];
    }

    double window_s_;
    bool over_windows_;
    std::uint64_t min_requests_;
    std::vector<Window> windows_;
    std::uint64_t requests_ = 0;
    double bad_ = 0;
};

// The parameters the rate checks share: over ("scope" | "window"), window_s, min_requests,
// operation ("any" | "read" | "write").
std::vector<ParamSpec> rate_params();
RateTally make_tally(const Params& params, const CheckEnv& env);
std::uint64_t min_requests_of(const Params& params);
enum class Operation : std::uint8_t { any, read, write };
Operation operation_of(const Params& params);
inline bool operation_matches(Operation op, const RequestEnded& f) {
    return op == Operation::any || (op == Operation::write) == f.write;
}

}  // namespace routelab::checks::detail
