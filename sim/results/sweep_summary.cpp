#include "sim/results/sweep_summary.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "sim/results/sqlite_db.hpp"
#include "sim/results/sqlite_reader.hpp"
#include "sim/results/sweep_store.hpp"

namespace routelab::results {
namespace {

std::vector<std::pair<std::string, std::string>> parse_knobs(const std::string& path, const std::string& text) {
    std::vector<std::pair<std::string, std::string>> out;
    const auto json = nlohmann::ordered_json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) throw ResultsError(path + ": sweep_jobs.knobs is not a JSON object: " + text);
    for (const auto& [key, value] : json.items()) out.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
    return out;
}

template <class T>
T median(std::vector<T> v) {
    if (v.empty()) return T{};
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double imbalance(const std::vector<NodeLoad>& nodes) {
    std::uint64_t total = 0, most = 0;
    for (const auto& n : nodes) {
        total += n.requests_coordinated;
        most = std::max(most, n.requests_coordinated);
    }
    if (total == 0) return 0;
    return static_cast<double>(most) / (static_cast<double>(total) / static_cast<double>(nodes.size()));
}

}  // namespace

std::string SweepPoint::label() const {
    std::string out;
    for (const auto& [k, v] : knobs) out += (out.empty() ? "" : ", ") + k + "=" + v;
    return out.empty() ? "(no knobs)" : out;
}

bool is_sweep_database(const std::string& path) {
    detail::Db db(path, detail::Db::Mode::read_only);
    detail::Statement st(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sweep_jobs'");
    if (!st.next_row()) return false;
    detail::Statement any(db, "SELECT 1 FROM sweep_jobs LIMIT 1");
    return any.next_row();
}

SweepSummary summarize_sweep(const std::string& path) {
    const auto rows = read_sweep_runs(path);
    if (rows.empty()) throw ResultsError(path + ": the sweep holds no finished job");
    SweepSummary out;
    std::map<std::string, std::size_t> index;   // knobs text -> point
    struct Seeds {
        std::vector<std::int64_t> p50, p99, p999;
        double imbalance_sum = 0;
    };
    std::vector<Seeds> seeds;
    for (const auto& r : rows) {
        auto [it, added] = index.emplace(r.knobs, out.points.size());
        if (added) {
            out.points.push_back({parse_knobs(path, r.knobs), {}, 0, 0, 0, 0, 0, 0, 0, {}});
            seeds.emplace_back();
            if (out.axes.empty())
                for (const auto& kv : out.points.back().knobs) out.axes.push_back(kv.first);
        }
        SweepPoint& p = out.points[it->second];
        Seeds& s = seeds[it->second];
        const auto run_id = static_cast<std::int64_t>(r.job_index + 1);   // sweep_store's rule
        p.run_ids.push_back(run_id);
        if (r.verdict == "pass") ++p.passed;
        p.requests += r.requests;
        p.errors += r.errors;
        s.p50.push_back(r.p50_ns);
        s.p99.push_back(r.p99_ns);
        s.p999.push_back(r.p999_ns);
        s.imbalance_sum += imbalance(read_node_load(path, run_id));
    }
    for (std::size_t i = 0; i < out.points.size(); ++i) {
        auto& p = out.points[i];
        p.p50_ns = median(seeds[i].p50);
        p.p99_by_seed = seeds[i].p99;
        p.p99_ns = median(seeds[i].p99);
        p.p999_ns = median(seeds[i].p999);
        p.load_imbalance = seeds[i].imbalance_sum / static_cast<double>(p.run_ids.size());
    }
    return out;
}

}  // namespace routelab::results
