#include "sim/compare/compare.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

namespace routelab::compare {
namespace {

using Case = std::pair<std::string, std::string>;  // scenario, knobs

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double figure(const results::CaseRun& r, const std::string& name) {
    if (name == "p50_ms") return static_cast<double>(r.p50_ns) / 1e6;
    if (name == "p99_ms") return static_cast<double>(r.p99_ns) / 1e6;
    if (name == "p999_ms") return static_cast<double>(r.p999_ns) / 1e6;
    return r.requests == 0 ? 0.0 : static_cast<double>(r.errors) / static_cast<double>(r.requests);
}

std::map<Case, std::vector<const results::CaseRun*>> by_case(const std::vector<results::CaseRun>& runs,
                                                             std::vector<Case>* order) {
    std::map<Case, std::vector<const results::CaseRun*>> cases;
    for (const auto& r : runs) {
        const Case c{r.scenario_name, r.knobs};
        if (order != nullptr && !cases.count(c)) order->push_back(c);
        cases[c].push_back(&r);
    }
    return cases;
}

// Figures in the order users read them.
const std::vector<std::string>& figure_order() {
    static const std::vector<std::string> names{"p50_ms", "p99_ms", "p999_ms", "error_rate"};
    return names;
}

std::string show(const std::string& figure, double v) {
    return figure == "error_rate" ? fmt::format("{:.4f}%", v * 100) : fmt::format("{:.3f} ms", v);
}

}  // namespace

std::vector<Row> compare(const std::vector<results::CaseRun>& candidate, const std::vector<results::CaseRun>& baseline,
                         const Thresholds& thresholds) {
    std::vector<Case> order;
    const auto cand = by_case(candidate, &order);
    const auto base = by_case(baseline, nullptr);
    std::vector<Row> rows;
    for (const auto& c : order) {
        const auto& runs = cand.at(c);
        const auto b = base.find(c);
        for (const auto& name : figure_order()) {
            const auto allowance = thresholds.figures.find(name);
            if (allowance == thresholds.figures.end()) continue;
            Row row;
            row.scenario = c.first;
            row.knobs = c.second;
            row.name = name;
            std::vector<double> values;
            for (const auto* r : runs) values.push_back(figure(*r, name));
            row.candidate = median(values);
            if (b == base.end()) {
                row.passed = false;
                row.message = "no baseline for this case (record one with --update-baseline)";
                rows.push_back(row);
                continue;
            }
            std::vector<double> base_values;
            for (const auto* r : b->second) base_values.push_back(figure(*r, name));
            const auto [lo, hi] = std::minmax_element(base_values.begin(), base_values.end());
            const double spread = *hi - *lo;
            row.baseline = median(base_values);
            row.limit = *row.baseline * (1 + allowance->second.relative) + allowance->second.absolute + thresholds.noise * spread;
            row.passed = *row.candidate <= *row.limit;
            row.message = fmt::format("{} {} against baseline {} (limit {}: +{:.0f}% +{} + {}×spread {} over {} seeds)", name,
                                      show(name, *row.candidate), show(name, *row.baseline), show(name, *row.limit),
                                      allowance->second.relative * 100, show(name, allowance->second.absolute),
                                      thresholds.noise, show(name, spread), base_values.size());
            rows.push_back(row);
        }
        // The runs' own checks: a case passes a check when every seed does.
        std::vector<std::string> labels;
        std::map<std::string, std::vector<std::string>> failures;
        for (const auto* r : runs)
            for (const auto& ch : r->checks) {
                if (std::find(labels.begin(), labels.end(), ch.label) == labels.end()) labels.push_back(ch.label);
                if (ch.verdict != "pass")
                    failures[ch.label].push_back(fmt::format("seed {}: {} (limit {}){}", r->seed, ch.value_text, ch.limit_text,
                                                             ch.detail.empty() ? "" : ": " + ch.detail));
            }
        for (const auto& label : labels) {
            Row row;
            row.scenario = c.first;
            row.knobs = c.second;
            row.name = "check: " + label;
            const auto f = failures.find(label);
            row.passed = f == failures.end();
            row.message = row.passed ? fmt::format("passed on all {} seeds", runs.size())
                                     : fmt::format("failed on {} of {} seeds; {}", f->second.size(), runs.size(), f->second.front());
            rows.push_back(row);
        }
    }
    return rows;
}

}  // namespace routelab::compare
