// routelab: deterministic simulation harness for CQL drivers. Subcommands live in
// command_*.cpp; this file only maps the command line onto them.
#include <cstdint>
#include <iostream>

#include <CLI/CLI.hpp>

#include "sim/cli/command_explain.hpp"
#include "sim/cli/command_report.hpp"
#include "sim/cli/command_run.hpp"
#include "sim/cli/command_serve.hpp"

int main(int argc, char** argv) {
    using routelab::cli::exit_bad_input;
    CLI::App app{"routelab: deterministic simulation harness for CQL database drivers", "routelab"};
    app.require_subcommand(1);

    routelab::cli::RunCommandOptions run_options;
    std::uint64_t seed = 0;
    CLI::App* run = app.add_subcommand("run", "Simulate one scenario and store its results and plots");
    run->add_option("SCENARIO", run_options.scenario_path, "Scenario file (TOML, see scenarios/README.md)")
        ->required();
    CLI::Option* seed_option =
        run->add_option("--seed", seed, "Root seed (default: [scenario].seed in the file)")
            ->check(CLI::NonNegativeNumber);
    run->add_option("--out", run_options.out_dir,
                    "Output directory (default: out/<scenario name>-seed<N>)");
    run->add_flag("-q,--quiet", run_options.quiet, "Print no summary");

    routelab::cli::ExplainOptions explain_options;
    std::uint64_t explain_seed = 0;
    std::string key;
    std::int64_t token = 0;
    std::string serial;
    CLI::App* explain = app.add_subcommand("explain", "Print the query plan the scenario's policy builds for one request");
    explain->add_option("SCENARIO", explain_options.scenario_path, "Scenario file (TOML)")->required();
    CLI::Option* explain_seed_option = explain->add_option("--seed", explain_seed, "Root seed (decides unpinned tokens)");
    explain->add_option("--keyspace", explain_options.keyspace, "Keyspace")->required();
    explain->add_option("--table", explain_options.table, "Table")->required();
    CLI::Option* key_option = explain->add_option("--key", key, "Partition key value (bigint if numeric, else text)");
    CLI::Option* token_option = explain->add_option("--token", token, "Token to route (instead of --key)");
    key_option->excludes(token_option);
    CLI::Option* consistency_option =
        explain->add_option("--consistency", explain_options.consistency, "Consistency level (default: the profile's, else ONE)");
    CLI::Option* serial_option = explain->add_option("--serial-consistency", serial, "SERIAL or LOCAL_SERIAL");
    explain->add_flag("--lwt", explain_options.lwt, "Route as a lightweight transaction");
    explain->add_option("--profile", explain_options.profile, "Execution profile (default)");
    explain->add_option("--down", explain_options.down, "Nodes to treat as down")->expected(1, -1);
    explain->add_option("--repeat", explain_options.repeat, "Build the plan N times")->check(CLI::Range(1, 1000));
    explain->add_option("--policy-option", explain_options.policy_options, "KEY=VALUE over the scenario's policy options");
    explain->add_option("--format", explain_options.format, "text or json")->check(CLI::IsMember({"text", "json"}));

    routelab::cli::ServeOptions serve_options;
    std::uint64_t serve_seed = 0;
    std::uint16_t control_port = 0;
    double duration_s = 0;
    CLI::App* serve = app.add_subcommand("serve", "Run the scenario's cluster live on 127.0.0.x:9042 for real drivers");
    serve->add_option("SCENARIO", serve_options.scenario_path, "Scenario file (TOML)")->required();
    CLI::Option* serve_seed_option = serve->add_option("--seed", serve_seed, "Root seed (decides unpinned tokens)");
    CLI::Option* control_port_option =
        serve->add_option("--control-port", control_port, "HTTP control on 127.0.0.1:P (0: any free port)")
            ->check(CLI::Range(0, 65535));
    CLI::Option* duration_option =
        serve->add_option("--duration", duration_s, "Stop after S seconds (default: until SIGINT/SIGTERM)")
            ->check(CLI::PositiveNumber);
    serve->add_option("--cql-port", serve_options.cql_port, "CQL port every node listens on")->check(CLI::Range(1, 65535));

    routelab::cli::ReportOptions report_options;
    CLI::App* report = app.add_subcommand("report", "Write one self-contained HTML page for the runs of results databases");
    report->add_option("DB", report_options.db_paths, "Results databases (results.sqlite)")->required()->expected(1, -1);
    report->add_option("--out", report_options.out_path, "The HTML file to write")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);  // prints help to stdout, exit 0
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // e.g. --version-like successes
        std::cerr << "routelab: " << e.what() << "\n\n"
                  << (run->parsed()       ? run->help()
                      : explain->parsed() ? explain->help()
                      : serve->parsed()   ? serve->help()
                      : report->parsed()  ? report->help()
                                          : app.help());
        return exit_bad_input;
    }

    if (run->parsed()) {
        if (seed_option->count() > 0) run_options.seed = seed;
        return routelab::cli::run_command(run_options);
    }
    if (explain->parsed()) {
        if (explain_seed_option->count() > 0) explain_options.seed = explain_seed;
        if (key_option->count() > 0) explain_options.key = key;
        if (token_option->count() > 0) explain_options.token = token;
        if (serial_option->count() > 0) explain_options.serial_consistency = serial;
        explain_options.consistency_given = consistency_option->count() > 0;
        return routelab::cli::explain_command(explain_options);
    }
    if (serve->parsed()) {
        if (serve_seed_option->count() > 0) serve_options.seed = serve_seed;
        if (control_port_option->count() > 0) serve_options.control_port = control_port;
        if (duration_option->count() > 0) serve_options.duration_s = duration_s;
        return routelab::cli::serve_command(serve_options);
    }
    if (report->parsed()) return routelab::cli::report_command(report_options);
    std::cerr << app.help();
    return exit_bad_input;
}
