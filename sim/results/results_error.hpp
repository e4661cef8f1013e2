#pragma once
// Failure to write or read the results database. The message always starts with the
// database path, then what was being done and SQLite's own message.
#include <stdexcept>
#include <string>

namespace routelab::results {

class ResultsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace routelab::results
