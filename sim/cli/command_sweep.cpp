#include "sim/cli/command_sweep.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>
#include <unistd.h>
#include <xxhash.h>

#include "sim/cli/command_run.hpp"
#include "sim/live/wall_stopwatch.hpp"
#include "sim/results/sqlite_sink.hpp"
#include "sim/results/sweep_store.hpp"
#include "sim/scenario/parse.hpp"
#include "sim/sweep/grid.hpp"
#include "sim/sweep/median_interval.hpp"
#include "sim/sweep/process_pool.hpp"

namespace routelab::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t max_jobs = 1'000'000;

std::string build_id() { return std::string(ROUTELAB_VERSION) + " " + ROUTELAB_BUILD_TYPE; }

std::string base_file_hash(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return results::hex16(XXH64(bytes.data(), bytes.size(), 0));
}

std::string job_dir_name(std::uint64_t index) { return fmt::format("job-{:06}", index); }

// The last non-empty line of a log, to say why a job failed.
std::string last_line(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::string last;
    while (std::getline(in, line))
        if (!line.empty()) last = line;
    return last;
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// One line per grid point: runs, passes, p50 and p99 medians over seeds with the p99
// median's distribution-free interval and its coverage, error rate.
void print_comparison(const std::vector<results::SweepRunRow>& rows) {
    std::map<std::string, std::vector<const results::SweepRunRow*>> by_point;
    std::vector<std::string> order;
    for (const auto& r : rows) {
        if (!by_point.count(r.knobs)) order.push_back(r.knobs);
        by_point[r.knobs].push_back(&r);
    }
    fmt::print("{:<48} {:>5} {:>6} {:>10} {:>10} {:>28} {:>9}\n", "knobs", "runs", "pass", "p50 ms", "p99 ms",
               "p99 median interval ms", "errors %");
    for (const auto& knobs : order) {
        const auto& runs = by_point[knobs];
        std::vector<double> p50, p99, err;
        int pass = 0;
        for (const auto* r : runs) {
            p50.push_back(static_cast<double>(r->p50_ns) / 1e6);
            p99.push_back(static_cast<double>(r->p99_ns) / 1e6);
            err.push_back(r->requests == 0 ? 0.0 : 100.0 * static_cast<double>(r->errors) / static_cast<double>(r->requests));
            if (r->verdict == "pass") ++pass;
        }
        const sweep::MedianInterval ci = sweep::median_interval(p99);
        fmt::print("{:<48} {:>5} {:>6} {:>10.3f} {:>10.3f} {:>28} {:>9.3f}\n", knobs, runs.size(), pass, median(p50), ci.median,
                   fmt::format("[{:.3f}, {:.3f}] {:.0f}%", ci.low, ci.high, ci.coverage * 100), median(err));
    }
}

class Progress {
public:
    Progress(std::uint64_t total, bool bar) : total_(total), bar_(bar) {}
    void finished(std::uint64_t job, bool ok, const std::string& why) {
        ++done_;
        if (!ok) ++failed_;
        const double elapsed = clock_.elapsed_s();
        const double eta = done_ == 0 ? 0 : elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_);
        if (bar_) {
            constexpr std::size_t width = 30;
            const std::size_t filled = total_ == 0 ? width : static_cast<std::size_t>(width * done_ / total_);
            std::fprintf(stderr, "\r[%s%s] %llu/%llu done, %llu failed, ETA %.0f s ", std::string(filled, '#').c_str(),
                         std::string(width - filled, '-').c_str(), static_cast<unsigned long long>(done_),
                         static_cast<unsigned long long>(total_), static_cast<unsigned long long>(failed_), eta);
            if (!ok) std::fprintf(stderr, "\n%s: %s\n", job_dir_name(job).c_str(), why.c_str());
            if (done_ == total_) std::fprintf(stderr, "\n");
        } else {
            std::fprintf(stderr, "sweep: %llu/%llu done, %llu failed, ETA %.0f s (%s %s%s%s)\n",
                         static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
                         static_cast<unsigned long long>(failed_), eta, job_dir_name(job).c_str(), ok ? "ok" : "FAILED",
                         ok ? "" : ": ", why.c_str());
        }
    }
    double elapsed_s() const { return clock_.elapsed_s(); }

private:
    std::uint64_t total_;
    bool bar_;
    std::uint64_t done_ = 0;
    std::uint64_t failed_ = 0;
    live::WallStopwatch clock_;
};

}  // namespace

int sweep_command(const SweepOptions& options) {
    // Everything the flags say is checked before anything is written.
    std::vector<sweep::Axis> axes;
    std::set<std::string> keys;
    for (const auto& text : options.axes) {
        sweep::Axis axis;
        if (auto bad = sweep::parse_axis(text, axis)) {
            fmt::print(stderr, "routelab: {}\n", *bad);
            return exit_bad_input;
        }
        if (!keys.insert(axis.key).second) {
            fmt::print(stderr, "routelab: --set {}: the key is swept twice\n", axis.key);
            return exit_bad_input;
        }
        axes.push_back(std::move(axis));
    }
    if (options.seeds == 0 || options.seeds > max_jobs) {
        fmt::print(stderr, "routelab: --seeds {}: expected 1 to {}\n", options.seeds, max_jobs);
        return exit_bad_input;
    }
    std::uint64_t points = 1;
    for (const auto& a : axes) {
        if (points > max_jobs / a.values.size()) {
            fmt::print(stderr, "routelab: the grid has more than {} points\n", max_jobs);
            return exit_bad_input;
        }
        points *= a.values.size();
    }
    if (points > max_jobs / options.seeds) {
        fmt::print(stderr, "routelab: the grid × seeds is more than {} jobs\n", max_jobs);
        return exit_bad_input;
    }
    if (options.first_seed > std::numeric_limits<std::uint64_t>::max() - options.seeds) {
        fmt::print(stderr, "routelab: --first-seed {}: the seeds would wrap around\n", options.first_seed);
        return exit_bad_input;
    }
    sweep::Shard shard;
    if (!options.shard.empty()) {
        if (auto bad = sweep::parse_shard(options.shard, shard)) {
            fmt::print(stderr, "routelab: {}\n", *bad);
            return exit_bad_input;
        }
    }
    const sweep::Grid grid(axes, options.seeds, options.first_seed);
    // Every grid point must make a valid scenario (the seed does not change validity).
    for (std::uint64_t p = 0; p < grid.points(); ++p) {
        const auto parsed = scenario::parse_scenario_file(options.scenario_path, grid.job(p * grid.seeds()).overrides);
        if (!parsed) {
            fmt::print(stderr, "{}\n", parsed.error().to_string());
            return exit_bad_input;
        }
    }
    if (options.out_dir.empty()) {
        fmt::print(stderr, "routelab: --out DIR is required\n");
        return exit_bad_input;
    }
    const fs::path dir(options.out_dir);
    const fs::path db = dir / "sweep.sqlite";
    std::error_code ec;
    if (fs::exists(db, ec) && !options.resume) {
        fmt::print(stderr, "routelab: {} exists: pass --resume to finish that sweep, or choose another --out\n", db.string());
        return exit_bad_input;
    }
    if (options.resume && !fs::exists(db, ec)) {
        fmt::print(stderr, "routelab: --resume: {} does not exist\n", db.string());
        return exit_bad_input;
    }
    fs::create_directories(dir / "jobs", ec);
    if (ec) {
        fmt::print(stderr, "routelab: cannot create {}: {}\n", (dir / "jobs").string(), ec.message());
        return exit_io_error;
    }

    results::SweepMeta meta;
    meta.scenario_path = options.scenario_path;
    meta.scenario_hash = base_file_hash(options.scenario_path);
    meta.build = build_id();
    meta.grid = grid.canonical();
    meta.seeds = grid.seeds();
    meta.first_seed = grid.first_seed();
    meta.jobs = grid.jobs();
    std::set<std::uint64_t> done;
    try {
        results::open_sweep(db.string(), meta);
        done = results::completed_jobs(db.string());
    } catch (const results::ResultsError& e) {
        fmt::print(stderr, "routelab: {}\n", e.what());
        return options.resume ? exit_bad_input : exit_io_error;
    }

    const std::string self = fs::read_symlink("/proc/self/exe", ec).string();
    if (ec) {
        fmt::print(stderr, "routelab: cannot find its own executable: {}\n", ec.message());
        return exit_io_error;
    }
    std::vector<sweep::Command> commands;
    std::map<std::uint64_t, sweep::Job> jobs;
    for (std::uint64_t j = 0; j < grid.jobs(); ++j) {
        if (!shard.owns(j) || done.count(j)) continue;
        sweep::Job job = grid.job(j);
        const fs::path job_dir = dir / "jobs" / job_dir_name(j);
        fs::remove_all(job_dir, ec);  // what a killed sweep left of this job
        fs::create_directories(job_dir, ec);
        if (ec) {
            fmt::print(stderr, "routelab: cannot create {}: {}\n", job_dir.string(), ec.message());
            return exit_io_error;
        }
        sweep::Command c;
        c.argv = {self, "run", options.scenario_path, "--seed", std::to_string(job.seed), "--out", job_dir.string(), "--quiet",
                  "--no-plots"};
        for (const auto& o : job.overrides) {
            c.argv.push_back("--set");
            c.argv.push_back(o.key + "=" + o.value);
        }
        c.log_path = (job_dir / "log.txt").string();
        c.tag = j;
        commands.push_back(std::move(c));
        jobs.emplace(j, std::move(job));
    }

    unsigned width = options.jobs;
    if (width == 0) {
        const long cores = sysconf(_SC_NPROCESSORS_ONLN);
        width = cores > 0 ? static_cast<unsigned>(cores) : 1;
    }
    const bool bar = options.progress_bar || isatty(STDERR_FILENO) == 1;
    const std::uint64_t owned = commands.size() + [&] {
        std::uint64_t n = 0;
        for (auto j : done) n += shard.owns(j) ? 1U : 0U;
        return n;
    }();
    fmt::print(stderr, "sweep: {} jobs in the grid ({} points × {} seeds), {} in this slice, {} stored already, {} to run on {} workers\n",
               grid.jobs(), grid.points(), grid.seeds(), owned, owned - commands.size(), commands.size(), width);
    Progress progress(commands.size(), bar);
    std::uint64_t failed = 0;
    bool db_error = false;
    sweep::run_all(commands, width, [&](const sweep::Finished& f) {
        const fs::path job_dir = dir / "jobs" / job_dir_name(f.tag);
        std::string why;
        const bool ran = f.spawn_error.empty() && (f.exit_code == exit_pass || f.exit_code == exit_fail);
        if (!ran) {
            why = !f.spawn_error.empty() ? f.spawn_error
                  : f.signal != 0        ? fmt::format("killed by signal {}", f.signal)
                                         : fmt::format("exit status {}: {}", f.exit_code, last_line((job_dir / "log.txt").string()));
        } else {
            const auto& job = jobs.at(f.tag);
            try {
                results::import_job_run(db.string(), (job_dir / "results.sqlite").string(), 1,
                                        results::SweepJobRow{job.index, job.seed, job.knobs_json});
                fs::remove_all(job_dir, ec);
            } catch (const results::ResultsError& e) {
                why = e.what();
                db_error = true;
            }
        }
        if (!why.empty()) ++failed;
        progress.finished(f.tag, why.empty(), why);
    });

    try {
        results::close_sweep(db.string());
        print_comparison(results::read_sweep_runs(db.string()));
    } catch (const results::ResultsError& e) {
        fmt::print(stderr, "routelab: {}\n", e.what());
        return exit_io_error;
    }
    fmt::print("sweep: {} ran, {} failed, {:.1f} wall s; results: {}\n", commands.size() - failed, failed,
               progress.elapsed_s(), db.string());
    if (db_error) return exit_io_error;
    return failed == 0 ? exit_pass : exit_fail;
}

int merge_command(const std::string& out, const std::vector<std::string>& slices) {
    try {
        const results::SweepMeta first = results::read_sweep_meta(slices.front());
        for (const auto& s : slices) {
            const results::SweepMeta m = results::read_sweep_meta(s);
            if (!(m.scenario_hash == first.scenario_hash && m.build == first.build && m.grid == first.grid &&
                  m.seeds == first.seeds && m.first_seed == first.first_seed)) {
                fmt::print(stderr, "routelab: {} belongs to another sweep than {} (scenario, build, grid or seeds differ)\n", s,
                           slices.front());
                return exit_bad_input;
            }
        }
        // A job in two slices (or already in OUT) is refused before anything is written.
        std::set<std::uint64_t> seen;
        if (std::filesystem::exists(out)) seen = results::completed_jobs(out);
        for (const auto& s : slices)
            for (const auto j : results::completed_jobs(s))
                if (!seen.insert(j).second) {
                    fmt::print(stderr, "routelab: job {} of {} is in another slice or in {} already\n", j, s, out);
                    return exit_bad_input;
                }
        std::uint64_t copied = 0;
        for (const auto& s : slices) copied += results::merge_sweep(out, s);
        const auto stored = results::completed_jobs(out);
        fmt::print("merge: {} jobs copied; {} holds {} of the grid's {} jobs{}\n", copied, out, stored.size(), first.jobs,
                   stored.size() == first.jobs ? "" : " (incomplete)");
        return exit_pass;
    } catch (const results::ResultsError& e) {
        fmt::print(stderr, "routelab: {}\n", e.what());
        return exit_bad_input;
    }
}

}  // namespace routelab::cli
