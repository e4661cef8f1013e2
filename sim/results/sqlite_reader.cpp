#include "sim/results/sqlite_reader.hpp"

#include "sim/results/sqlite_db.hpp"

namespace routelab::results {
namespace {

using detail::Db;
using detail::Statement;

std::uint64_t u64(std::int64_t v) { return static_cast<std::uint64_t>(v); }

}  // namespace

RunRow read_run(const std::string& db_path, std::int64_t run_id) {
    Db db(db_path, Db::Mode::read_only);
    Statement st(db,
                 "SELECT run_id, scenario_name, scenario_path, scenario_hash, build, policy, seed, "
                 "trace_hash, trace_events, events_run, simulated_s, wall_s, requests, completed, "
                 "errors, timeouts, lost, verdict, p50_ns, p99_ns, p999_ns, max_ns "
                 "FROM runs WHERE run_id = ?1");
    st.bind(1, run_id);
    if (!st.next_row()) {
        throw ResultsError(db_path + ": no run with run_id " + std::to_string(run_id));
    }
    RunRow r;
    r.run_id = st.column_int(0);
    r.scenario_name = st.column_text(1);
    r.scenario_path = st.column_text(2);
    r.scenario_hash = st.column_text(3);
    r.build = st.column_text(4);
    r.policy = st.column_text(5);
    r.seed = u64(st.column_int(6));
    r.trace_hash = st.column_text(7);
    r.trace_events = u64(st.column_int(8));
    r.events_run = u64(st.column_int(9));
    r.simulated_s = st.column_double(10);
    r.wall_s = st.column_double(11);
    r.requests = u64(st.column_int(12));
    r.completed = u64(st.column_int(13));
    r.errors = u64(st.column_int(14));
    r.timeouts = u64(st.column_int(15));
    r.lost = u64(st.column_int(16));
    r.verdict = st.column_text(17);
    r.p50_ns = st.column_int(18);
    r.p99_ns = st.column_int(19);
    r.p999_ns = st.column_int(20);
    r.max_ns = st.column_int(21);
    return r;
}

std::int64_t read_latest_run_id(const std::string& db_path) {
    Db db(db_path, Db::Mode::read_only);
    Statement st(db, "SELECT MAX(run_id) FROM runs");
    if (!st.next_row() || st.column_int(0) == 0) throw ResultsError(db_path + ": no runs stored");
    return st.column_int(0);
}

std::vector<Window> read_windows(const std::string& db_path, std::int64_t run_id) {
    Db db(db_path, Db::Mode::read_only);
    Statement st(db,
                 "SELECT start_s, requests, errors, timeouts, p50_ns, p90_ns, p99_ns, p999_ns, max_ns "
                 "FROM windows WHERE run_id = ?1 ORDER BY start_s");
    st.bind(1, run_id);
    std::vector<Window> out;
    while (st.next_row()) {
        Window w;
        w.start_s = st.column_double(0);
        w.requests = u64(st.column_int(1));
        w.errors = u64(st.column_int(2));
        w.timeouts = u64(st.column_int(3));
        w.p50_ns = st.column_int(4);
        w.p90_ns = st.column_int(5);
        w.p99_ns = st.column_int(6);
        w.p999_ns = st.column_int(7);
        w.max_ns = st.column_int(8);
        out.push_back(w);
    }
    return out;
}

std::vector<NodeLoad> read_node_load(const std::string& db_path, std::int64_t run_id) {
    Db db(db_path, Db::Mode::read_only);
    Statement st(db,
                 "SELECT node, address, datacenter, rack, requests, replica_ops, hints_stored, hints_replayed FROM node_load "
                 "WHERE run_id = ?1 ORDER BY rowid");
    st.bind(1, run_id);
    std::vector<NodeLoad> out;
    while (st.next_row()) {
        out.push_back(NodeLoad{st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3),
                               u64(st.column_int(4)), u64(st.column_int(5)), u64(st.column_int(6)), u64(st.column_int(7))});
    }
    return out;
}

std::vector<FaultWindow> read_faults(const std::string& db_path, std::int64_t run_id) {
    Db db(db_path, Db::Mode::read_only);
    Statement st(db, "SELECT start_s, end_s, description FROM fault_events WHERE run_id = ?1 ORDER BY seq");
    st.bind(1, run_id);
    std::vector<FaultWindow> out;
    while (st.next_row()) out.push_back(FaultWindow{st.column_double(0), st.column_double(1), st.column_text(2)});
    return out;
}

std::vector<ClientLoadRow> read_client_load(const std::string& db_path, std::int64_t run_id) {
    Db db(db_path, Db::Mode::read_only);
    Statement st(db,
                 "SELECT client, datacenter, rack, address, requests, completed, errors, timeouts, aborted, sessions, "
                 "first_request_s, last_request_s, p50_ns, p99_ns, p999_ns, max_ns FROM client_load WHERE run_id = ?1 ORDER BY rowid");
    st.bind(1, run_id);
    std::vector<ClientLoadRow> out;
    while (st.next_row()) {
        ClientLoadRow r;
        r.client = st.column_text(0);
        r.datacenter = st.column_text(1);
        r.rack = st.column_text(2);
        r.address = st.column_text(3);
        r.requests = u64(st.column_int(4));
        r.completed = u64(st.column_int(5));
        r.errors = u64(st.column_int(6));
        r.timeouts = u64(st.column_int(7));
        r.aborted = u64(st.column_int(8));
        r.sessions = u64(st.column_int(9));
        r.first_request_s = st.column_double(10);
        r.last_request_s = st.column_double(11);
        r.p50_ns = st.column_int(12);
        r.p99_ns = st.column_int(13);
        r.p999_ns = st.column_int(14);
        r.max_ns = st.column_int(15);
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<std::pair<std::int64_t, std::uint64_t>> read_latency_histogram(const std::string& db_path,
                                                                            std::int64_t run_id) {
    Db db(db_path, Db::Mode::read_only);
    Statement st(db,
                 "SELECT upper_ns, count FROM latency_histogram WHERE run_id = ?1 ORDER BY upper_ns");
    st.bind(1, run_id);
    std::vector<std::pair<std::int64_t, std::uint64_t>> out;
    while (st.next_row()) out.emplace_back(st.column_int(0), u64(st.column_int(1)));
    return out;
}

}  // namespace routelab::results
