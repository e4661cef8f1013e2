#include "sim/sweep/grid.hpp"

#include <limits>

#include <nlohmann/json.hpp>

namespace routelab::sweep {
namespace {

std::vector<std::string> split_values(const std::string& text) {
    std::vector<std::string> values;
    std::string current;
    int depth = 0;
    char quote = 0;
    for (char c : text) {
        if (quote != 0) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[' || c == '{') {
            ++depth;
        } else if (c == ']' || c == '}') {
            --depth;
        } else if (c == ',' && depth == 0) {
            values.push_back(current);
            current.clear();
            continue;
        }
        current += c;
    }
    values.push_back(current);
    return values;
}

std::optional<std::uint64_t> parse_count(const std::string& text) {
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoull(text);
}

}  // namespace

Grid::Grid(std::vector<Axis> axes, std::uint64_t seeds, std::uint64_t first_seed)
    : axes_(std::move(axes)), seeds_(seeds), first_seed_(first_seed) {}

std::uint64_t Grid::points() const {
    std::uint64_t n = 1;
    for (const auto& a : axes_) n *= a.values.size();
    return n;
}

Job Grid::job(std::uint64_t index) const {
    Job job;
    job.index = index;
    job.seed = first_seed_ + index % seeds_;
    std::uint64_t point = index / seeds_;
    std::vector<std::size_t> choice(axes_.size());
    for (std::size_t a = axes_.size(); a-- > 0;) {
        choice[a] = point % axes_[a].values.size();
        point /= axes_[a].values.size();
    }
    nlohmann::ordered_json knobs = nlohmann::ordered_json::object();
    for (std::size_t a = 0; a < axes_.size(); ++a) {
        job.overrides.push_back(scenario::Override{axes_[a].key, axes_[a].values[choice[a]]});
        knobs[axes_[a].key] = axes_[a].values[choice[a]];
    }
    job.knobs_json = knobs.dump();
    return job;
}

std::string Grid::canonical() const {
    std::string out;
    for (const auto& a : axes_) {
        if (!out.empty()) out += ";";
        out += a.key + "=";
        for (std::size_t i = 0; i < a.values.size(); ++i) out += (i ? "," : "") + a.values[i];
    }
    return out;
}

std::optional<std::string> parse_axis(const std::string& text, Axis& out) {
    scenario::Override probe;
    if (auto bad = scenario::parse_override(text, probe)) return bad->to_string();
    out.key = probe.key;
    out.values = split_values(probe.value);
    for (const auto& v : out.values)
        if (v.empty()) return "--set " + text + ": an empty value in the list";
    constexpr std::size_t max_values = 10'000;
    if (out.values.size() > max_values) return "--set " + text + ": more than 10,000 values";
    return std::nullopt;
}

std::optional<std::string> parse_shard(const std::string& text, Shard& out) {
    const std::size_t slash = text.find('/');
    const auto i = slash == std::string::npos ? std::nullopt : parse_count(text.substr(0, slash));
    const auto n = slash == std::string::npos ? std::nullopt : parse_count(text.substr(slash + 1));
    if (!i || !n) return "--shard " + text + ": expected I/N with whole numbers, e.g. 2/3";
    if (*n == 0 || *i == 0 || *i > *n) return "--shard " + text + ": expected 1 <= I <= N";
    out = Shard{*i, *n};
    return std::nullopt;
}

}  // namespace routelab::sweep
