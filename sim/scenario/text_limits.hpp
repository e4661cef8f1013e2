#pragma once
// Limits checked on the raw TOML text before toml11 sees it. toml11 parses nested arrays and
// inline tables by recursion and long dotted keys in quadratic time, so an input such as
// `a = [[[[...` (a few thousand levels) would overflow the stack, and `a.a.a...` would take
// minutes; checking here turns both into ordinary errors. Binary integers are bounded here
// too: toml11 overflows a signed integer reading more than 62 binary digits. The limits are
// documented in scenarios/README.md ("Limits").
#include <cstddef>
#include <optional>
#include <string_view>

#include "sim/scenario/error.hpp"

namespace routelab::scenario::detail {

constexpr std::size_t max_file_bytes = 1024 * 1024;   // 1 MiB
constexpr std::size_t max_nesting = 32;               // arrays and inline tables inside each other
constexpr std::size_t max_key_parts = 32;             // parts of one dotted key or table header
constexpr std::size_t max_binary_digits = 62;         // digits of a 0b... integer (toml11 overflows beyond)

// The line (1-based) that holds byte `offset` of `text`.
std::uint32_t line_at(std::string_view text, std::size_t offset);

// What the text is: a whole document, or one value (a `--set KEY=VALUE` flag's VALUE).
enum class TextKind { document, value };

// The first limit `text` breaks, as an error at the line where it is broken; nullopt if none.
// `name` is the file name for the error. Only the TOML lexical structure is read (strings,
// comments, keys, brackets); syntax errors are left to toml11.
std::optional<ScenarioError> check_text_limits(std::string_view text, const std::string& name,
                                               TextKind kind = TextKind::document);

}  // namespace routelab::scenario::detail
