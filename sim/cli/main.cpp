// routelab: deterministic simulation harness for CQL drivers. Subcommands live in
// command_*.cpp; this file only maps the command line onto them. `routelab_main` is the
// whole tool (entry.cpp calls it), so that a test binary can run it with planted bugs.
#include <cstdint>
#include <iostream>

#include <CLI/CLI.hpp>

#include "sim/cli/command_explain.hpp"
#include "sim/cli/command_import.hpp"
#include "sim/cli/command_report.hpp"
#include "sim/cli/command_run.hpp"
#include "sim/cli/command_serve.hpp"
#include "sim/cli/command_sweep.hpp"
#include "sim/cli/command_compare.hpp"
#include "sim/cli/command_replay.hpp"
#include "sim/cli/command_explore.hpp"
#include "sim/cli/routelab_main.hpp"

int routelab::cli::routelab_main(int argc, char** argv, const runner::WorldOptions& world) {
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
    run->add_option("--set", run_options.overrides,
                    "KEY=VALUE over the scenario (dotted key as in its errors, TOML value); repeatable")
        ->allow_extra_args(false);
    run->add_flag("-q,--quiet", run_options.quiet, "Print no summary");
    bool no_plots = false;
    run->add_flag("--no-plots", no_plots, "Write the results database only");

    routelab::cli::SweepOptions sweep_options;
    CLI::App* sweep = app.add_subcommand("sweep", "Run a scenario over a grid of knob values × seeds, in parallel");
    sweep->add_option("SCENARIO", sweep_options.scenario_path, "Scenario file (TOML)")->required();
    sweep->add_option("--set", sweep_options.axes, "KEY=V1,V2,... : a knob and its values (repeatable; grid = product)")
        ->allow_extra_args(false);
    sweep->add_option("--seeds", sweep_options.seeds, "Seeds per grid point (default 1)");
    sweep->add_option("--first-seed", sweep_options.first_seed, "First seed (default 1; seeds are consecutive)");
    sweep->add_option("--jobs", sweep_options.jobs, "Runs at a time (default: the machine's cores)")
        ->check(CLI::Range(1, 1024));
    sweep->add_option("--shard", sweep_options.shard, "I/N: run only slice I of N (for spreading over machines)");
    sweep->add_flag("--resume", sweep_options.resume, "Finish a sweep in --out: run only the jobs it lacks");
    sweep->add_flag("--progress-bar", sweep_options.progress_bar, "Draw the progress bar even when not on a terminal");
    sweep->add_option("--out", sweep_options.out_dir, "Output directory (holds sweep.sqlite)")->required();

    routelab::cli::CompareOptions compare_options;
    auto add_allowances = [](CLI::App* cmd, routelab::cli::CompareOptions& o) {
        cmd->add_option("--thresholds", o.thresholds_path, "Thresholds file (TOML; see README)")->check(CLI::ExistingFile);
        cmd->add_option("--relative", o.relative, "FIGURE=R: allow R (0.1 = 10%) worse than the baseline (repeatable)");
        cmd->add_option("--absolute", o.absolute, "FIGURE=A: allow A more (ms; a fraction for error_rate) (repeatable)");
        cmd->add_option("--noise", o.noise, "Allow K times the baseline's spread over seeds (default 1)")->check(CLI::Range(0.0, 100.0));
        cmd->add_option("--junit", o.junit_path, "Write JUnit XML here");
    };
    CLI::App* compare = app.add_subcommand("compare", "Compare a run or sweep database with a baseline (CI verdict)");
    compare->add_option("CANDIDATE", compare_options.candidate, "results.sqlite or sweep.sqlite")->required();
    compare->add_option("--baseline", compare_options.baseline, "The baseline database")->required();
    add_allowances(compare, compare_options);

    routelab::cli::CiOptions ci_options;
    CLI::App* ci = app.add_subcommand("ci", "Run a directory of scenarios and compare each with its baseline");
    ci->add_option("DIR", ci_options.scenario_dir, "Directory of scenarios (*.toml)")->required()->check(CLI::ExistingDirectory);
    ci->add_option("--baseline", ci_options.baseline_dir, "Baselines directory (default DIR/baselines)");
    ci->add_option("--out", ci_options.out_dir, "Where the runs go (default out/ci)");
    ci->add_option("--seeds", ci_options.seeds, "Seeds per scenario (default 3)")->check(CLI::Range(1, 1000));
    ci->add_option("--jobs", ci_options.jobs, "Runs at a time (default: the machine's cores)")->check(CLI::Range(1, 1024));
    ci->add_flag("--update-baseline", ci_options.update_baseline, "Record the runs as the new baselines");
    ci->add_flag("--compact-baseline", ci_options.compact_baseline,
                 "With --update-baseline: record DIR/baselines/<name>.json (what compare reads) instead of the whole sweep database");
    add_allowances(ci, ci_options.compare);

    routelab::cli::ReplayOptions replay_options;
    std::int64_t replay_run = 0;
    CLI::App* replay = app.add_subcommand("replay", "Rerun a stored run from its results database and compare trace hashes");
    replay->add_option("RESULTS", replay_options.db_path, "results.sqlite (or a sweep's)")->required()->check(CLI::ExistingFile);
    CLI::Option* replay_run_option = replay->add_option("--run", replay_run, "run_id (default: the latest)")->check(CLI::PositiveNumber);
    replay->add_option("--set", replay_options.overrides, "KEY=VALUE over the stored scenario: where does the change first show?")
        ->allow_extra_args(false);

    std::string merge_out;
    std::vector<std::string> merge_slices;
    CLI::App* merge = app.add_subcommand("merge", "Join the databases of a sharded sweep into one");
    merge->add_option("OUT", merge_out, "The merged database (created if missing)")->required();
    merge->add_option("SLICE", merge_slices, "Shards' sweep.sqlite files")->required()->check(CLI::ExistingFile);

    routelab::cli::ExplainOptions explain_options;
    std::uint64_t explain_seed = 0;
    std::string key;
    std::int64_t token = 0;
    std::string serial;
    CLI::App* explain = app.add_subcommand("explain", "Print the query plan the scenario's policy builds for one request");
    explain->add_option("SCENARIO", explain_options.scenario_path, "Scenario file (TOML)")->required();
    CLI::Option* explain_seed_option = explain->add_option("--seed", explain_seed, "Root seed (decides unpinned tokens)");
    std::string explain_keyspace, explain_table;
    double explain_at = 0;
    CLI::Option* keyspace_option = explain->add_option("--keyspace", explain_keyspace, "Keyspace (default: the scenario's first)");
    CLI::Option* table_option = explain->add_option("--table", explain_table, "Table (default: none, a request without a table)");
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
    explain->add_option("--prefer-dc", explain_options.prefer_dc, "The request's own preferred datacenter (for a policy that inherits it)");
    explain->add_option("--prefer-rack", explain_options.prefer_rack, "The request's own preferred rack (with --prefer-dc)");
    explain->add_option("--latency", explain_options.latencies,
                        "NODE=DURATION[xCOUNT]: latency samples fed to the policy first (e.g. dc1-r1-n1=5msx100)");
    CLI::Option* at_option = explain->add_option("--at", explain_at, "Simulated second the plan is drawn at (default: 1 s after the samples)");

    routelab::cli::ExploreCommandOptions explore_options;
    explore_options.world = world;
    bool no_shrink = false;
    CLI::App* explore = app.add_subcommand("explore", "Run random variations of a scenario, tabulate failed checks, shrink each to a scenario file");
    explore->add_option("SCENARIO", explore_options.scenario_path, "Scenario file (TOML; its [explore] table says what may vary)")->required();
    explore->add_option("--runs", explore_options.runs, "Variations to run (default 100)")->check(CLI::Range(1, 10'000'000));
    explore->add_option("--seed", explore_options.seed, "Exploration seed: decides every variation (default 1)");
    explore->add_option("--jobs", explore_options.jobs, "Worker processes (default 1)")->check(CLI::Range(1, 1024));
    explore->add_option("--set", explore_options.overrides, "KEY=VALUE over the scenario, explore.* keys too (repeatable)")
        ->allow_extra_args(false);
    explore->add_option("--regressions", explore_options.regressions_dir, "Where shrunk failures go (default scenarios/regressions)");
    explore->add_option("--max-shrink-runs", explore_options.max_shrink_runs, "Runs a shrink may make per failed check (default 300)")
        ->check(CLI::Range(0, 1'000'000));
    explore->add_flag("--no-shrink", no_shrink, "Only explore and tabulate");
    explore->add_flag("--progress-bar", explore_options.progress_bar, "Draw the progress bar even when not on a terminal");
    std::size_t print_run = 0;
    CLI::Option* print_run_option =
        explore->add_option("--print-run", print_run, "Print run I's scenario (TOML) and run nothing");

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
    serve->add_option("--frame-buffer-mib", serve_options.frame_buffer_mib,
                      "Budget for bytes of incomplete frames, all connections together (MiB)")
        ->check(CLI::Range(1, 4096));
    serve->add_option("--startup-timeout", serve_options.startup_timeout_s, "Close a connection without STARTUP after S seconds")
        ->check(CLI::Range(0.001, 86400.0));
    serve->add_option("--frame-timeout", serve_options.frame_timeout_s, "Close a connection whose frame takes longer than S seconds to arrive")
        ->check(CLI::Range(0.001, 86400.0));
    serve->add_option("--idle-timeout", serve_options.idle_timeout_s, "Close a connection silent both ways for S seconds (0: never)")
        ->check(CLI::Range(0.0, 86400.0));
    serve->add_option("--max-connections-per-node", serve_options.max_connections_per_node, "Open connections allowed per node address")
        ->check(CLI::Range(1, 1000000));
    serve->add_flag("--allow-non-loopback-routes", serve_options.allow_non_loopback_routes,
                    "Let POST /routes name addresses outside 127.0.0.0/8");
    std::string serve_timeline = "manual";
    CLI::Option* timeline_option =
        serve->add_option("--timeline", serve_timeline,
                          "When the scenario's [[faults]] start: start (at ready), manual (on POST /timeline/start) or off")
            ->check(CLI::IsMember({"start", "manual", "off"}));

    routelab::cli::ImportOptions import_options;
    CLI::App* import = app.add_subcommand("import", "Read a running cluster's topology, keyspaces and routes into a scenario file");
    import->add_option("--contact", import_options.contact, "HOST[:PORT] of one node (port 9042 if left out)")->required();
    import->add_option("--keyspace", import_options.keyspaces, "Keyspace to import (repeatable; default: every non-system one)")
        ->allow_extra_args(false);
    import->add_option("--out", import_options.out_path, "The scenario TOML to write")->required();
    import->add_option("--connect-timeout", import_options.connect_timeout_s, "Give up connecting after S seconds (default 3)")
        ->check(CLI::Range(0.001, 600.0));
    import->add_option("--request-timeout", import_options.request_timeout_s, "Give up on one query after S seconds (default 5)")
        ->check(CLI::Range(0.001, 600.0));

    routelab::cli::ReportOptions report_options;
    CLI::App* report = app.add_subcommand("report", "Write one self-contained HTML page for the runs of results databases");
    report->add_option("DB", report_options.db_paths, "Results databases (results.sqlite)")->required()->expected(1, -1);
    report->add_option("--out", report_options.out_path, "The HTML file to write")->required();
    report->add_option("--figures", report_options.figures_dir, "Also write every figure as PNG and SVG files into this directory");

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
                      : sweep->parsed()   ? sweep->help()
                      : merge->parsed()   ? merge->help()
                      : compare->parsed() ? compare->help()
                      : ci->parsed()      ? ci->help()
                      : replay->parsed()  ? replay->help()
                      : report->parsed()  ? report->help()
                      : import->parsed()  ? import->help()
                      : explore->parsed() ? explore->help()
                                          : app.help());
        return exit_bad_input;
    }

    if (run->parsed()) {
        if (seed_option->count() > 0) run_options.seed = seed;
        run_options.plots = !no_plots;
        run_options.world = world;
        return routelab::cli::run_command(run_options);
    }
    if (explain->parsed()) {
        if (explain_seed_option->count() > 0) explain_options.seed = explain_seed;
        if (key_option->count() > 0) explain_options.key = key;
        if (token_option->count() > 0) explain_options.token = token;
        if (serial_option->count() > 0) explain_options.serial_consistency = serial;
        if (keyspace_option->count() > 0) explain_options.keyspace = explain_keyspace;
        if (table_option->count() > 0) explain_options.table = explain_table;
        if (at_option->count() > 0) explain_options.at_s = explain_at;
        explain_options.consistency_given = consistency_option->count() > 0;
        return routelab::cli::explain_command(explain_options);
    }
    if (serve->parsed()) {
        if (serve_seed_option->count() > 0) serve_options.seed = serve_seed;
        if (control_port_option->count() > 0) serve_options.control_port = control_port;
        if (duration_option->count() > 0) serve_options.duration_s = duration_s;
        serve_options.timeline = serve_timeline == "start" ? routelab::cli::TimelineMode::start
                                 : serve_timeline == "off" ? routelab::cli::TimelineMode::off
                                                           : routelab::cli::TimelineMode::manual;
        if (timeline_option->count() > 0 && serve_options.timeline == routelab::cli::TimelineMode::manual && !serve_options.control_port) {
            std::cerr << "routelab: --timeline manual needs --control-port (the timeline starts on POST /timeline/start)\n";
            return exit_bad_input;
        }
        return routelab::cli::serve_command(serve_options);
    }
    if (sweep->parsed()) return routelab::cli::sweep_command(sweep_options);
    if (compare->parsed()) return routelab::cli::compare_command(compare_options);
    if (ci->parsed()) return routelab::cli::ci_command(ci_options);
    if (replay->parsed()) {
        if (replay_run_option->count() > 0) replay_options.run_id = replay_run;
        return routelab::cli::replay_command(replay_options);
    }
    if (merge->parsed()) return routelab::cli::merge_command(merge_out, merge_slices);
    if (report->parsed()) return routelab::cli::report_command(report_options);
    if (import->parsed()) return routelab::cli::import_command(import_options);
    if (explore->parsed()) {
        explore_options.shrink = !no_shrink;
        if (print_run_option->count() > 0) explore_options.print_run = print_run;
        return routelab::cli::explore_command(explore_options);
    }
    std::cerr << app.help();
    return exit_bad_input;
}
