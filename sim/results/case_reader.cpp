#include "sim/results/case_reader.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/results/case_json.hpp"
#include "sim/results/sqlite_db.hpp"

namespace routelab::results {

std::vector<CaseRun> read_case_runs(const std::string& db_path) {
    if (!std::filesystem::exists(db_path)) throw ResultsError(db_path + ": no such results database");
    if (std::filesystem::path(db_path).extension() == ".json") {  // a compact baseline (case_json.hpp)
        std::ifstream in(db_path, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        if (!in) throw ResultsError(db_path + ": cannot read");
        return case_runs_from_json(text.str(), db_path);
    }
    detail::Db db(db_path, detail::Db::Mode::read_only);
    bool sweep = false;
    {
        detail::Statement st(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sweep_jobs'");
        sweep = st.next_row();
    }
    std::vector<CaseRun> runs;
    std::map<std::int64_t, std::size_t> by_id;
    {
        const char* sql = sweep ? "SELECT r.run_id, r.scenario_name, COALESCE(j.knobs, ''), r.seed, r.verdict, r.requests, "
                                  "r.errors, r.p50_ns, r.p99_ns, r.p999_ns FROM runs r LEFT JOIN sweep_jobs j "
                                  "ON j.run_id = r.run_id ORDER BY r.run_id"
                                : "SELECT run_id, scenario_name, '', seed, verdict, requests, errors, p50_ns, p99_ns, p999_ns "
                                  "FROM runs ORDER BY run_id";
        detail::Statement st(db, sql);
        while (st.next_row()) {
            CaseRun r;
            r.scenario_name = st.column_text(1);
            r.knobs = st.column_text(2);
            if (r.knobs == "{}") r.knobs.clear();  // a sweep without axes
            r.seed = static_cast<std::uint64_t>(st.column_int(3));
            r.verdict = st.column_text(4);
            r.requests = static_cast<std::uint64_t>(st.column_int(5));
            r.errors = static_cast<std::uint64_t>(st.column_int(6));
            r.p50_ns = st.column_int(7);
            r.p99_ns = st.column_int(8);
            r.p999_ns = st.column_int(9);
            by_id[st.column_int(0)] = runs.size();
            runs.push_back(std::move(r));
        }
    }
    detail::Statement st(db, "SELECT run_id, COALESCE(NULLIF(label, ''), name), verdict, value_text, limit_text, detail FROM checks ORDER BY run_id, seq");
    while (st.next_row()) {
        const auto it = by_id.find(st.column_int(0));
        if (it == by_id.end()) continue;
        runs[it->second].checks.push_back(
            CaseCheck{st.column_text(1), st.column_text(2), st.column_text(3), st.column_text(4), st.column_text(5)});
    }
    return runs;
}

}  // namespace routelab::results
