// The `scenario_source` and `configuration` tables: what a run was asked to do.
#include "sim/results/source_tables.hpp"

#include "sim/results/sqlite_reader.hpp"

namespace routelab::results::detail {

void insert_source(Db& db, std::int64_t run_id, const RunRecord& run) {
    {
        Statement st(db, "INSERT INTO scenario_source (run_id, text, overrides) VALUES (?1, ?2, ?3)");
        st.bind(1, run_id);
        st.bind(2, run.scenario_text);
        st.bind(3, run.scenario_overrides);
        st.run();
    }
    Statement st(db, "INSERT INTO configuration (run_id, seq, key, value) VALUES (?1, ?2, ?3, ?4)");
    std::int64_t seq = 0;
    for (const auto& e : run.configuration) {
        st.bind(1, run_id);
        st.bind(2, seq++);
        st.bind(3, e.key);
        st.bind(4, e.value);
        st.run();
    }
}

}  // namespace routelab::results::detail

namespace routelab::results {

std::vector<std::int64_t> read_run_ids(const std::string& db_path) {
    detail::Db db(db_path, detail::Db::Mode::read_only);
    detail::Statement st(db, "SELECT run_id FROM runs ORDER BY run_id");
    std::vector<std::int64_t> out;
    while (st.next_row()) out.push_back(st.column_int(0));
    return out;
}

std::string read_scenario_text(const std::string& db_path, std::int64_t run_id) {
    detail::Db db(db_path, detail::Db::Mode::read_only);
    detail::Statement st(db, "SELECT text FROM scenario_source WHERE run_id = ?1");
    st.bind(1, run_id);
    return st.next_row() ? st.column_text(0) : std::string();
}

std::string read_scenario_overrides(const std::string& db_path, std::int64_t run_id) {
    detail::Db db(db_path, detail::Db::Mode::read_only);
    detail::Statement st(db, "SELECT overrides FROM scenario_source WHERE run_id = ?1");
    st.bind(1, run_id);
    return st.next_row() ? st.column_text(0) : std::string();
}

std::vector<ConfigEntry> read_configuration(const std::string& db_path, std::int64_t run_id) {
    detail::Db db(db_path, detail::Db::Mode::read_only);
    detail::Statement st(db, "SELECT key, value FROM configuration WHERE run_id = ?1 ORDER BY seq");
    st.bind(1, run_id);
    std::vector<ConfigEntry> out;
    while (st.next_row()) out.push_back({st.column_text(0), st.column_text(1)});
    return out;
}

}  // namespace routelab::results
