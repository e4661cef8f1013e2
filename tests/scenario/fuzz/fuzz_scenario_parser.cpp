// The scenario parser on arbitrary text: TOML syntax, nesting, numbers, every table and
// field, and (when the first line reads as KEY=VALUE) a `--set` override. Nothing may
// crash, hang, over-allocate or trip UB; an error must name a line of the input, and a
// scenario that parses must keep its times inside the documented bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/scenario/parse.hpp"

using namespace routelab::scenario;

namespace {

void require(bool ok) {
    if (!ok) std::abort();   // a broken invariant is a finding, like a crash
}

bool time_ok(double s) { return s >= 0 && s <= 1'000'000; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<Override> overrides;
    Override o;
    if (!parse_override(text.substr(0, text.find('\n')), o)) overrides.push_back(o);

    const auto result = parse_scenario_text(text, "fuzz.toml", overrides);
    if (!result.ok()) {
        const ScenarioError& e = result.error();
        require(!e.message.empty());
        std::size_t lines = 1;
        for (const char c : text) lines += c == '\n' ? 1 : 0;
        require(e.line <= lines);
        return 0;
    }
    const Scenario& s = result.scenario();
    require(s.workload.duration_s > 0 && time_ok(s.workload.duration_s));
    require(s.output.window_s >= 0.001 && time_ok(s.output.window_s));
    for (const auto& f : s.faults) require(time_ok(f.at_s) && time_ok(f.duration_s));
    for (const auto& step : s.workload.schedule) require(time_ok(step.at_s) && time_ok(step.ramp_s));
    for (const auto& c : s.clients) require(time_ok(c.start_s) && time_ok(c.workload.duration_s));
    return 0;
}
