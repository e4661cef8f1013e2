#include "plots/gnuplot_run.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <system_error>

#include <unistd.h>

#include <gnuplot-iostream.h>

namespace routelab::plots::detail {
namespace {

bool executable(const std::filesystem::path& p) {
    std::error_code ec;
    return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

// Writing to a gnuplot that died would raise SIGPIPE and kill the whole process; ignore it
// while plotting (the write then fails quietly and the PNG check reports the problem).
class IgnoreSigpipe {
public:
    IgnoreSigpipe() { previous_ = std::signal(SIGPIPE, SIG_IGN); }
    ~IgnoreSigpipe() {
        if (previous_ != SIG_ERR) std::signal(SIGPIPE, previous_);
    }
    IgnoreSigpipe(const IgnoreSigpipe&) = delete;
    IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

private:
    void (*previous_)(int) = SIG_ERR;
};

}  // namespace

std::string find_gnuplot() {
    if (const char* env = std::getenv("ROUTELAB_GNUPLOT"); env != nullptr && *env != '\0') {
        if (executable(env)) return env;
        throw PlotError(std::string("gnuplot not found: ROUTELAB_GNUPLOT=") + env +
                        " is not an executable file");
    }
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / "gnuplot";
        if (executable(candidate)) return candidate.string();
    }
    throw PlotError("gnuplot not found on PATH; install it (Debian: apt-get install gnuplot-nox) "
                    "or set ROUTELAB_GNUPLOT to its path");
}

std::string quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += "''";
        else if (c == '\n' || c == '\r') out += ' ';
        else out += c;
    }
    out += "'";
    return out;
}

void render_png(const std::string& png_path, const std::function<void(std::ostream&)>& write_script) {
    render(png_path, ImageFormat::png, write_script);
}

void render(const std::string& png_path, ImageFormat format, const std::function<void(std::ostream&)>& write_script) {
    const char* kind = format == ImageFormat::png ? "PNG" : "SVG";
    const std::string gnuplot = find_gnuplot();
    std::error_code ec;
    const auto parent = std::filesystem::path(png_path).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
        throw PlotError(png_path + ": cannot write the " + kind + ": directory " + parent.string() +
                        " does not exist");
    }
    std::filesystem::remove(png_path, ec);  // so a stale file cannot pass the check below
    if (ec) throw PlotError(png_path + ": cannot replace the existing file: " + ec.message());
    try {
        IgnoreSigpipe guard;
        // gnuplot-iostream runs the command through popen (a shell): quote the path. If
        // `set output` fails gnuplot writes the image to stdout, so that goes to /dev/null.
        Gnuplot gp(quote(gnuplot) + " > /dev/null");
        if (format == ImageFormat::png) gp << "set terminal pngcairo size 1000,600 noenhanced\n";
        else gp << "set terminal svg size 1000,600 dynamic noenhanced font 'sans,10' background '#ffffff'\n";
        gp << "set output " << quote(png_path) << "\n";
        write_script(gp);
        gp << "set output\n";  // closes the file
        gp << "exit\n";
        gp.flush();
    } catch (const std::exception& e) {  // the Gnuplot destructor has waited for gnuplot
        throw PlotError(png_path + ": running gnuplot (" + gnuplot + ") failed: " + e.what());
    }
    const auto size = std::filesystem::file_size(png_path, ec);
    if (ec || size == 0) {
        throw PlotError(png_path + ": gnuplot (" + gnuplot +
                        ") did not write the " + kind + "; see its messages above");
    }
}

}  // namespace routelab::plots::detail
