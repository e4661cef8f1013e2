#pragma once
// Reads a scenario TOML file (format: scenarios/README.md) into the plain-data Scenario,
// applying defaults and checking every field and cross-field rule. Nothing is thrown:
// every failure, including TOML syntax errors and unreadable files, comes back as a
// ScenarioError naming the file, the line of the offending value and the field.
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "sim/scenario/error.hpp"
#include "sim/scenario/model.hpp"
#include "sim/scenario/overrides.hpp"

namespace routelab::scenario {

class ParseResult {
public:
    ParseResult(Scenario s) : value_(std::move(s)) {}        // NOLINT: implicit by design
    ParseResult(ScenarioError e) : value_(std::move(e)) {}   // NOLINT: implicit by design

    bool ok() const { return std::holds_alternative<Scenario>(value_); }
    explicit operator bool() const { return ok(); }
    // Precondition: ok().
    const Scenario& scenario() const { return std::get<Scenario>(value_); }
    Scenario& scenario() { return std::get<Scenario>(value_); }
    // Precondition: !ok().
    const ScenarioError& error() const { return std::get<ScenarioError>(value_); }

private:
    std::variant<Scenario, ScenarioError> value_;
};

// Reads and parses the file at `path`; Scenario::source_path is set to `path`.
ParseResult parse_scenario_file(const std::string& path);

// Parses TOML text; `name` is used as the file name in errors and as source_path.
ParseResult parse_scenario_text(const std::string& text, const std::string& name);

// As above, with `--set` overrides applied to the document before it is read
// (sim/scenario/overrides.hpp); errors about an overridden key name its flag.
ParseResult parse_scenario_file(const std::string& path, const std::vector<Override>& overrides);
ParseResult parse_scenario_text(const std::string& text, const std::string& name,
                                const std::vector<Override>& overrides);

}  // namespace routelab::scenario
