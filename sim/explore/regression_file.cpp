#include "sim/explore/regression_file.hpp"

#include <cctype>

#include <fmt/format.h>

namespace routelab::explore {

std::string regression_text(const Doc& shrunk, const RegressionInfo& info) {
    Doc doc = shrunk;
    doc.as_table().erase("explore");
    std::string out;
    out += "# Regression found by `routelab explore` and shrunk while it kept failing the same check.\n";
    out += fmt::format("# From {} (exploration seed {}, run {}); the run's seed is [scenario].seed = {}.\n", info.source,
                       info.explore_seed, info.run_index, info.seed);
    out += fmt::format("# Fails check: {}\n#   {}\n", info.check, info.detail);
    out += fmt::format("# Before shrinking: {}\n# After shrinking:  {}\n", info.before.text(), info.after.text());
    out += fmt::format("# Shrink steps ({}), each kept only because the check still failed:\n", info.steps.size());
    for (std::size_t i = 0; i < info.steps.size(); ++i) out += fmt::format("#   {}. {}\n", i + 1, info.steps[i]);
    out += "# `routelab run` on this file fails the same check (exit 1).\n\n";
    out += doc_text(doc);
    return out;
}

std::string regression_file_name(const std::string& scenario_name, const RegressionInfo& info) {
    std::string name = fmt::format("{}-{}-seed{}", scenario_name, info.check, info.seed);
    for (char& c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) c = '_';
    if (name.size() > 120) name.resize(120);
    return name + ".toml";
}

}  // namespace routelab::explore
