#pragma once
// Checkers by name, like the driver's policies: the scenario parser looks a name up to
// check a [[checks]] entry's parameters (with file:line errors), the runner to build the
// checker. Built-in checkers register on first use; tests and user code may add more.
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/checks/checker.hpp"

namespace routelab::checks {

enum class ParamType : std::uint8_t {
    number,       // a finite number in [min, max] (min excluded if min_exclusive)
    integer,      // an integer in [min, max]
    boolean,
    text,         // any string
    choice,       // one of `choices`
    list,         // a list of strings (a single string is a list of one)
    choice_list,  // a list of `choices`
};

struct ParamSpec {
    std::string name;
    ParamType type = ParamType::number;
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool min_exclusive = false;
    std::vector<std::string> choices;
    bool required = false;
    std::string help;     // one line, for messages and docs
};

// A mistake in a check's parameters: which one (empty: the check as a whole) and why.
struct ParamProblem {
    std::string param;
    std::string message;
};

using CheckValidator = std::function<std::optional<ParamProblem>(const Params&, const CheckEnv&)>;
using CheckFactory = std::function<std::unique_ptr<Checker>(const CheckSetup&)>;

struct CheckerInfo {
    std::string name;
    std::string summary;
    std::vector<ParamSpec> params;
    CheckValidator validate;   // cross-parameter and scenario rules; may be empty
    CheckFactory create;
};

class CheckRegistry {
public:
    static CheckRegistry& instance();
    // False if the name is taken.
    bool add(CheckerInfo info);
    const CheckerInfo* find(std::string_view name) const;
    std::vector<std::string> names() const;

private:
    CheckRegistry();
    std::map<std::string, CheckerInfo, std::less<>> checkers_;
};

// Helpers for checker files: parameter specs the rate-like checks share.
ParamSpec number_param(std::string name, double min, double max, std::string help, bool required = false);
ParamSpec integer_param(std::string name, double min, double max, std::string help, bool required = false);
ParamSpec choice_param(std::string name, std::vector<std::string> choices, std::string help);
ParamSpec boolean_param(std::string name, std::string help);
ParamSpec list_param(std::string name, std::string help);

}  // namespace routelab::checks
