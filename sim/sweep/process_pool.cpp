#include "sim/sweep/process_pool.hpp"

#include <cerrno>
#include <cstring>
#include <map>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

namespace routelab::sweep {
namespace {

// Starts one command; returns its pid, or -1 with `error` set.
pid_t spawn(const Command& c, std::string& error) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, c.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> argv;
    for (const auto& a : c.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        error = std::string("cannot start ") + c.argv[0] + ": " + std::strerror(rc);
        return -1;
    }
    return pid;
}

}  // namespace

void run_all(const std::vector<Command>& commands, unsigned width, const std::function<void(const Finished&)>& on_finished) {
    if (width == 0) width = 1;
    std::map<pid_t, std::uint64_t> running;
    std::size_t next = 0;
    while (next < commands.size() || !running.empty()) {
        while (next < commands.size() && running.size() < width) {
            const Command& c = commands[next++];
            std::string error;
            const pid_t pid = spawn(c, error);
            if (pid < 0) {
                on_finished(Finished{c.tag, -1, 0, error});
                continue;
            }
            running.emplace(pid, c.tag);
        }
        if (running.empty()) continue;
        int status = 0;
        const pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            break;  // no children left that we know of
        }
        const auto it = running.find(pid);
        if (it == running.end()) continue;
        Finished f;
        f.tag = it->second;
        running.erase(it);
        if (WIFEXITED(status)) f.exit_code = WEXITSTATUS(status);
        else if (WIFSIGNALED(status)) f.signal = WTERMSIG(status);
        on_finished(f);
    }
}

}  // namespace routelab::sweep
