#include "sim/runner/client.hpp"

#include <algorithm>
#include <cmath>

#include "driver/session/pager.hpp"
#include "mock_cluster/coordinator/consistency.hpp"
#include "sim/net/endpoint.hpp"
#include "sim/runner/client_workload.hpp"
#include "sim/runner/session_factory.hpp"

namespace routelab::runner {
namespace {

sim::Duration seconds(double s) { return sim::Duration::from_ns(static_cast<std::int64_t>(std::llround(s * 1e9))); }

routelab::cql::Consistency consistency_of(const std::string& name) {
    return static_cast<routelab::cql::Consistency>(cluster::consistency_from_name(name).value_or(cluster::Consistency::one));
}

void put_bigint(routelab::cql::Value& value, std::int64_t v) {
    value.kind = routelab::cql::Value::Kind::bytes;
    value.bytes.resize(8);
    for (int i = 0; i < 8; ++i) value.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (56 - 8 * i));
}

void put_int(routelab::cql::Value& value, std::int64_t v) {
    value.kind = routelab::cql::Value::Kind::bytes;
    value.bytes.resize(4);
    for (int i = 0; i < 4; ++i) value.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (24 - 8 * i));
}

// A deterministic payload derived from the request, `size` bytes long.
void put_payload(routelab::cql::Value& value, std::uint64_t id, std::uint32_t size) {
    value.kind = routelab::cql::Value::Kind::bytes;
    value.bytes.resize(size);
    for (std::size_t i = 0; i < value.bytes.size(); ++i) value.bytes[i] = static_cast<std::uint8_t>((id + i) & 0xff);
    // The first 8 bytes carry the id, so a read tells which write it returned (read_your_writes).
    for (std::size_t i = 0; i < 8 && i < value.bytes.size(); ++i) value.bytes[i] = static_cast<std::uint8_t>(id >> (56 - 8 * i));
}

// The value id a read returned: the first 8 bytes of v; none without a row.
std::optional<std::uint64_t> read_value(const driver::RequestResult& result) {
    if (result.outcome != driver::RequestOutcome::ok || result.response == nullptr ||
        result.response->kind != routelab::cql::ResponseView::Kind::rows || result.response->rows.row_count() == 0)
        return std::nullopt;
    auto cells = result.response->rows.cells();
    const auto cell = cells.next();
    if (!cell || cell->size() < 8) return std::nullopt;
    std::uint64_t id = 0;
    for (std::size_t i = 0; i < 8; ++i) id = (id << 8) | (*cell)[i];
    return id;
}

// "1.5 s" rather than "1.500000 s".
std::string seconds_text(double s) {
    std::string text = std::to_string(s);
    while (text.size() > 1 && text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    return text + " s";
}


}  // namespace

Client::Client(ClientEnv env, scenario::ClientSpec spec, std::uint32_t ip, std::string streams, std::uint64_t id_base)
    : env_(env), spec_(std::move(spec)), ip_(ip), streams_(std::move(streams)), id_base_(id_base) {
    // Only a client the scenario pauses runs its timers and connections through the
    // pausable wrappers (client_pause.hpp); the others' events stay exactly as they were.
    for (const auto& f : env_.scenario.faults)
        if (f.action == scenario::FaultSpec::Action::client_pause && f.client == spec_.name && !pausable_) {
            pausable_ = std::make_unique<PausableScheduler>(env_.scheduler);
            pausable_network_ = std::make_unique<PausableNetwork>(env_.driver_network, *pausable_);
            timers_ = pausable_.get();
            network_ = pausable_network_.get();
        }
    ops_ = operation_mix(spec_.workload);
    // One prepared statement per distinct query text; each mix entry names its own. They are
    // prepared in the order of their kinds (reads, writes, paged reads, row writes, LWTs).
    const auto& s = env_.scenario;
    std::vector<std::pair<int, std::string>> texts;   // (kind rank, query) by mix entry
    for (const auto& op : ops_) {
        const auto ks = scenario::find_keyspace(s.cluster, !op.keyspace.empty() ? op.keyspace : spec_.workload.keyspace);
        const std::string kv = ks->name + "." + ks->table;
        const std::string rows = ks->name + "." + ks->clustered_table;
        using K = scenario::OperationKind;
        switch (op.kind) {
            case K::read: texts.emplace_back(0, "SELECT v FROM " + kv + " WHERE k = ?"); break;
            case K::write: texts.emplace_back(1, "INSERT INTO " + kv + " (k, v) VALUES (?, ?)"); break;
            case K::paged_read: texts.emplace_back(2, "SELECT c, v FROM " + rows + " WHERE k = ?"); break;
            case K::row_write: texts.emplace_back(3, "INSERT INTO " + rows + " (k, c, v) VALUES (?, ?, ?)"); break;
            case K::lwt_insert: texts.emplace_back(4, "INSERT INTO " + kv + " (k, v) VALUES (?, ?) IF NOT EXISTS"); break;
            case K::lwt_update: texts.emplace_back(5, "UPDATE " + kv + " SET v = ? WHERE k = ? IF EXISTS"); break;
            case K::batch:
                if (op.rows) texts.emplace_back(3, "INSERT INTO " + rows + " (k, c, v) VALUES (?, ?, ?)");
                else texts.emplace_back(1, "INSERT INTO " + kv + " (k, v) VALUES (?, ?)");
                break;
        }
    }
    auto ordered = texts;
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [rank, query] : ordered)
        if (std::find(queries_.begin(), queries_.end(), query) == queries_.end()) queries_.push_back(query);
    for (const auto& [rank, query] : texts)
        op_statement_.push_back(static_cast<std::uint16_t>(std::find(queries_.begin(), queries_.end(), query) - queries_.begin()));
    statements_.assign(queries_.size(), nullptr);
    generator_ = make_generator(spec_.workload, ops_, *timers_, env_.rng, streams_, *this);
    // Windows of issuing: from the start (or a restart's return) to the next restart, the stop or the end.
    double up = spec_.start_s;
    for (const auto& r : spec_.restarts) {
        windows_.push_back({up, r.at_s, true});
        up = r.at_s + r.down_s;
    }
    windows_.push_back({up, spec_.stop_s.value_or(spec_.workload.duration_s), spec_.stop_s.has_value()});
    // A client that starts with the run has its first session from the start (and any
    // policy error is known before the run).
    if (starts_with_the_run()) create_session();
}

Client::~Client() = default;

void Client::set_paused(bool paused) {
    if (!pausable_ || pausable_->paused() == paused) return;
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, paused ? 29 : 30, ip_);
    if (paused) {
        pausable_->pause();
        pausable_network_->pause();
    } else {
        pausable_->resume();
        pausable_network_->resume();
    }
}

std::string Client::stream(const std::string& name, std::uint32_t incarnation) const {
    if (incarnation == 0) return streams_ + name;
    return streams_ + "restart" + std::to_string(incarnation) + "/" + name;
}

void Client::open(std::function<void(const std::string& error)> ready) { connect_session(std::move(ready)); }

void Client::create_session() {
    const auto incarnation = static_cast<std::uint32_t>(sessions_.size());
    auto config = make_session_config(env_.scenario, spec_.driver, env_.cluster, env_.rng, stream("", incarnation),
                                      [this, incarnation](const driver::Target& t) {
                                          return incarnation < sessions_.size() ? sessions_[incarnation]->in_flight(t) : 0U;
                                      },
                                      setup_error_);
    config.on_node_state = [this](driver::NodeIndex node, const net::Endpoint& address, bool up) {
        if (env_.facts.wants(checks::FactKind::node_marked)) env_.facts.publish(checks::NodeMarked{env_.scheduler.now(), node, address, up, spec_.name});
    };
    if (env_.adjust_session) env_.adjust_session(config);
    sessions_.push_back(std::make_unique<driver::Session>(
        driver::Env{*timers_, *network_, env_.trace, env_.rng.stream(stream("driver", incarnation)), ip_}, std::move(config)));
    build_options(*sessions_.back());
    statements_.assign(queries_.size(), nullptr);
    ready_ = false;
}

void Client::connect_session(std::function<void(const std::string& error)> ready) {
    const auto incarnation = static_cast<std::uint32_t>(sessions_.size() - 1);
    sessions_.back()->connect([this, incarnation, ready = std::move(ready)](bool ok) {
        if (sessions_[incarnation]->closed()) return;   // stopped while connecting
        if (!ok) return ready("the driver could not connect to any node");
        ++sessions_connected_;
        prepare_from(0, incarnation, ready);
    });
}

void Client::prepare_from(std::size_t next, std::uint32_t incarnation, std::function<void(const std::string& error)> ready) {
    if (next == queries_.size()) return ready("");
    sessions_[incarnation]->prepare(queries_[next], [this, next, incarnation, ready](driver::PreparedPtr statement, const routelab::cql::Error* error) {
        if (sessions_[incarnation]->closed()) return;
        if (!statement)
            return ready("PREPARE of \"" + queries_[next] + "\" failed: " + (error ? error->message : std::string("unknown")));
        statements_[next] = std::move(statement);
        prepare_from(next + 1, incarnation, ready);
    });
}

void Client::build_options(driver::Session& session) {
    options_.clear();
    const auto& w = spec_.workload;
    for (const auto& op : ops_) {
        driver::RequestOptions o;
        o.consistency = consistency_of(op.consistency.empty() ? w.consistency : op.consistency);
        const std::string& profile = op.profile.empty() ? w.profile : op.profile;
        if (!profile.empty() && profile != "default") {
            o.profile = session.profile(profile);
            // A profile that sets a consistency level decides it, unless the operation sets its own.
            if (o.profile && o.profile->consistency && op.consistency.empty()) o.consistency.reset();
        }
        if (!op.serial_consistency.empty()) o.serial_consistency = consistency_of(op.serial_consistency);
        const bool lwt = op.kind == scenario::OperationKind::lwt_insert || op.kind == scenario::OperationKind::lwt_update;
        o.idempotent = op.idempotent.value_or(!lwt);
        if (op.kind == scenario::OperationKind::paged_read) o.page_size = op.page_size;
        o.preferred_dc = op.prefer_dc;
        o.preferred_rack = op.prefer_rack;
        options_.push_back(std::move(o));
    }
}

void Client::begin(sim::Time origin) {
    origin_ = origin;
    for (std::size_t i = 0; i < windows_.size(); ++i) {
        if (i == 0 && starts_with_the_run()) start_window(0);
        else timers_->at(origin_ + seconds(windows_[i].up_s), [this, i] { open_window(i); });
        if (windows_[i].closes) timers_->at(origin_ + seconds(windows_[i].down_s), [this, i] { close_window(i); });
    }
}

void Client::open_window(std::size_t index) {
    create_session();
    connecting_since_s_ = windows_[index].up_s;
    connect_session([this, index](const std::string& error) {
        connecting_since_s_.reset();
        if (error.empty()) return start_window(index);
        late_errors_.push_back("client " + spec_.name + " could not start at " + seconds_text(windows_[index].up_s) + ": " + error);
    });
}

void Client::start_window(std::size_t index) {
    const sim::Time until = origin_ + seconds(windows_[index].down_s);
    if (env_.scheduler.now() >= until) return;   // connecting took the whole window
    ready_ = true;
    generator_->start(origin_, until);
}

void Client::close_window(std::size_t) {
    generator_->stop();
    connecting_since_s_.reset();   // closed before it was ready: nothing more to wait for
    ready_ = false;
    driver::Session* session = sessions_.back().get();
    if (spec_.drain_s <= 0) return session->close();
    timers_->after(seconds(spec_.drain_s), [session] { session->close(); });
}

std::vector<std::string> Client::late_errors() const {
    std::vector<std::string> out = late_errors_;
    if (connecting_since_s_)
        out.push_back("client " + spec_.name + " opened a session at " + seconds_text(*connecting_since_s_) +
                      " that was still connecting at the end of the run");
    return out;
}

double Client::active_until_s() const {
    const Window& last = windows_.back();
    return last.down_s + (last.closes ? spec_.drain_s : 0.0);
}

sim::Duration Client::request_timeout() const { return sim::Duration::from_ms(spec_.driver.request_timeout_ms); }

void Client::encode_values(const workload::WorkloadRequest& r, bool with_row, bool with_value, bool value_first) {
    values_.resize(1U + (with_row ? 1U : 0U) + (with_value ? 1U : 0U));
    std::size_t at = 0;
    if (value_first) put_payload(values_[at++], id_base_ + r.id, r.value_bytes);
    put_bigint(values_[at++], r.key);
    if (with_row) put_int(values_[at++], r.row);
    if (with_value && !value_first) put_payload(values_[at++], id_base_ + r.id, r.value_bytes);
}

void Client::issue(const workload::WorkloadRequest& request) {
    env_.run_metrics.on_issued();
    ++issued_;
    ++in_flight_;
    first_issue_ = std::min(first_issue_, request.issued_at);
    last_issue_ = request.issued_at;
    const auto incarnation = static_cast<std::uint32_t>(sessions_.size() - 1);
    driver::Session& session = *sessions_.back();
    driver::RequestOptions& options = options_[request.mix_index];
    if (spec_.workload.sessions > 0) {
        options.session_key.assign("s");
        options.session_key += std::to_string(request.key % spec_.workload.sessions);
    }
    const InFlight in_flight{request.issued_at, id_base_ + request.id, request.key, request.user, incarnation,
                             static_cast<std::uint16_t>(request.mix_index)};
    if (env_.facts.wants(checks::FactKind::request_issued))
        env_.facts.publish(checks::RequestIssued{in_flight.id, request.issued_at, spec_.name, is_write(in_flight.mix), options.idempotent,
                                                 request.key, spec_.workload.sessions > 0 ? request.key % spec_.workload.sessions : -1});
    auto done = [this, in_flight](const driver::RequestResult& result) { ended(in_flight, result); };
    using workload::Operation;
    switch (request.operation) {
        case Operation::read:
            encode_values(request, false, false, false);
            return session.execute(statements_[op_statement_[request.mix_index]], values_, options, done);
        case Operation::write:
            encode_values(request, false, true, false);
            return session.execute(statements_[op_statement_[request.mix_index]], values_, options, done);
        case Operation::lwt_insert:
            encode_values(request, false, true, false);
            return session.execute(statements_[op_statement_[request.mix_index]], values_, options, done);
        case Operation::lwt_update:
            encode_values(request, false, true, true);
            return session.execute(statements_[op_statement_[request.mix_index]], values_, options, done);
        case Operation::row_write:
            encode_values(request, true, true, false);
            return session.execute(statements_[op_statement_[request.mix_index]], values_, options, done);
        case Operation::paged_read: {
            encode_values(request, false, false, false);
            // One operation, however many pages: it ends with the last page (or the first failed one).
            return driver::fetch_all_pages(session, statements_[op_statement_[request.mix_index]], values_, options,
                                           [this](const routelab::cql::RowsView& page) {
                                               ++pages_read_;
                                               rows_read_ += page.row_count();
                                           },
                                           [this, in_flight](const driver::RequestResult& last, int) { ended(in_flight, last); });
        }
        case Operation::batch: {
            const auto& op = ops_[request.mix_index];
            const auto n = static_cast<std::size_t>(op.statements);
            batch_.resize(n);
            for (std::size_t i = 0; i < n; ++i) {
                auto& entry = batch_[i];
                entry.statement = statements_[op_statement_[request.mix_index]];
                entry.values.resize(op.rows ? 3 : 2);
                if (op.rows) {
                    put_bigint(entry.values[0], request.key);
                    put_int(entry.values[1], (request.row + static_cast<std::int64_t>(i)) % spec_.workload.rows_per_partition);
                } else {
                    put_bigint(entry.values[0], i == 0 ? request.key : request.more_keys[i - 1]);
                }
                put_payload(entry.values.back(), id_base_ + request.id + i, request.value_bytes);
            }
            return session.execute_batch(batch_, op.logged ? routelab::cql::BatchType::logged : routelab::cql::BatchType::unlogged,
                                         options, done);
        }
    }
}

bool Client::is_write(std::uint16_t mix) const { return ops_[mix].kind == scenario::OperationKind::write; }

void Client::publish_ended(const InFlight& request, const driver::RequestResult& result) {
    if (!env_.facts.wants(checks::FactKind::request_ended)) return;
    checks::RequestEnded f;
    f.request = request.id;
    f.client = spec_.name;
    f.write = is_write(request.mix);
    f.plain_read = ops_[request.mix].kind == scenario::OperationKind::read;
    f.idempotent = options_[request.mix].idempotent;
    f.key = request.key;
    f.session = spec_.workload.sessions > 0 ? request.key % spec_.workload.sessions : -1;
    f.issued = request.issued;
    f.ended = env_.scheduler.now();
    f.error = checks::error_kind_of(result.outcome, result.error_code);
    f.attempts = result.attempts;
    f.history = result.history;
    f.plan = result.plan;
    f.cluster = result.cluster;
    f.routing = result.routing;
    if (f.ok() && result.node) {
        f.answered = result.node;
        for (std::size_t i = 0; i < f.plan.size(); ++i)
            if (f.plan[i].node == *result.node) {
                f.answered_position = static_cast<int>(i);
                break;
            }
    }
    // Only plain reads and writes of the key-value table carry value ids checkers compare.
    if (env_.facts.wants(checks::FactKind::read_values)) {
        if (f.write) f.value = request.id;
        else if (ops_[request.mix].kind == scenario::OperationKind::read) f.value = read_value(result);
    }
    env_.facts.publish(f);
}

void Client::ended(const InFlight& request, const driver::RequestResult& result) {
    const sim::Time issued = request.issued;
    const std::uint32_t user = request.user;
    const std::uint32_t incarnation = request.incarnation;
    --in_flight_;
    ++ended_;
    Outcome outcome = Outcome::ok;
    if (result.outcome == driver::RequestOutcome::timeout) outcome = Outcome::timeout;
    else if (result.outcome != driver::RequestOutcome::ok) outcome = Outcome::error;
    const sim::Time now = env_.scheduler.now();
    env_.run_metrics.on_ended(issued, now, outcome);
    if (outcome == Outcome::ok) latency_ns_.record((now - issued).ns());
    else ++errors_;
    if (outcome == Outcome::timeout) ++timeouts_;
    // What a closed session ended (its requests in flight at close()) was aborted by the client.
    if (result.outcome == driver::RequestOutcome::connection_lost && sessions_[incarnation]->closed()) ++aborted_;
    publish_ended(request, result);
    generator_->completed(user);
}

results::ClientLoad Client::report() const {
    results::ClientLoad load;
    load.client = spec_.name;
    load.datacenter = spec_.datacenter;
    load.rack = spec_.rack;
    load.address = net::format_ipv4(ip_);
    load.requests = issued_;
    load.completed = ended_ - errors_;
    load.errors = errors_;
    load.timeouts = timeouts_;
    load.aborted = aborted_;
    load.sessions = sessions_connected_;
    if (issued_ > 0) {
        load.first_request_s = (first_issue_ - origin_).seconds();
        load.last_request_s = (last_issue_ - origin_).seconds();
    }
    load.latency_ns = latency_ns_;
    return load;
}

}  // namespace routelab::runner
