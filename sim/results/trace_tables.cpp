#include "sim/results/trace_tables.hpp"

#include <cstdlib>

#include "sim/results/sqlite_sink.hpp"

namespace routelab::results {
namespace detail {

void insert_trace_checkpoints(Db& db, std::int64_t run_id, const RunRecord& run) {
    Statement st(db, "INSERT INTO trace_checkpoints (run_id, end_ns, trace_hash, trace_events) VALUES (?1, ?2, ?3, ?4)");
    for (const auto& c : run.trace_checkpoints) {
        st.bind(1, run_id);
        st.bind(2, c.end_ns);
        st.bind(3, hex16(c.hash));
        st.bind(4, to_db(c.events, db, "trace events"));
        st.run();
    }
}

}  // namespace detail

std::vector<sim::TraceCheckpoint> read_trace_checkpoints(const std::string& db_path, std::int64_t run_id) {
    detail::Db db(db_path, detail::Db::Mode::read_only);
    detail::Statement st(db, "SELECT end_ns, trace_hash, trace_events FROM trace_checkpoints WHERE run_id = ?1 ORDER BY end_ns");
    st.bind(1, run_id);
    std::vector<sim::TraceCheckpoint> out;
    while (st.next_row()) {
        const std::string hex = st.column_text(1);
        out.push_back(sim::TraceCheckpoint{st.column_int(0), std::strtoull(hex.c_str(), nullptr, 16),
                                           static_cast<std::uint64_t>(st.column_int(2))});
    }
    return out;
}

}  // namespace routelab::results
