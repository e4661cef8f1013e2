#include "sim/results/driver_view_tables.hpp"

#include "sim/results/sqlite_db.hpp"

namespace routelab::results {
namespace detail {

namespace {

const char* state_name(bool up) { return up ? "up" : "down"; }

void insert_node_latency(Db& db, std::int64_t run_id, const RunRecord& run) {
    Statement st(db,
                 "INSERT INTO window_node_latency (run_id, start_s, node, requests, p50_ns, p99_ns, p999_ns, max_ns) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    for (const auto& w : run.window_node_latency) {
        st.bind(1, run_id);
        st.bind(2, w.start_s);
        st.bind(3, w.node);
        st.bind(4, to_db(w.requests, db, "window_node_latency requests"));
        st.bind(5, w.p50_ns);
        st.bind(6, w.p99_ns);
        st.bind(7, w.p999_ns);
        st.bind(8, w.max_ns);
        st.run();
    }
}

void insert_client_load(Db& db, std::int64_t run_id, const RunRecord& run) {
    Statement st(db,
                 "INSERT INTO window_client_load (run_id, start_s, client, requests, errors, p50_ns, p99_ns, p999_ns, max_ns) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    for (const auto& w : run.window_client_load) {
        st.bind(1, run_id);
        st.bind(2, w.start_s);
        st.bind(3, w.client);
        st.bind(4, to_db(w.requests, db, "window_client_load requests"));
        st.bind(5, to_db(w.errors, db, "window_client_load errors"));
        st.bind(6, w.p50_ns);
        st.bind(7, w.p99_ns);
        st.bind(8, w.p999_ns);
        st.bind(9, w.max_ns);
        st.run();
    }
}

void insert_affinity(Db& db, std::int64_t run_id, const RunRecord& run) {
    Statement st(db, "INSERT INTO window_affinity (run_id, start_s, keyed_requests, moved) VALUES (?1, ?2, ?3, ?4)");
    for (const auto& w : run.window_affinity) {
        st.bind(1, run_id);
        st.bind(2, w.start_s);
        st.bind(3, to_db(w.keyed_requests, db, "window_affinity keyed_requests"));
        st.bind(4, to_db(w.moved, db, "window_affinity moved"));
        st.run();
    }
}

void insert_shard_load(Db& db, std::int64_t run_id, const RunRecord& run) {
    Statement st(db, "INSERT INTO window_shard_load (run_id, start_s, node, shard, work, backlog_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (const auto& w : run.window_shard_load) {
        st.bind(1, run_id);
        st.bind(2, w.start_s);
        st.bind(3, w.node);
        st.bind(4, static_cast<std::int64_t>(w.shard));
        st.bind(5, to_db(w.work, db, "window_shard_load work"));
        st.bind(6, w.backlog_us);
        st.run();
    }
    Statement c(db, "INSERT INTO window_connections (run_id, start_s, node, connections) VALUES (?1, ?2, ?3, ?4)");
    for (const auto& w : run.window_connections) {
        c.bind(1, run_id);
        c.bind(2, w.start_s);
        c.bind(3, w.node);
        c.bind(4, to_db(w.connections, db, "window_connections connections"));
        c.run();
    }
}

void insert_transitions(Db& db, std::int64_t run_id, const RunRecord& run) {
    Statement st(db, "INSERT INTO node_transitions (run_id, seq, time_s, node, state) VALUES (?1, ?2, ?3, ?4, ?5)");
    std::int64_t seq = 0;
    for (const auto& t : run.node_transitions) {
        st.bind(1, run_id);
        st.bind(2, seq++);
        st.bind(3, t.time_s);
        st.bind(4, t.node);
        st.bind(5, std::string_view(state_name(t.up)));
        st.run();
    }
}

void insert_marks(Db& db, std::int64_t run_id, const RunRecord& run) {
    Statement st(db,
                 "INSERT INTO driver_node_marks (run_id, seq, client, node, time_s, state, truth_s, detection_delay_s) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    std::int64_t seq = 0;
    for (const auto& m : run.driver_marks) {
        st.bind(1, run_id);
        st.bind(2, seq++);
        st.bind(3, m.client);
        st.bind(4, m.node);
        st.bind(5, m.time_s);
        st.bind(6, std::string_view(state_name(m.up)));
        if (m.truth_s) {
            st.bind(7, *m.truth_s);
            st.bind(8, m.time_s - *m.truth_s);
        } else {
            st.bind_null(7);
            st.bind_null(8);
        }
        st.run();
    }
}

}  // namespace

void insert_driver_view(Db& db, std::int64_t run_id, const RunRecord& run) {
    insert_node_latency(db, run_id, run);
    insert_client_load(db, run_id, run);
    insert_affinity(db, run_id, run);
    insert_shard_load(db, run_id, run);
    insert_transitions(db, run_id, run);
    insert_marks(db, run_id, run);
}

}  // namespace detail

namespace {

using detail::Db;
using detail::Statement;

// Runs `sql` (one parameter: the run) over the database and hands each row to `row`.
template <class Row>
void each_row(const std::string& db_path, std::int64_t run_id, const char* sql, Row&& row) {
    Db db(db_path, Db::Mode::read_only);
    Statement st(db, sql);
    st.bind(1, run_id);
    while (st.next_row()) row(st);
}

std::uint64_t u64(const Statement& st, int i) { return static_cast<std::uint64_t>(st.column_int(i)); }

}  // namespace

std::vector<WindowErrorCount> read_window_errors(const std::string& db_path, std::int64_t run_id) {
    std::vector<WindowErrorCount> out;
    each_row(db_path, run_id, "SELECT start_s, kind, requests FROM window_errors WHERE run_id = ?1 ORDER BY start_s, kind",
             [&](const Statement& st) { out.push_back({st.column_double(0), st.column_text(1), u64(st, 2)}); });
    return out;
}

std::vector<WindowNodeLoad> read_window_node_load(const std::string& db_path, std::int64_t run_id) {
    std::vector<WindowNodeLoad> out;
    each_row(db_path, run_id,
             "SELECT start_s, node, attempts, answered FROM window_node_load WHERE run_id = ?1 ORDER BY start_s, rowid",
             [&](const Statement& st) { out.push_back({st.column_double(0), st.column_text(1), u64(st, 2), u64(st, 3)}); });
    return out;
}

std::vector<WindowNodeLatency> read_window_node_latency(const std::string& db_path, std::int64_t run_id) {
    std::vector<WindowNodeLatency> out;
    each_row(db_path, run_id,
             "SELECT start_s, node, requests, p50_ns, p99_ns, p999_ns, max_ns FROM window_node_latency WHERE run_id = ?1 "
             "ORDER BY start_s, rowid",
             [&](const Statement& st) {
                 out.push_back({st.column_double(0), st.column_text(1), u64(st, 2), st.column_int(3), st.column_int(4),
                                st.column_int(5), st.column_int(6)});
             });
    return out;
}

std::vector<WindowClientLoad> read_window_client_load(const std::string& db_path, std::int64_t run_id) {
    std::vector<WindowClientLoad> out;
    each_row(db_path, run_id,
             "SELECT start_s, client, requests, errors, p50_ns, p99_ns, p999_ns, max_ns FROM window_client_load "
             "WHERE run_id = ?1 ORDER BY start_s, rowid",
             [&](const Statement& st) {
                 out.push_back({st.column_double(0), st.column_text(1), u64(st, 2), u64(st, 3), st.column_int(4),
                                st.column_int(5), st.column_int(6), st.column_int(7)});
             });
    return out;
}

std::vector<WindowAffinity> read_window_affinity(const std::string& db_path, std::int64_t run_id) {
    std::vector<WindowAffinity> out;
    each_row(db_path, run_id, "SELECT start_s, keyed_requests, moved FROM window_affinity WHERE run_id = ?1 ORDER BY start_s",
             [&](const Statement& st) { out.push_back({st.column_double(0), u64(st, 1), u64(st, 2)}); });
    return out;
}

std::vector<NodeTransition> read_node_transitions(const std::string& db_path, std::int64_t run_id) {
    std::vector<NodeTransition> out;
    each_row(db_path, run_id, "SELECT time_s, node, state FROM node_transitions WHERE run_id = ?1 ORDER BY seq",
             [&](const Statement& st) { out.push_back({st.column_double(0), st.column_text(1), st.column_text(2) == "up"}); });
    return out;
}

std::vector<DriverNodeMark> read_driver_marks(const std::string& db_path, std::int64_t run_id) {
    std::vector<DriverNodeMark> out;
    each_row(db_path, run_id,
             "SELECT client, node, time_s, state, truth_s FROM driver_node_marks WHERE run_id = ?1 ORDER BY seq",
             [&](const Statement& st) {
                 DriverNodeMark m{st.column_text(0), st.column_text(1), st.column_double(2), st.column_text(3) == "up", {}};
                 if (!st.column_is_null(4)) m.truth_s = st.column_double(4);
                 out.push_back(std::move(m));
             });
    return out;
}

}  // namespace routelab::results
