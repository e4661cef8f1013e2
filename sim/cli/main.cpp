// routelab: deterministic simulation harness for CQL drivers. Subcommands live in
// command_*.cpp; this file only maps the command line onto them.
#include <cstdint>
#include <iostream>

#include <CLI/CLI.hpp>

#include "sim/cli/command_run.hpp"

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

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);  // prints help to stdout, exit 0
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // e.g. --version-like successes
        std::cerr << "routelab: " << e.what() << "\n\n" << (run->parsed() ? run->help() : app.help());
        return exit_bad_input;
    }

    if (run->parsed()) {
        if (seed_option->count() > 0) run_options.seed = seed;
        return routelab::cli::run_command(run_options);
    }
    std::cerr << app.help();
    return exit_bad_input;
}
