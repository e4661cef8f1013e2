// The CI verdict's rule: candidate median <= baseline median × (1 + relative) + absolute
// + noise × baseline spread; checks pass only when every seed passed.
#include <catch2/catch.hpp>

#include "sim/compare/compare.hpp"

using namespace routelab;

namespace {
results::CaseRun run(std::uint64_t seed, double p99_ms, std::uint64_t errors = 0) {
    results::CaseRun r;
    r.scenario_name = "s";
    r.seed = seed;
    r.verdict = "pass";
    r.requests = 1000;
    r.errors = errors;
    r.p50_ns = 1'000'000;
    r.p99_ns = static_cast<std::int64_t>(p99_ms * 1e6);
    r.p999_ns = r.p99_ns;
    return r;
}
const compare::Row& find(const std::vector<compare::Row>& rows, const std::string& name) {
    for (const auto& r : rows)
        if (r.name == name) return r;
    FAIL("no row " << name);
    return rows.front();
}
}  // namespace

TEST_CASE("the limit adds the relative, absolute and noise allowances", "[compare]") {
    const std::vector<results::CaseRun> base{run(1, 10), run(2, 11), run(3, 12)};  // median 11, spread 2
    compare::Thresholds t;
    t.figures = {{"p99_ms", {0.10, 0.5}}};
    t.noise = 1.0;
    const auto rows = compare::compare({run(1, 13.6), run(2, 13.6), run(3, 13.6)}, base, t);
    const auto& p99 = find(rows, "p99_ms");
    CHECK(*p99.limit == Approx(11 * 1.1 + 0.5 + 2));
    CHECK(p99.passed);  // 13.6 <= 14.6
    const auto worse = compare::compare({run(1, 14.7), run(2, 14.7), run(3, 14.7)}, base, t);
    CHECK_FALSE(find(worse, "p99_ms").passed);
    t.noise = 0;
    CHECK_FALSE(find(compare::compare({run(1, 13.6)}, base, t), "p99_ms").passed);
}

TEST_CASE("error rate regressions are absolute fractions", "[compare]") {
    compare::Thresholds t;
    t.figures = {{"error_rate", {0.0, 0.001}}};
    const std::vector<results::CaseRun> base{run(1, 1, 0), run(2, 1, 0)};
    CHECK(find(compare::compare({run(1, 1, 1)}, base, t), "error_rate").passed);       // 0.1%
    CHECK_FALSE(find(compare::compare({run(1, 1, 2)}, base, t), "error_rate").passed);  // 0.2%
}

TEST_CASE("a case missing from the baseline fails; a check fails if any seed failed", "[compare]") {
    compare::Thresholds t;
    auto a = run(1, 1);
    a.knobs = R"({"k":"1"})";
    a.checks.push_back({"max_latency", "pass", "1", "2", ""});
    auto b = a;
    b.seed = 2;
    b.checks[0].verdict = "fail";
    const auto rows = compare::compare({a, b}, {run(1, 1)}, t);
    CHECK_FALSE(find(rows, "p99_ms").passed);
    CHECK(find(rows, "p99_ms").message.find("no baseline") != std::string::npos);
    CHECK_FALSE(find(rows, "check: max_latency").passed);
    CHECK(find(rows, "check: max_latency").message.find("failed on 1 of 2 seeds") != std::string::npos);
}
