#include "sim/scenario/clients_spec.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "sim/scenario/clients.hpp"
#include "sim/scenario/driver_fields.hpp"
#include "sim/scenario/nodes.hpp"
#include "sim/scenario/workload_spec.hpp"
#include "sim/scenario/keyspaces_spec.hpp"

namespace routelab::scenario::detail {
namespace {

constexpr double max_requests = 1e9;

std::string indexed(const std::string& base, std::size_t i) { return base + "[" + std::to_string(i) + "]"; }

std::string number(double x) {
    std::string s = std::to_string(x);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

std::string seconds(double x) { return number(x) + " s"; }

bool boolean(const Context& ctx, const toml::value& v, const std::string& field) {
    if (!v.is_boolean()) fail(ctx, line_of(v), field, "expected true or false, got " + describe(v));
    return v.as_boolean();
}

// A client's `driver` table: [driver]'s settings it changes. Policies given with a name
// replace [driver]'s (and their options); options without a name are merged key by key,
// as in profiles.
void read_driver_overrides(const Context& ctx, const toml::value& v, const std::string& p, DriverSpec& d) {
    const auto& t = expect_table(ctx, v, p);
    ctx.locations->set(p, line_of(t));
    check_keys(ctx, t, p,
               {"policy", "policy_options", "retry", "retry_options", "speculative", "speculative_options", "request_timeout_ms",
                "connections_per_node", "connections_per_shard", "compression", "shard_aware_port", "client_timestamps",
                "session_key_payload", "heartbeat_interval_s", "heartbeat_timeout_s", "connect_timeout_ms"});
    read_connection_timeouts(ctx, t, p, d);
    ProfileSpec overlay;
    if (const auto* x = find(ctx, t, p, "policy")) overlay.policy = expect_name(ctx, *x, p + ".policy");
    if (const auto* x = find(ctx, t, p, "retry")) overlay.retry = expect_name(ctx, *x, p + ".retry");
    if (const auto* x = find(ctx, t, p, "speculative")) overlay.speculative = expect_name(ctx, *x, p + ".speculative");
    overlay.policy_options = option_map(ctx, t, p, "policy_options");
    overlay.retry_options = option_map(ctx, t, p, "retry_options");
    overlay.speculative_options = option_map(ctx, t, p, "speculative_options");
    if (find(ctx, t, p, "request_timeout_ms")) overlay.request_timeout_ms = integer_or(ctx, t, p, "request_timeout_ms", 1, 86'400'000, 0);
    d = with_profile(d, overlay);
    d.connections_per_node = static_cast<int>(integer_or(ctx, t, p, "connections_per_node", 1, 64, d.connections_per_node));
    d.connections_per_shard = static_cast<int>(integer_or(ctx, t, p, "connections_per_shard", 1, 64, d.connections_per_shard));
    if (const auto* x = find(ctx, t, p, "compression")) {
        d.compression = expect_string(ctx, *x, p + ".compression");
        if (d.compression != "none" && d.compression != "lz4")
            fail(ctx, line_of(*x), p + ".compression", "expected \"none\" or \"lz4\", got \"" + d.compression + "\"");
    }
    if (const auto* x = find(ctx, t, p, "shard_aware_port")) d.shard_aware_port = boolean(ctx, *x, p + ".shard_aware_port");
    if (const auto* x = find(ctx, t, p, "client_timestamps")) d.client_timestamps = boolean(ctx, *x, p + ".client_timestamps");
    d.session_key_payload = string_or(ctx, t, p, "session_key_payload", d.session_key_payload);
    check_driver_policies(ctx, t, d, p);
}

std::vector<RestartSpec> read_restarts(const Context& ctx, const toml::value& v, const std::string& field) {
    const auto& list = expect_array(ctx, v, field);
    if (list.size() > 1000) fail(ctx, line_of(v), field, "expected at most 1000 restarts, got " + std::to_string(list.size()));
    std::vector<RestartSpec> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string p = indexed(field, i);
        const auto& t = expect_table(ctx, list[i], p);
        ctx.locations->set(p, line_of(t));
        check_keys(ctx, t, p, {"at_s", "down_s"});
        RestartSpec r;
        r.at_s = expect_time(ctx, require(ctx, t, p, "at_s"), p + ".at_s", NumberRule::positive);
        r.down_s = time_or(ctx, t, p, "down_s", NumberRule::non_negative, 0);
        out.push_back(r);
    }
    return out;
}

// Start, stop, drain and restarts against each other and the client's workload.
void check_times(const Context& ctx, const std::string& p, const ClientSpec& c) {
    const auto line = [&](const std::string& key) { return ctx.locations->line_of(p + "." + key); };
    const double end = c.workload.duration_s;
    const std::string end_text = "its workload's duration_s = " + seconds(end);
    if (c.start_s >= end) fail(ctx, line("start_s"), p + ".start_s", "starts at " + seconds(c.start_s) + ", not before the end of " + end_text);
    if (c.stop_s) {
        if (!(*c.stop_s > c.start_s))
            fail(ctx, line("stop_s"), p + ".stop_s", "expected stop_s after start_s = " + seconds(c.start_s) + ", got " + seconds(*c.stop_s));
        if (*c.stop_s > end)
            fail(ctx, line("stop_s"), p + ".stop_s",
                 "stops at " + seconds(*c.stop_s) + ", after the end of " + end_text + " (leave stop_s out to run to the end)");
    }
    const double last = c.stop_s.value_or(end);
    double previous_up = c.start_s;
    for (std::size_t i = 0; i < c.restarts.size(); ++i) {
        const auto& r = c.restarts[i];
        const std::string f = indexed(p + ".restarts", i);
        if (!(r.at_s > previous_up))
            fail(ctx, ctx.locations->line_of(f + ".at_s"), f + ".at_s",
                 "expected a restart after " + seconds(previous_up) + " (the client's start or the previous restart's return), got " + seconds(r.at_s));
        if (!(r.at_s + r.down_s < last))
            fail(ctx, ctx.locations->line_of(f + ".at_s"), f + ".at_s",
                 "the client would be back at " + seconds(r.at_s + r.down_s) + ", not before it stops at " + seconds(last));
        if (r.down_s < c.drain_s)
            fail(ctx, ctx.locations->line_of(f + ".down_s"), f + ".down_s",
                 "expected down_s >= drain_s = " + seconds(c.drain_s) + " (the old session closes before the new one connects)");
        previous_up = r.at_s + r.down_s;
    }
    if (c.drain_s > 0 && !c.stop_s && c.restarts.empty())
        fail(ctx, line("drain_s"), p + ".drain_s", "applies when the client stops or restarts (set stop_s or restarts)");
}

struct Pending {
    ClientSpec client;
    std::optional<double> share;
    bool own_workload = false;
    std::string path;
};

void apply_share(WorkloadSpec& w, double share) {
    w.rate_per_s *= share;
    for (auto& step : w.schedule) step.rate *= share;
}

}  // namespace

void read_clients(const Context& ctx, const toml::value& root, Scenario& s) {
    const auto* v = find(ctx, root, "", "clients");
    if (v == nullptr) return;
    const auto& list = expect_array(ctx, *v, "clients");
    if (list.empty() || list.size() > max_clients)
        fail(ctx, line_of(*v), "clients", "expected 1 to " + std::to_string(max_clients) + " clients, got " + std::to_string(list.size()));
    std::set<std::string> datacenters;
    for (const auto& n : all_nodes(s.topology)) datacenters.insert(n.datacenter);
    std::map<std::string, std::string> names;   // name -> the entry that has it
    std::vector<Pending> pending;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string p = indexed("clients", i);
        const auto& t = expect_table(ctx, list[i], p);
        ctx.locations->set(p, line_of(t));
        check_keys(ctx, t, p, {"name", "datacenter", "rack", "start_s", "stop_s", "drain_s", "restarts", "share", "workload", "driver", "driver_profile"});
        Pending entry;
        entry.path = p;
        ClientSpec& c = entry.client;
        c.line = line_of(t);
        const auto& name = require(ctx, t, p, "name");
        c.name = expect_name(ctx, name, p + ".name");
        if (auto [it, fresh] = names.emplace(c.name, p); !fresh)
            fail(ctx, line_of(name), p + ".name", "duplicate client name \"" + c.name + "\" (also " + it->second + ")");
        c.driver = s.driver;
        std::string driver_profile;
        if (const auto* x = find(ctx, t, p, "driver_profile")) {
            driver_profile = expect_name(ctx, *x, p + ".driver_profile");
            const ProfileSpec* profile = find_profile(s.driver, driver_profile);
            if (profile == nullptr) {
                std::string known;
                for (const auto& pr : s.driver.profiles) known += (known.empty() ? "" : ", ") + pr.name;
                fail(ctx, line_of(*x), p + ".driver_profile",
                     "unknown execution profile \"" + driver_profile + "\" (known: " + (known.empty() ? "none" : known) + ")");
            }
            c.driver = with_profile(s.driver, *profile);
        }
        if (const auto* x = find(ctx, t, p, "driver")) read_driver_overrides(ctx, *x, p + ".driver", c.driver);
        if (const auto* x = find(ctx, t, p, "datacenter")) {
            c.datacenter = expect_name(ctx, *x, p + ".datacenter");
            if (datacenters.count(c.datacenter) == 0) {
                std::string known;
                for (const auto& dc : datacenters) known += (known.empty() ? "" : ", ") + dc;
                fail(ctx, line_of(*x), p + ".datacenter", "unknown datacenter \"" + c.datacenter + "\" (topology has: " + known + ")");
            }
        } else {
            c.datacenter = default_client_datacenter(s, c.driver);
        }
        if (const auto* x = find(ctx, t, p, "rack")) c.rack = expect_name(ctx, *x, p + ".rack");
        c.workload = s.workload;
        WorkloadOrigin origin;
        if (const auto* x = find(ctx, t, p, "workload")) {
            entry.own_workload = true;
            c.workload = read_workload_table(ctx, expect_table(ctx, *x, p + ".workload"), p + ".workload", s.workload, WorkloadOrigin{}, &origin);
        }
        // The profile the client's driver settings come from also decides its requests'
        // consistency, unless its own workload names a profile.
        const auto* own = entry.own_workload ? find(ctx, *find(ctx, t, p, "workload"), p + ".workload", "profile") : nullptr;
        if (!driver_profile.empty() && own == nullptr) c.workload.profile = driver_profile;
        if (!c.workload.profile.empty() && c.workload.profile != "default" && !find_profile(c.driver, c.workload.profile)) {
            const std::string field = own ? p + ".workload.profile" : std::string("workload.profile");
            fail(ctx, ctx.locations->line_of(field), field, "unknown execution profile \"" + c.workload.profile + "\"");
        }
        check_operation_profiles(ctx, c.workload, c.driver, origin.operations_path);
        check_workload_targets(ctx, c.workload, s, p + ".workload", origin.operations_path);
        if (const auto* x = find(ctx, t, p, "share")) {
            const double share = expect_number(ctx, *x, p + ".share", NumberRule::positive);
            if (share > 1) fail(ctx, line_of(*x), p + ".share", "expected a share in (0, 1], got " + describe(*x));
            if (c.workload.kind != WorkloadKind::open_loop)
                fail(ctx, line_of(*x), p + ".share", "applies to open_loop workloads (closed-loop users are per client)");
            entry.share = share;
        }
        c.start_s = time_or(ctx, t, p, "start_s", NumberRule::non_negative, 0);
        if (find(ctx, t, p, "stop_s")) c.stop_s = time_or(ctx, t, p, "stop_s", NumberRule::positive, 0);
        c.drain_s = time_or(ctx, t, p, "drain_s", NumberRule::non_negative, 0);
        if (const auto* x = find(ctx, t, p, "restarts")) c.restarts = read_restarts(ctx, *x, p + ".restarts");
        check_times(ctx, p, c);
        pending.push_back(std::move(entry));
    }
    // Clients without their own workload split [workload]: each gets its share, the ones
    // that give none an equal part of what the others leave.
    double given = 0;
    std::size_t defaulted = 0;
    for (const auto& e : pending) {
        if (e.own_workload || e.client.workload.kind != WorkloadKind::open_loop) continue;
        if (e.share) given += *e.share;
        else ++defaulted;
    }
    if (given > 1 + 1e-9 || (defaulted > 0 && given >= 1 - 1e-9)) {
        fail(ctx, line_of(*v), "clients",
             "the shares of [workload] add up to " + number(given) +
                 (defaulted > 0 ? ", leaving nothing for the " + std::to_string(defaulted) + " client(s) without a share" : ", more than 1"));
    }
    double total = 0;
    for (auto& e : pending) {
        if (e.client.workload.kind == WorkloadKind::open_loop) {
            const double share = e.share ? *e.share : e.own_workload ? 1.0 : (1 - given) / static_cast<double>(defaulted);
            apply_share(e.client.workload, share);
        }
        const auto& c = e.client;
        total += expected_requests(c.workload, c.start_s, c.stop_s.value_or(c.workload.duration_s));
        s.clients.push_back(e.client);
    }
    if (total > max_requests)
        fail(ctx, line_of(*v), "clients",
             "the clients' workloads add up to " + std::to_string(static_cast<std::int64_t>(total)) + " requests, more than the limit of 1000000000");
}

}  // namespace routelab::scenario::detail
