#include "sim/checks/rate_tally.hpp"

namespace routelab::checks::detail {

std::vector<ParamSpec> rate_params() {
    ParamSpec window = number_param("window_s", 0, 1e9, "window width in seconds (default: [output].window_s)");
    window.min_exclusive = true;
    return {
        choice_param("over", {"scope", "window"}, "\"scope\" (default): the ratio over the whole scope; \"window\": every window's"),
        window,
        integer_param("min_requests", 1, 1e12, "windows (or a scope) with fewer requests are not judged (default 1; 10 with over = \"window\")"),
        choice_param("operation", {"any", "read", "write"}, "only reads or only writes (default any)"),
    };
}

std::uint64_t min_requests_of(const Params& params) {
    // A thin window (the run's last, a quiet second) says little: judged from 10 requests.
    const bool windows = params.text("over", "scope") == "window";
    return static_cast<std::uint64_t>(params.number("min_requests", windows ? 10 : 1));
}

RateTally make_tally(const Params& params, const CheckEnv& env) {
    const double window_s = params.number("window_s", env.window_s);
    return RateTally(window_s > 0 ? window_s : env.window_s, params.text("over", "scope") == "window", min_requests_of(params));
}

Operation operation_of(const Params& params) {
    const std::string op = params.text("operation", "any");
    return op == "read" ? Operation::read : op == "write" ? Operation::write : Operation::any;
}

}  // namespace routelab::checks::detail
