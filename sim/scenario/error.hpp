#pragma once
// A scenario that cannot be used: where (file, line) and which field, and what is wrong.
// Returned, never thrown out of the parser (STYLE §10.9: bad input is a typed error that
// names the place).
#include <cstdint>
#include <string>

namespace routelab::scenario {

struct ScenarioError {
    std::string file;      // the path or name the text came from
    std::uint32_t line = 0;  // 1-based; 0 when no single line is to blame
    std::string field;     // dotted path such as "workload.rate_per_s"; empty for syntax errors
    std::string message;   // what was expected and what was found

    // One line: "file:line: field: message" (":line" and "field: " left out when unknown).
    std::string to_string() const {
        std::string out = file;
        if (line != 0) {
            out += ':';
            out += std::to_string(line);
        }
        out += ": ";
        if (!field.empty()) {
            out += field;
            out += ": ";
        }
        out += message;
        return out;
    }
};

}  // namespace routelab::scenario
