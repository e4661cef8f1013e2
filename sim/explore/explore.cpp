#include "sim/explore/explore.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <stdexcept>

#include <fmt/format.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace routelab::explore {
namespace {

RunResult run_one(const Doc& base, const scenario::Scenario& parsed, const ExploreConfig& config, const ExploreOptions& options,
                  std::size_t index) {
    RunResult r;
    r.index = index;
    const auto v = vary(base, parsed, config, options.seed, index);
    if (!v) {
        r.valid = false;
        return r;
    }
    r.seed = v->seed;
    const Outcome o = run_doc(v->doc, options.world);
    r.valid = o.valid;
    r.failures = o.failures;
    return r;
}

// One line per run through a worker's pipe: index, seed, valid, then check \x1f detail
// pairs separated by \x1e (neither appears in names or details we print).
std::string encode(const RunResult& r) {
    std::string line = fmt::format("{}\t{}\t{}", r.index, r.seed, r.valid ? 1 : 0);
    for (const auto& f : r.failures) line += "\t" + f.check + "\x1f" + f.detail;
    for (char& c : line)
        if (c == '\n') c = ' ';
    return line + "\n";
}

RunResult decode(const std::string& line) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
        const auto tab = line.find('\t', start);
        fields.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
    }
    if (fields.size() < 3) throw std::runtime_error("explore: a worker sent a malformed line");
    RunResult r;
    r.index = std::stoul(fields[0]);
    r.seed = std::stoull(fields[1]);
    r.valid = fields[2] == "1";
    for (std::size_t i = 3; i < fields.size(); ++i) {
        const auto sep = fields[i].find('\x1f');
        r.failures.push_back({fields[i].substr(0, sep), sep == std::string::npos ? "" : fields[i].substr(sep + 1)});
    }
    return r;
}

void write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) _exit(3);
        done += static_cast<std::size_t>(n);
    }
}

// Worker w runs indexes w, w + jobs, ...; the parent reads every worker's lines as they come.
std::vector<RunResult> run_forked(const Doc& base, const scenario::Scenario& parsed, const ExploreConfig& config,
                                  const ExploreOptions& options,
                                  const std::function<void(std::size_t, std::size_t, const RunResult&)>& progress) {
    struct Worker {
        pid_t pid = -1;
        int fd = -1;
        std::string buffer;
    };
    std::vector<Worker> workers;
    std::fflush(stdout);
    std::fflush(stderr);
    for (unsigned w = 0; w < options.jobs && w < options.runs; ++w) {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("explore: cannot create a pipe");
        const pid_t pid = ::fork();
        if (pid < 0) throw std::runtime_error("explore: cannot fork a worker");
        if (pid == 0) {
            ::close(fds[0]);
            for (const auto& other : workers) ::close(other.fd);
            for (std::size_t i = w; i < options.runs; i += options.jobs)
                write_all(fds[1], encode(run_one(base, parsed, config, options, i)));
            ::close(fds[1]);
            _exit(0);
        }
        ::close(fds[1]);
        workers.push_back({pid, fds[0], {}});
    }
    std::vector<RunResult> results;
    std::size_t open = workers.size();
    while (open > 0) {
        std::vector<pollfd> polls;
        for (const auto& w : workers)
            if (w.fd >= 0) polls.push_back({w.fd, POLLIN, 0});
        if (::poll(polls.data(), polls.size(), -1) < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("explore: poll failed");
        }
        for (auto& w : workers) {
            if (w.fd < 0) continue;
            const auto p = std::find_if(polls.begin(), polls.end(), [&](const pollfd& q) { return q.fd == w.fd; });
            if (p == polls.end() || p->revents == 0) continue;
            char chunk[4096];
            const ssize_t n = ::read(w.fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                ::close(w.fd);
                w.fd = -1;
                --open;
                continue;
            }
            w.buffer.append(chunk, static_cast<std::size_t>(n));
            for (auto nl = w.buffer.find('\n'); nl != std::string::npos; nl = w.buffer.find('\n')) {
                results.push_back(decode(w.buffer.substr(0, nl)));
                w.buffer.erase(0, nl + 1);
                if (progress) progress(results.size(), options.runs, results.back());
            }
        }
    }
    bool crashed = false;
    for (const auto& w : workers) {
        int status = 0;
        ::waitpid(w.pid, &status, 0);
        crashed = crashed || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    if (crashed || results.size() != options.runs)
        throw std::runtime_error(fmt::format("explore: a worker ended early ({} of {} runs reported)", results.size(), options.runs));
    return results;
}

}  // namespace

ExploreResult explore(const Doc& base, const scenario::Scenario& parsed, const ExploreConfig& config,
                      const ExploreOptions& options,
                      const std::function<void(std::size_t, std::size_t, const RunResult&)>& progress) {
    ExploreResult result;
    if (options.jobs > 1) {
        result.runs = run_forked(base, parsed, config, options, progress);
    } else {
        for (std::size_t i = 0; i < options.runs; ++i) {
            result.runs.push_back(run_one(base, parsed, config, options, i));
            if (progress) progress(i + 1, options.runs, result.runs.back());
        }
    }
    std::sort(result.runs.begin(), result.runs.end(), [](const RunResult& a, const RunResult& b) { return a.index < b.index; });
    std::map<std::string, FailureSummary> by_check;
    for (const auto& r : result.runs) {
        if (!r.valid) ++result.invalid;
        for (const auto& f : r.failures) {
            FailureSummary& s = by_check[f.check];
            if (s.runs == 0) {
                s.check = f.check;
                s.first_detail = f.detail;
            }
            ++s.runs;
            s.indexes.push_back(r.index);
            s.seeds.push_back(r.seed);
        }
    }
    for (auto& [name, s] : by_check) result.failures.push_back(std::move(s));
    std::stable_sort(result.failures.begin(), result.failures.end(),
                     [](const FailureSummary& a, const FailureSummary& b) { return a.runs > b.runs; });
    return result;
}

std::string failure_table(const ExploreResult& result) {
    const std::size_t total = result.runs.size();
    std::size_t failed = 0;
    for (const auto& r : result.runs) failed += r.failures.empty() ? 0U : 1U;
    std::string out = fmt::format("{} runs: {} passed, {} failed{}\n", total, total - failed - result.invalid, failed,
                                  result.invalid > 0 ? fmt::format(", {} without a valid variation", result.invalid) : "");
    if (result.failures.empty()) return out;
    std::size_t width = 5;
    for (const auto& f : result.failures) width = std::max(width, f.check.size());
    out += fmt::format("{:<{}}  {:>8}  {:>6}  {}\n", "check", width, "failures", "share", "runs (seed)");
    for (const auto& f : result.failures) {
        std::string runs;
        for (std::size_t i = 0; i < f.indexes.size() && i < 5; ++i)
            runs += fmt::format("{}{} ({})", i == 0 ? "" : ", ", f.indexes[i], f.seeds[i]);
        if (f.indexes.size() > 5) runs += fmt::format(", … {} more", f.indexes.size() - 5);
        out += fmt::format("{:<{}}  {:>8}  {:>5.1f}%  {}\n", f.check, width, f.runs, 100.0 * static_cast<double>(f.runs) / static_cast<double>(total),
                           runs);
    }
    return out;
}

}  // namespace routelab::explore
