#include "sim/scenario/workload_spec.hpp"

#include "sim/scenario/keyspaces_spec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/scenario/distribution_spec.hpp"
#include "sim/scenario/driver_fields.hpp"

namespace routelab::scenario::detail {
namespace {

constexpr std::int64_t int_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t max_value_bytes = 16 * 1024 * 1024;
constexpr std::size_t max_schedule_steps = 10'000;
constexpr std::size_t max_operations = 64;
constexpr std::size_t max_listed_keys = 100'000;
constexpr double mix_resolution = 1e6;       // shares are multiples of 10^-6 (sim/workload/request_shaper.hpp)
constexpr double zipf_max_keys = 9007199254740992.0;   // 2^53: ranks stay exact in a double

std::string indexed(const std::string& base, std::size_t i) { return base + "[" + std::to_string(i) + "]"; }

std::string format_number(double x) {
    std::string s = std::to_string(x);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

bool boolean(const Context& ctx, const toml::value& v, const std::string& field) {
    if (!v.is_boolean()) fail(ctx, line_of(v), field, "expected true or false, got " + describe(v));
    return v.as_boolean();
}

// One of `names`, as written.
std::string one_of(const Context& ctx, const toml::value& v, const std::string& field, std::initializer_list<std::string_view> names) {
    const std::string s = expect_string(ctx, v, field);
    if (std::find(names.begin(), names.end(), s) != names.end()) return s;
    std::string list;
    for (auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
    fail(ctx, line_of(v), field, "unknown value \"" + s + "\" (known: " + list + ")");
}

// `value_bytes`: a fixed size (integer) or a distribution of sizes in bytes.
void read_value_size(const Context& ctx, const toml::value& v, const std::string& field, std::optional<int>& fixed,
                     std::optional<sim::Distribution>& drawn) {
    if (v.is_table()) {
        drawn = read_distribution(ctx, v, field);
        fixed.reset();
        return;
    }
    if (!v.is_integer())
        fail(ctx, line_of(v), field, "expected an integer in [0, " + std::to_string(max_value_bytes) + "] or a distribution table, got " + describe(v));
    fixed = static_cast<int>(expect_integer(ctx, v, field, 0, max_value_bytes));
    drawn.reset();
}

std::vector<RateStepSpec> read_schedule(const Context& ctx, const toml::value& v, const std::string& field) {
    const auto& list = expect_array(ctx, v, field);
    if (list.empty() || list.size() > max_schedule_steps)
        fail(ctx, line_of(v), field, "expected 1 to " + std::to_string(max_schedule_steps) + " steps, got " + std::to_string(list.size()));
    std::vector<RateStepSpec> steps;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string p = indexed(field, i);
        const auto& t = expect_table(ctx, list[i], p);
        ctx.locations->set(p, line_of(t));
        check_keys(ctx, t, p, {"at_s", "rate", "ramp_s"});
        RateStepSpec step;
        step.line = line_of(t);
        step.at_s = expect_time(ctx, require(ctx, t, p, "at_s"), p + ".at_s", NumberRule::non_negative);
        step.rate = expect_number(ctx, require(ctx, t, p, "rate"), p + ".rate", NumberRule::non_negative);
        step.ramp_s = time_or(ctx, t, p, "ramp_s", NumberRule::non_negative, 0);
        if (!steps.empty()) {
            const RateStepSpec& before = steps.back();
            if (!(step.at_s > before.at_s))
                fail(ctx, line_of(require(ctx, t, p, "at_s")), p + ".at_s",
                     "expected steps in time order: at_s " + format_number(step.at_s) + " is not after the previous step's " +
                         format_number(before.at_s));
            if (step.at_s < before.at_s + before.ramp_s)
                fail(ctx, line_of(require(ctx, t, p, "at_s")), p + ".at_s",
                     "starts at " + format_number(step.at_s) + " s, inside the previous step's ramp (until " +
                         format_number(before.at_s + before.ramp_s) + " s)");
        }
        steps.push_back(step);
    }
    return steps;
}

KeyDistributionSpec read_key_distribution(const Context& ctx, const toml::value& v, const std::string& field) {
    const auto& t = expect_table(ctx, v, field);
    ctx.locations->set(field, line_of(t));
    KeyDistributionSpec d;
    const std::string kind = one_of(ctx, require(ctx, t, field, "kind"), field + ".kind", {"uniform", "zipf", "hot_set", "sequential", "list"});
    if (kind == "uniform") {
        check_keys(ctx, t, field, {"kind"});
        d.kind = KeyDistributionSpec::Kind::uniform;
    } else if (kind == "zipf") {
        check_keys(ctx, t, field, {"kind", "s"});
        d.kind = KeyDistributionSpec::Kind::zipf;
        const auto& s = require(ctx, t, field, "s");
        d.s = expect_number(ctx, s, field + ".s", NumberRule::positive);
        if (d.s > 100) fail(ctx, line_of(s), field + ".s", "expected a number in (0, 100], got " + describe(s));
    } else if (kind == "hot_set") {
        check_keys(ctx, t, field, {"kind", "hot_keys", "hot_traffic"});
        d.kind = KeyDistributionSpec::Kind::hot_set;
        const auto& keys = require(ctx, t, field, "hot_keys");
        d.hot_keys = expect_number(ctx, keys, field + ".hot_keys", NumberRule::positive);
        if (!(d.hot_keys < 1)) fail(ctx, line_of(keys), field + ".hot_keys", "expected a share of the keys in (0, 1), got " + describe(keys));
        d.hot_traffic = expect_number(ctx, require(ctx, t, field, "hot_traffic"), field + ".hot_traffic", NumberRule::fraction);
    } else if (kind == "sequential") {
        check_keys(ctx, t, field, {"kind", "first"});
        d.kind = KeyDistributionSpec::Kind::sequential;
        d.first = integer_or(ctx, t, field, "first", 0, int_max, 0);
    } else {
        check_keys(ctx, t, field, {"kind", "keys"});
        d.kind = KeyDistributionSpec::Kind::list;
        const auto& keys = require(ctx, t, field, "keys");
        const auto& list = expect_array(ctx, keys, field + ".keys");
        if (list.empty() || list.size() > max_listed_keys)
            fail(ctx, line_of(keys), field + ".keys", "expected 1 to " + std::to_string(max_listed_keys) + " keys, got " + std::to_string(list.size()));
        for (std::size_t i = 0; i < list.size(); ++i)
            d.list.push_back(expect_integer(ctx, list[i], indexed(field + ".keys", i), std::numeric_limits<std::int64_t>::min(), int_max));
    }
    return d;
}

OperationSpec read_operation(const Context& ctx, const toml::value& v, const std::string& p) {
    const auto& t = expect_table(ctx, v, p);
    ctx.locations->set(p, line_of(t));
    check_keys(ctx, t, p, {"kind", "weight", "consistency", "serial_consistency", "idempotent", "profile", "value_bytes", "page_size",
                           "statements", "logged", "rows", "keyspace", "prefer_dc", "prefer_rack"});
    OperationSpec op;
    op.line = line_of(t);
    const std::string kind = one_of(ctx, require(ctx, t, p, "kind"), p + ".kind",
                                    {"read", "write", "paged_read", "row_write", "lwt_insert", "lwt_update", "batch"});
    const OperationKind kinds[] = {OperationKind::read, OperationKind::write, OperationKind::paged_read, OperationKind::row_write,
                                   OperationKind::lwt_insert, OperationKind::lwt_update, OperationKind::batch};
    for (auto k : kinds)
        if (kind == to_string(k)) op.kind = k;
    // Keys that only one kind understands are errors elsewhere, not silently unused.
    auto only_for = [&](std::string_view key, std::initializer_list<OperationKind> allowed, const char* which) {
        const auto* x = find(ctx, t, p, key);
        if (x != nullptr && std::find(allowed.begin(), allowed.end(), op.kind) == allowed.end())
            fail(ctx, line_of(*x), join_path(p, key), std::string("applies to ") + which + " operations only, not " + kind);
        return x;
    };
    op.weight = number_or(ctx, t, p, "weight", NumberRule::non_negative, op.weight);
    op.consistency = consistency_or(ctx, t, p, "");
    if (const auto* x = only_for("serial_consistency", {OperationKind::lwt_insert, OperationKind::lwt_update}, "lwt_insert and lwt_update")) {
        op.serial_consistency = consistency_or(ctx, t, p, "", "serial_consistency");
        if (op.serial_consistency != "SERIAL" && op.serial_consistency != "LOCAL_SERIAL")
            fail(ctx, line_of(*x), p + ".serial_consistency", "expected SERIAL or LOCAL_SERIAL, got \"" + op.serial_consistency + "\"");
    }
    if (const auto* x = find(ctx, t, p, "idempotent")) op.idempotent = boolean(ctx, *x, p + ".idempotent");
    if (const auto* x = find(ctx, t, p, "profile")) op.profile = expect_name(ctx, *x, p + ".profile");
    if (const auto* x = only_for("value_bytes", {OperationKind::write, OperationKind::row_write, OperationKind::lwt_insert,
                                                 OperationKind::lwt_update, OperationKind::batch}, "writing"))
        read_value_size(ctx, *x, p + ".value_bytes", op.value_bytes, op.value_size);
    if (only_for("page_size", {OperationKind::paged_read}, "paged_read"))
        op.page_size = static_cast<int>(integer_or(ctx, t, p, "page_size", 1, 100'000, op.page_size));
    if (only_for("statements", {OperationKind::batch}, "batch"))
        op.statements = static_cast<int>(integer_or(ctx, t, p, "statements", 1, 1000, op.statements));
    if (const auto* x = only_for("logged", {OperationKind::batch}, "batch")) op.logged = boolean(ctx, *x, p + ".logged");
    if (const auto* x = only_for("rows", {OperationKind::batch}, "batch")) op.rows = boolean(ctx, *x, p + ".rows");
    op.keyspace = string_or(ctx, t, p, "keyspace", "");
    op.prefer_dc = string_or(ctx, t, p, "prefer_dc", "");
    op.prefer_rack = string_or(ctx, t, p, "prefer_rack", "");
    return op;
}

std::vector<OperationSpec> read_operations(const Context& ctx, const toml::value& v, const std::string& field) {
    const auto& list = expect_array(ctx, v, field);
    if (list.empty() || list.size() > max_operations)
        fail(ctx, line_of(v), field, "expected 1 to " + std::to_string(max_operations) + " operations, got " + std::to_string(list.size()));
    std::vector<OperationSpec> ops;
    double total = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        ops.push_back(read_operation(ctx, list[i], indexed(field, i)));
        total += ops.back().weight;
    }
    if (!(total > 0)) fail(ctx, line_of(v), field, "expected weights with a sum > 0, got 0");
    if (!std::isfinite(total)) fail(ctx, line_of(v), field, "the weights add up to more than a 64-bit float holds");
    for (std::size_t i = 0; i < ops.size(); ++i)
        if (ops[i].weight > 0 && ops[i].weight / total * mix_resolution < 0.5)
            fail(ctx, ctx.locations->line_of(indexed(field, i) + ".weight"), indexed(field, i) + ".weight",
                 "a share of " + format_number(ops[i].weight / total) + " is below the mix's resolution of 1e-6 (use 0 to leave it out)");
    return ops;
}

// Checks across fields, on the merged workload.
void check_shape(const Context& ctx, const toml::value& t, const WorkloadSpec& w, const WorkloadOrigin& o) {
    const auto line_in = [&](std::string_view key) {
        const auto* v = find(ctx, t, o.path, key);
        return v ? line_of(*v) : line_of(t);
    };
    const std::string duration_text = "duration_s = " + format_number(w.duration_s);
    for (std::size_t i = 0; i < w.schedule.size(); ++i) {
        const auto& step = w.schedule[i];
        const std::string p = indexed(o.schedule_path + ".schedule", i);
        if (step.at_s >= w.duration_s)
            fail(ctx, ctx.locations->line_of(p + ".at_s"), p + ".at_s", "at " + format_number(step.at_s) + " s, not before the end of the workload (" + duration_text + ")");
        if (step.at_s + step.ramp_s > w.duration_s)
            fail(ctx, ctx.locations->line_of(p + ".ramp_s"), p + ".ramp_s", "the ramp ends at " + format_number(step.at_s + step.ramp_s) + " s, after the end of the workload (" +
                                                     duration_text + ")");
    }
    const auto& kd = w.key_distribution;
    const std::string kd_field = o.keys_path + ".key_distribution";
    if (kd.kind == KeyDistributionSpec::Kind::zipf && static_cast<double>(w.keys) > zipf_max_keys)
        fail(ctx, line_in("keys"), o.path + ".keys", "zipf keys are limited to 2^53, got " + std::to_string(w.keys));
    if (kd.kind == KeyDistributionSpec::Kind::hot_set) {
        const auto hot = std::llround(static_cast<double>(w.keys) * kd.hot_keys);
        if (hot < 1 || hot >= w.keys)
            fail(ctx, ctx.locations->line_of(kd_field + ".hot_keys"), kd_field + ".hot_keys",
                 "a share of " + format_number(kd.hot_keys) + " of " + std::to_string(w.keys) + " keys gives " + std::to_string(hot) +
                     " hot keys; expected at least 1 and fewer than all");
    }
    if (kd.kind == KeyDistributionSpec::Kind::sequential && kd.first >= w.keys)
        fail(ctx, ctx.locations->line_of(kd_field + ".first"), kd_field + ".first",
             "expected a key below keys = " + std::to_string(w.keys) + ", got " + std::to_string(kd.first));
    for (std::size_t i = 0; i < w.operations.size(); ++i) {
        const auto& op = w.operations[i];
        const bool rows = op.kind == OperationKind::paged_read || op.kind == OperationKind::row_write ||
                          (op.kind == OperationKind::batch && op.rows);
        const std::string p = indexed(o.operations_path + ".operations", i);
        if (rows && w.rows_per_partition == 0)
            fail(ctx, ctx.locations->line_of(p + ".kind"), p + ".kind", std::string(op.kind == OperationKind::batch ? "a rows batch" : to_string(op.kind)) +
                                                " needs clustering rows: set rows_per_partition > 0");
        if (op.kind == OperationKind::batch && op.rows && op.statements > w.rows_per_partition)
            fail(ctx, ctx.locations->line_of(p + ".statements"), p + ".statements", "a rows batch of " + std::to_string(op.statements) + " statements exceeds rows_per_partition = " +
                                                      std::to_string(w.rows_per_partition));
    }
}

}  // namespace

WorkloadSpec read_workload_table(const Context& ctx, const toml::value& t, const std::string& path, WorkloadSpec w,
                                 const WorkloadOrigin& base_origin, WorkloadOrigin* origin_out) {
    const std::string& p = path;
    check_keys(ctx, t, p,
               {"kind", "rate_per_s", "duration_s", "keys", "read_fraction", "consistency", "value_bytes", "profile", "sessions", "arrivals",
                "schedule", "users", "think_time", "key_distribution", "rows_per_partition", "operations", "keyspace"});
    WorkloadOrigin origin = base_origin;
    origin.path = path;
    if (const auto* x = find(ctx, t, p, "profile")) w.profile = expect_string(ctx, *x, p + ".profile");
    if (const auto* x = find(ctx, t, p, "keyspace")) w.keyspace = expect_string(ctx, *x, p + ".keyspace");
    w.sessions = integer_or(ctx, t, p, "sessions", 0, 1'000'000'000, w.sessions);
    if (const auto* kind = find(ctx, t, p, "kind")) {
        const std::string k = expect_string(ctx, *kind, p + ".kind");
        if (k != "open_loop" && k != "closed_loop")
            fail(ctx, line_of(*kind), p + ".kind", "unknown workload kind \"" + k + "\" (known: open_loop, closed_loop)");
        w.kind = k == "open_loop" ? WorkloadKind::open_loop : WorkloadKind::closed_loop;
    }
    // Keys of the other kind of loop are errors rather than silently unused.
    const bool open = w.kind == WorkloadKind::open_loop;
    auto for_kind = [&](std::string_view key, bool allowed) {
        const auto* x = find(ctx, t, p, key);
        if (x != nullptr && !allowed)
            fail(ctx, line_of(*x), join_path(p, key), std::string("applies to ") + (open ? "closed_loop" : "open_loop") + " workloads only (kind is " +
                                                            (open ? "open_loop" : "closed_loop") + ")");
        return x;
    };
    if (for_kind("rate_per_s", open)) w.rate_per_s = number_or(ctx, t, p, "rate_per_s", NumberRule::positive, w.rate_per_s);
    if (const auto* x = for_kind("arrivals", open)) w.arrivals = one_of(ctx, *x, p + ".arrivals", {"poisson", "constant"}) == "poisson" ? ArrivalKind::poisson : ArrivalKind::constant;
    if (const auto* x = for_kind("schedule", open)) {
        w.schedule = read_schedule(ctx, *x, p + ".schedule");
        origin.schedule_path = path;
    }
    if (for_kind("users", !open)) w.users = integer_or(ctx, t, p, "users", 1, 100'000, w.users);
    if (const auto* x = for_kind("think_time", !open)) w.think_time_us = read_distribution(ctx, *x, p + ".think_time");
    w.duration_s = time_or(ctx, t, p, "duration_s", NumberRule::positive, w.duration_s);
    w.keys = integer_or(ctx, t, p, "keys", 1, int_max, w.keys);
    if (const auto* x = find(ctx, t, p, "key_distribution")) {
        w.key_distribution = read_key_distribution(ctx, *x, p + ".key_distribution");
        origin.keys_path = path;
    }
    w.rows_per_partition = integer_or(ctx, t, p, "rows_per_partition", 0, 1'000'000, w.rows_per_partition);
    w.read_fraction = number_or(ctx, t, p, "read_fraction", NumberRule::fraction, w.read_fraction);
    w.consistency = consistency_or(ctx, t, p, w.consistency);
    if (const auto* x = find(ctx, t, p, "value_bytes")) {
        std::optional<int> fixed = w.value_bytes;
        read_value_size(ctx, *x, p + ".value_bytes", fixed, w.value_size);
        if (fixed) w.value_bytes = *fixed;
    }
    if (const auto* x = find(ctx, t, p, "operations")) {
        w.operations = read_operations(ctx, *x, p + ".operations");
        origin.operations_path = path;
        if (const auto* rf = find(ctx, t, p, "read_fraction"))
            fail(ctx, line_of(*rf), p + ".read_fraction", "applies without operations only (the operations' weights give the mix)");
    }
    check_shape(ctx, t, w, origin);
    if (origin_out != nullptr) *origin_out = origin;
    return w;
}

void read_workload(const Context& ctx, const toml::value& root, WorkloadSpec& w) {
    const auto* v = find(ctx, root, "", "workload");
    if (v == nullptr) return;
    const auto& t = expect_table(ctx, *v, "workload");
    w = read_workload_table(ctx, t, "workload", w, WorkloadOrigin{});
}

void check_operation_profiles(const Context& ctx, const WorkloadSpec& w, const DriverSpec& d, const std::string& operations_path) {
    for (std::size_t i = 0; i < w.operations.size(); ++i) {
        const auto& name = w.operations[i].profile;
        if (name.empty() || name == "default" || find_profile(d, name)) continue;
        std::string known = "default";
        for (const auto& p : d.profiles) known += ", " + p.name;
        const std::string field = indexed(operations_path + ".operations", i) + ".profile";
        fail(ctx, ctx.locations->line_of(field), field, "unknown execution profile \"" + name + "\" (known: " + known + ")");
    }
}

void check_workload(const Context& ctx, const toml::value&, const Scenario& s) {
    check_operation_profiles(ctx, s.workload, s.driver, "workload");
    check_workload_targets(ctx, s.workload, s, "workload", "workload");
    check_profile_locations(ctx, s.driver, s, "driver");
}

}  // namespace routelab::scenario::detail
