#include "sim/results/sqlite_sink.hpp"

#include <string>

#include "sim/results/checks_tables.hpp"
#include "sim/results/driver_view_tables.hpp"
#include "sim/results/schema_sql.hpp"
#include "sim/results/source_tables.hpp"
#include "sim/results/trace_tables.hpp"
#include "sim/results/sqlite_db.hpp"

namespace routelab::results {

std::string hex16(std::uint64_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (std::size_t i = 0; i < 16; ++i) {
        out[15 - i] = digits[v & 0xfU];
        v >>= 4U;
    }
    return out;
}

namespace {

using detail::Db;
using detail::Statement;
using detail::to_db;

std::int64_t insert_run(Db& db, const RunRecord& run) {
    Statement st(db,
                 "INSERT INTO runs (scenario_name, scenario_path, scenario_hash, build, policy, seed, "
                 "trace_hash, trace_events, events_run, simulated_s, wall_s, requests, completed, "
                 "errors, timeouts, lost, verdict, p50_ns, p99_ns, p999_ns, max_ns) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                 "?18, ?19, ?20, ?21)");
    st.bind(1, run.scenario_name);
    st.bind(2, run.scenario_path);
    st.bind(3, run.scenario_hash);
    st.bind(4, run.build);
    st.bind(5, run.policy);
    st.bind(6, static_cast<std::int64_t>(run.seed));  // same bits; documented in schema.sql
    st.bind(7, hex16(run.trace_hash));
    st.bind(8, to_db(run.trace_events, db, "trace_events"));
    st.bind(9, to_db(run.events_run, db, "events_run"));
    st.bind(10, run.simulated_s);
    st.bind(11, run.wall_s);
    st.bind(12, to_db(run.requests, db, "requests"));
    st.bind(13, to_db(run.completed, db, "completed"));
    st.bind(14, to_db(run.errors, db, "errors"));
    st.bind(15, to_db(run.timeouts, db, "timeouts"));
    st.bind(16, to_db(run.lost, db, "lost"));
    st.bind(17, run.verdict);
    st.bind(18, run.latency_ns.quantile(0.5));
    st.bind(19, run.latency_ns.quantile(0.99));
    st.bind(20, run.latency_ns.quantile(0.999));
    st.bind(21, run.latency_ns.max());
    st.run();
    return db.last_insert_rowid();
}

void insert_windows(Db& db, std::int64_t run_id, const RunRecord& run) {
    Statement st(db,
                 "INSERT INTO windows (run_id, start_s, requests, errors, timeouts, p50_ns, p90_ns, "
                 "p99_ns, p999_ns, max_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    for (const auto& w : run.windows) {
        st.bind(1, run_id);
        st.bind(2, w.start_s);
        st.bind(3, to_db(w.requests, db, "window requests"));
        st.bind(4, to_db(w.errors, db, "window errors"));
        st.bind(5, to_db(w.timeouts, db, "window timeouts"));
        st.bind(6, w.p50_ns);
        st.bind(7, w.p90_ns);
        st.bind(8, w.p99_ns);
        st.bind(9, w.p999_ns);
        st.bind(10, w.max_ns);
        st.run();
    }
}

// A file written by a build from before node_load had its replica columns gets them
// (zero for the old rows), so runs can still be appended to it.
void add_node_load_columns(Db& db) {
    bool has[3] = {false, false, false};
    static constexpr const char* columns[3] = {"replica_ops", "hints_stored", "hints_replayed"};
    Statement info(db, "PRAGMA table_info(node_load)");
    while (info.next_row())
        for (int i = 0; i < 3; ++i)
            if (info.column_text(1) == columns[i]) has[i] = true;
    for (int i = 0; i < 3; ++i)
        if (!has[i])
            db.exec(("ALTER TABLE node_load ADD COLUMN " + std::string(columns[i]) + " INTEGER NOT NULL DEFAULT 0").c_str(),
                    "adding a node_load column");
}

void insert_nodes(Db& db, std::int64_t run_id, const RunRecord& run) {
    add_node_load_columns(db);
    Statement st(db,
                 "INSERT INTO node_load (run_id, node, address, datacenter, rack, requests, replica_ops, hints_stored, "
                 "hints_replayed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    for (const auto& n : run.nodes) {
        st.bind(1, run_id);
        st.bind(2, n.node);
        st.bind(3, n.address);
        st.bind(4, n.datacenter);
        st.bind(5, n.rack);
        st.bind(6, to_db(n.requests_coordinated, db, "node requests"));
        st.bind(7, to_db(n.replica_ops, db, "node replica_ops"));
        st.bind(8, to_db(n.hints_stored, db, "node hints_stored"));
        st.bind(9, to_db(n.hints_replayed, db, "node hints_replayed"));
        st.run();
    }
}

void insert_faults(Db& db, std::int64_t run_id, const RunRecord& run) {
    Statement st(db, "INSERT INTO fault_events (run_id, seq, start_s, end_s, description) VALUES (?1, ?2, ?3, ?4, ?5)");
    std::int64_t seq = 0;
    for (const auto& f : run.faults) {
        st.bind(1, run_id);
        st.bind(2, seq++);
        st.bind(3, f.start_s);
        st.bind(4, f.end_s);
        st.bind(5, f.description);
        st.run();
    }
}

void insert_affinity(Db& db, std::int64_t run_id, const RunRecord& run) {
    if (run.affinity.keyed_requests == 0) return;
    Statement st(db, "INSERT INTO session_affinity (run_id, sessions, keyed_requests, same_node, moved) VALUES (?1, ?2, ?3, ?4, ?5)");
    st.bind(1, run_id);
    st.bind(2, to_db(run.affinity.sessions, db, "sessions"));
    st.bind(3, to_db(run.affinity.keyed_requests, db, "keyed_requests"));
    st.bind(4, to_db(run.affinity.same_node, db, "same_node"));
    st.bind(5, to_db(run.affinity.moved, db, "moved"));
    st.run();
}

void insert_clients(Db& db, std::int64_t run_id, const RunRecord& run) {
    Statement st(db,
                 "INSERT INTO client_load (run_id, client, datacenter, rack, address, requests, completed, errors, timeouts, "
                 "aborted, sessions, first_request_s, last_request_s, p50_ns, p99_ns, p999_ns, max_ns) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
    for (const auto& c : run.clients) {
        st.bind(1, run_id);
        st.bind(2, c.client);
        st.bind(3, c.datacenter);
        st.bind(4, c.rack);
        st.bind(5, c.address);
        st.bind(6, to_db(c.requests, db, "client requests"));
        st.bind(7, to_db(c.completed, db, "client completed"));
        st.bind(8, to_db(c.errors, db, "client errors"));
        st.bind(9, to_db(c.timeouts, db, "client timeouts"));
        st.bind(10, to_db(c.aborted, db, "client aborted"));
        st.bind(11, to_db(c.sessions, db, "client sessions"));
        st.bind(12, c.first_request_s);
        st.bind(13, c.last_request_s);
        st.bind(14, c.latency_ns.quantile(0.5));
        st.bind(15, c.latency_ns.quantile(0.99));
        st.bind(16, c.latency_ns.quantile(0.999));
        st.bind(17, c.latency_ns.max());
        st.run();
    }
}

void insert_histogram(Db& db, std::int64_t run_id, const RunRecord& run) {
    Statement st(db, "INSERT INTO latency_histogram (run_id, upper_ns, count) VALUES (?1, ?2, ?3)");
    for (const auto& [upper_ns, count] : run.latency_ns.buckets()) {
        st.bind(1, run_id);
        st.bind(2, upper_ns);
        st.bind(3, to_db(count, db, "histogram count"));
        st.run();
    }
}

}  // namespace

std::int64_t write_run(const std::string& db_path, const RunRecord& run) {
    Db db(db_path, Db::Mode::read_write_create);
    detail::Transaction tx(db);
    db.exec(detail::schema_sql, "creating the schema");
    const std::int64_t run_id = insert_run(db, run);
    insert_windows(db, run_id, run);
    insert_nodes(db, run_id, run);
    insert_faults(db, run_id, run);
    insert_affinity(db, run_id, run);
    insert_clients(db, run_id, run);
    insert_histogram(db, run_id, run);
    detail::insert_checks(db, run_id, run);
    detail::insert_window_breakdowns(db, run_id, run);
    detail::insert_source(db, run_id, run);
    detail::insert_trace_checkpoints(db, run_id, run);
    detail::insert_driver_view(db, run_id, run);
    tx.commit();
    return run_id;
}

}  // namespace routelab::results
