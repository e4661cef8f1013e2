#include "sim/cli/command_import.hpp"

#include <chrono>
#include <cmath>
#include <fstream>

#include <fmt/format.h>

#include "sim/import/cluster_reader.hpp"
#include "sim/import/scenario_writer.hpp"
#include "sim/live/blocking_cql_client.hpp"
#include "sim/scenario/parse.hpp"

namespace routelab::cli {

int import_command(const ImportOptions& options) {
    std::string error;
    const auto contact = importer::parse_contact(options.contact, error);
    if (!contact) {
        fmt::print(stderr, "routelab import: --contact: {}\n", error);
        return 2;
    }
    auto ms = [](double s) { return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(s * 1000))); };
    importer::ReadOptions read_options;
    read_options.connect_timeout = ms(options.connect_timeout_s);
    read_options.request_timeout = ms(options.request_timeout_s);
    const auto read = importer::read_cluster(*contact, read_options);
    if (!read.snapshot) {
        fmt::print(stderr, "routelab import: {}\n", read.error);
        return 1;
    }
    importer::WriteOptions write_options;
    write_options.keyspaces = options.keyspaces;
    write_options.imported_at = live::utc_now_text();
    const auto written = importer::write_scenario(*read.snapshot, write_options);
    if (written.toml.empty()) {
        fmt::print(stderr, "routelab import: {}\n", written.error);
        return 2;
    }
    // The file must be a scenario routelab reads: parse it before writing it.
    const auto parsed = scenario::parse_scenario_text(written.toml, options.out_path);
    if (!parsed) {
        fmt::print(stderr, "routelab import: the scenario written from the cluster does not parse (a bug): {}\n",
                   parsed.error().to_string());
        return 1;
    }
    std::ofstream out(options.out_path, std::ios::binary | std::ios::trunc);
    out << written.toml;
    out.close();
    if (!out) {
        fmt::print(stderr, "routelab import: cannot write {}\n", options.out_path);
        return 3;
    }
    for (const auto& note : written.notes) fmt::print(stderr, "routelab import: note: {}\n", note);
    fmt::print("routelab import: {} nodes, {} keyspaces, {} routes from {} -> {}\n", read.snapshot->discovery.nodes.size(),
               parsed.scenario().cluster.keyspaces.size(), read.snapshot->routes.size(), read.snapshot->contact, options.out_path);
    return 0;
}

}  // namespace routelab::cli
