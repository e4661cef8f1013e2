#pragma once
// Writes compare rows as JUnit XML (the Ant/Jenkins format that GitHub Actions, GitLab,
// Jenkins and others read): one <testsuite> per scenario, one <testcase> per case × figure
// or check, a <failure> with the figures when it failed.
#include <string>
#include <vector>

#include "sim/compare/compare.hpp"

namespace routelab::compare {

// Returns false with `error` set if the file cannot be written.
bool write_junit(const std::string& path, const std::vector<Row>& rows, std::string& error);

}  // namespace routelab::compare
