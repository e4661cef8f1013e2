#include "sim/results/checks_tables.hpp"

#include "sim/results/sqlite_reader.hpp"

namespace routelab::results::detail {

void insert_checks(Db& db, std::int64_t run_id, const RunRecord& run) {
    Statement st(db,
                 "INSERT INTO checks (run_id, seq, name, label, scope, client, verdict, measure, value, limit_value, "
                 "value_text, limit_text, detail, first_at_s, first_request, first_node) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
    std::int64_t seq = 0;
    for (const auto& c : run.checks) {
        st.bind(1, run_id);
        st.bind(2, seq++);
        st.bind(3, c.name);
        st.bind(4, c.label);
        st.bind(5, c.scope);
        st.bind(6, c.client);
        st.bind(7, std::string_view(c.passed ? "pass" : "fail"));
        st.bind(8, c.measure);
        st.bind(9, c.value);
        st.bind(10, c.limit);
        st.bind(11, c.value_text);
        st.bind(12, c.limit_text);
        st.bind(13, c.detail);
        if (c.first_at_s) st.bind(14, *c.first_at_s);
        else st.bind_null(14);
        if (c.first_request) st.bind(15, to_db(*c.first_request, db, "first_request"));
        else st.bind_null(15);
        if (c.first_at_s) st.bind(16, c.first_node);
        else st.bind_null(16);
        st.run();
    }
}

void insert_window_breakdowns(Db& db, std::int64_t run_id, const RunRecord& run) {
    {
        Statement st(db, "INSERT INTO window_errors (run_id, start_s, kind, requests) VALUES (?1, ?2, ?3, ?4)");
        for (const auto& w : run.window_errors) {
            st.bind(1, run_id);
            st.bind(2, w.start_s);
            st.bind(3, w.kind);
            st.bind(4, to_db(w.requests, db, "window_errors requests"));
            st.run();
        }
    }
    {
        Statement st(db, "INSERT INTO window_node_load (run_id, start_s, node, attempts, answered) VALUES (?1, ?2, ?3, ?4, ?5)");
        for (const auto& w : run.window_node_load) {
            st.bind(1, run_id);
            st.bind(2, w.start_s);
            st.bind(3, w.node);
            st.bind(4, to_db(w.attempts, db, "window_node_load attempts"));
            st.bind(5, to_db(w.answered, db, "window_node_load answered"));
            st.run();
        }
    }
    {
        Statement st(db,
                     "INSERT INTO window_attempts (run_id, start_s, requests, attempts, retries, speculative, in_flight_max) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        for (const auto& w : run.window_attempts) {
            st.bind(1, run_id);
            st.bind(2, w.start_s);
            st.bind(3, to_db(w.requests, db, "window_attempts requests"));
            st.bind(4, to_db(w.attempts, db, "window_attempts attempts"));
            st.bind(5, to_db(w.retries, db, "window_attempts retries"));
            st.bind(6, to_db(w.speculative, db, "window_attempts speculative"));
            st.bind(7, to_db(w.in_flight_max, db, "window_attempts in_flight_max"));
            st.run();
        }
    }
    {
        Statement st(db, "INSERT INTO window_plan_positions (run_id, start_s, position, requests) VALUES (?1, ?2, ?3, ?4)");
        for (const auto& w : run.window_plan_positions) {
            st.bind(1, run_id);
            st.bind(2, w.start_s);
            st.bind(3, std::int64_t{w.position});
            st.bind(4, to_db(w.requests, db, "window_plan_positions requests"));
            st.run();
        }
    }
}

}  // namespace routelab::results::detail

namespace routelab::results {

std::vector<CheckRecord> read_checks(const std::string& db_path, std::int64_t run_id) {
    detail::Db db(db_path, detail::Db::Mode::read_only);
    detail::Statement st(db,
                         "SELECT name, label, scope, client, verdict, measure, value, limit_value, value_text, limit_text, "
                         "detail, first_at_s, first_request, first_node FROM checks WHERE run_id = ?1 ORDER BY seq");
    st.bind(1, run_id);
    std::vector<CheckRecord> out;
    while (st.next_row()) {
        CheckRecord c;
        c.name = st.column_text(0);
        c.label = st.column_text(1);
        c.scope = st.column_text(2);
        c.client = st.column_text(3);
        c.passed = st.column_text(4) == "pass";
        c.measure = st.column_text(5);
        c.value = st.column_double(6);
        c.limit = st.column_double(7);
        c.value_text = st.column_text(8);
        c.limit_text = st.column_text(9);
        c.detail = st.column_text(10);
        if (!st.column_is_null(11)) c.first_at_s = st.column_double(11);
        if (!st.column_is_null(12)) c.first_request = static_cast<std::uint64_t>(st.column_int(12));
        if (!st.column_is_null(13)) c.first_node = st.column_text(13);
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace routelab::results
