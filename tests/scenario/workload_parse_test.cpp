// Goal: [workload] (schedules, closed loop, key distributions, operation mix) and
// [[clients]] parse into the resolved model, and each kind of bad input is refused with
// its file:line and field. Method: parse good/fleet.toml and the bad/workload_* and
// bad/clients_* files and compare field by field.
#include <catch2/catch.hpp>

#include <string>
#include <variant>

#include "sim/scenario/clients.hpp"
#include "sim/scenario/parse.hpp"

using namespace routelab;
using namespace routelab::scenario;

namespace {

std::string data(const std::string& rel) { return std::string(ROUTELAB_SCENARIO_TEST_DIR) + "/" + rel; }

}  // namespace

TEST_CASE("every workload and client key parses into the resolved model", "[scenario][workload]") {
    const auto result = parse_scenario_file(data("good/fleet.toml"));
    INFO((result ? std::string("ok") : result.error().to_string()));
    REQUIRE(result.ok());
    const Scenario& s = result.scenario();
    CHECK(s.cluster.clustered_table == "rows");
    const WorkloadSpec& w = s.workload;
    CHECK(w.kind == WorkloadKind::open_loop);
    CHECK(w.arrivals == ArrivalKind::constant);
    REQUIRE(w.schedule.size() == 3);
    CHECK(w.schedule[0].at_s == 5);
    CHECK(w.schedule[0].rate == 5000);
    CHECK(w.schedule[0].ramp_s == 2);
    CHECK(w.schedule[1].rate == 0);
    CHECK(w.key_distribution.kind == KeyDistributionSpec::Kind::hot_set);
    CHECK(w.key_distribution.hot_keys == 0.01);
    CHECK(w.key_distribution.hot_traffic == 0.9);
    CHECK(w.rows_per_partition == 40);
    CHECK(w.consistency == "LOCAL_QUORUM");
    REQUIRE(w.value_size.has_value());
    CHECK(std::holds_alternative<sim::dist::Uniform>(w.value_size->kind));
    REQUIRE(w.operations.size() == 4);
    CHECK(w.operations[0].profile == "fast");
    CHECK(w.operations[1].kind == OperationKind::paged_read);
    CHECK(w.operations[1].page_size == 25);
    CHECK(w.operations[1].consistency == "ONE");
    CHECK(w.operations[2].kind == OperationKind::batch);
    CHECK(w.operations[2].statements == 8);
    CHECK_FALSE(w.operations[2].logged);
    CHECK(w.operations[2].rows);
    CHECK(w.operations[2].idempotent == std::optional<bool>(false));
    CHECK(w.operations[3].serial_consistency == "LOCAL_SERIAL");
    CHECK(w.operations[3].value_bytes == std::optional<int>(16));
    CHECK(uses_clustered_table(w));
    // 1000/s for 5 s, a ramp to 5000 over 2 s, 3 s at 5000, 2 s at 0, 8 s at 2000.
    CHECK(expected_requests(w, 0, w.duration_s) == Approx(5000 + 6000 + 15000 + 0 + 16000));

    REQUIRE(s.clients.size() == 3);
    const ClientSpec& web = s.clients[0];
    CHECK(web.name == "web");
    CHECK(web.datacenter == "dc1");
    CHECK(web.rack == "app");
    CHECK(web.workload.rate_per_s == Approx(750));       // its share of [workload]
    CHECK(web.workload.schedule[0].rate == Approx(3750));
    CHECK(web.driver.policy_options.at("local_dc") == "dc1");
    const ClientSpec& mobile = s.clients[1];
    CHECK(mobile.datacenter == "dc2");
    CHECK(mobile.rack == "client");
    CHECK(mobile.workload.rate_per_s == Approx(250));    // the rest, without a share of its own
    CHECK(mobile.driver.policy == "default");            // options merged, policy kept
    CHECK(mobile.driver.policy_options.at("local_dc") == "dc2");
    CHECK(mobile.driver.request_timeout_ms == 500);
    CHECK(mobile.start_s == 2);
    CHECK(mobile.stop_s == std::optional<double>(18));
    CHECK(mobile.drain_s == 0.5);
    REQUIRE(mobile.restarts.size() == 1);
    CHECK(mobile.restarts[0].at_s == 8);
    CHECK(mobile.restarts[0].down_s == 1);
    const ClientSpec& reports = s.clients[2];
    CHECK(reports.datacenter == "dc1");                  // the first datacenter by default
    CHECK(reports.driver.speculative == "constant");     // its driver settings come from the profile
    CHECK(reports.workload.profile == "fast");           // and so does its requests' profile
    CHECK(reports.workload.kind == WorkloadKind::closed_loop);
    CHECK(reports.workload.users == 4);
    CHECK(reports.workload.key_distribution.kind == KeyDistributionSpec::Kind::zipf);
    CHECK(reports.workload.key_distribution.s == 0.9);
    CHECK(reports.workload.operations.size() == 4);      // inherited
    CHECK(reports.workload.keys == 5000);
}

TEST_CASE("without [[clients]] a run has one client named default in the driver's local datacenter", "[scenario][workload]") {
    const auto result = parse_scenario_text(R"(
[scenario]
name = "one"
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1" } ]
[[topology.datacenters]]
name = "dc2"
racks = [ { name = "r1" } ]
[cluster]
replication_factor = 1
[workload]
rate_per_s = 300
[driver]
local_datacenter = "dc2"
)",
                                            "one.toml");
    REQUIRE(result.ok());
    CHECK(result.scenario().clients.empty());
    const auto clients = scenario_clients(result.scenario());
    REQUIRE(clients.size() == 1);
    CHECK(clients[0].name == "default");
    CHECK(clients[0].datacenter == "dc2");
    CHECK(clients[0].rack == "client");
    CHECK(clients[0].workload.rate_per_s == 300);
    CHECK_FALSE(uses_clustered_table(clients[0].workload));
}

TEST_CASE("each kind of bad workload or client input names its file, line and field", "[scenario][workload]") {
    struct Case {
        const char* file;
        std::uint32_t line;
        const char* field;
        const char* message_part;
    };
    const Case cases[] = {
        {"workload_weights_zero", 10, "workload.operations", "expected weights with a sum > 0"},
        {"workload_schedule_after_end", 13, "workload.schedule[1].at_s", "not before the end of the workload (duration_s = 10)"},
        {"workload_schedule_order", 12, "workload.schedule[1].at_s", "expected steps in time order"},
        {"workload_ramp_overlap", 12, "workload.schedule[1].at_s", "inside the previous step's ramp (until 5 s)"},
        {"workload_ramp_after_end", 11, "workload.schedule[0].ramp_s", "the ramp ends at 11 s, after the end"},
        {"workload_zipf_s_zero", 10, "workload.key_distribution.s", "expected a number > 0, got 0"},
        {"workload_hot_set_share", 10, "workload.key_distribution.hot_keys", "expected a share of the keys in (0, 1), got 1.5"},
        {"workload_hot_set_no_cold_keys", 11, "workload.key_distribution.hot_keys", "gives 10 hot keys; expected at least 1 and fewer than all"},
        {"workload_list_empty", 10, "workload.key_distribution.keys", "expected 1 to 100000 keys, got 0"},
        {"workload_unknown_operation", 10, "workload.operations[0].kind", "unknown value \"scan\""},
        {"workload_paged_without_rows", 12, "workload.operations[1].kind", "needs clustering rows: set rows_per_partition > 0"},
        {"workload_page_size_on_write", 10, "workload.operations[0].page_size", "applies to paged_read operations only"},
        {"workload_serial_on_read", 10, "workload.operations[0].serial_consistency", "applies to lwt_insert and lwt_update operations only"},
        {"workload_value_bytes_too_big", 10, "workload.operations[0].value_bytes", "expected an integer in [0, 16777216], got 20000000"},
        {"workload_closed_loop_rate", 12, "workload.rate_per_s", "applies to open_loop workloads only"},
        {"workload_users_zero", 11, "workload.users", "expected an integer in [1, 100000], got 0"},
        {"workload_read_fraction_with_operations", 10, "workload.read_fraction", "applies without operations only"},
        {"workload_operation_profile_unknown", 10, "workload.operations[0].profile", "unknown execution profile \"fast\""},
        {"clients_unknown_dc", 15, "clients[1].datacenter", "unknown datacenter \"dc9\" (topology has: dc1)"},
        {"clients_start_after_stop", 12, "clients[0].stop_s", "expected stop_s after start_s = 5 s, got 3 s"},
        {"clients_stop_after_end", 14, "clients[0].stop_s", "after the end of its workload's duration_s = 10 s"},
        {"clients_start_after_end", 14, "clients[0].start_s", "not before the end of its workload's duration_s = 10 s"},
        {"clients_duplicate_name", 13, "clients[1].name", "duplicate client name \"web\" (also clients[0])"},
        {"clients_bad_name", 10, "clients[0].name", "expected a name of"},
        {"clients_missing_name", 9, "clients[0].name", "required field is missing"},
        {"clients_shares_over_one", 9, "clients", "the shares of [workload] add up to 1.2, more than 1"},
        {"clients_share_closed_loop", 14, "clients[0].share", "applies to open_loop workloads"},
        {"clients_unknown_profile", 11, "clients[0].driver_profile", "unknown execution profile \"fast\""},
        {"clients_bad_policy_option", 11, "clients[0].driver.policy", "unknown option"},
        {"clients_restart_after_stop", 12, "clients[0].restarts[0].at_s", "would be back at 7 s, not before it stops at 6 s"},
        {"clients_drain_without_stop", 11, "clients[0].drain_s", "applies when the client stops or restarts"},
        {"clients_unknown_key", 11, "clients[0].dc", "unknown key 'dc' (allowed: name, datacenter"},
    };
    for (const auto& c : cases) {
        const std::string path = data(std::string("bad/") + c.file + ".toml");
        const auto result = parse_scenario_file(path);
        INFO(path);
        REQUIRE_FALSE(result.ok());
        const ScenarioError& e = result.error();
        INFO(e.to_string());
        CHECK(e.line == c.line);
        CHECK(e.field == c.field);
        CHECK(e.message.find(c.message_part) != std::string::npos);
        CHECK(e.to_string().rfind(path + ":" + std::to_string(c.line) + ": " + c.field + ": ", 0) == 0);
    }
}

TEST_CASE("a restart must leave the old session closed before the new one connects", "[scenario][workload]") {
    const auto result = parse_scenario_text(R"(
[scenario]
name = "restart"
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1" } ]
[cluster]
replication_factor = 1
[[clients]]
name = "web"
drain_s = 2
restarts = [{ at_s = 3, down_s = 1 }]
)",
                                            "r.toml");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().field == "clients[0].restarts[0].down_s");
    CHECK(result.error().line == 12);
}
