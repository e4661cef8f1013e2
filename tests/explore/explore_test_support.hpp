#pragma once
// Paths and small helpers shared by the exploration tests.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/explore/scenario_doc.hpp"

namespace routelab::test {

inline std::string source_dir() {
    const char* source = std::getenv("ROUTELAB_SOURCE_DIR");
    if (source == nullptr) FAIL("CANNOT RUN: ROUTELAB_SOURCE_DIR is not set");
    return source;
}

// Every *.toml directly in `dir` of the source tree, sorted.
inline std::vector<std::string> toml_files(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(source_dir() + "/" + dir))
        if (e.path().extension() == ".toml") out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    REQUIRE_FALSE(out.empty());
    return out;
}

inline explore::Doc doc_of(const std::string& text) {
    std::string error;
    auto doc = explore::read_doc_text(text, "test.toml", error);
    INFO(error);
    REQUIRE(doc);
    return *doc;
}

inline explore::Doc doc_file(const std::string& path) {
    std::string error;
    auto doc = explore::read_doc_file(path, error);
    INFO(error);
    REQUIRE(doc);
    return *doc;
}

}  // namespace routelab::test
