#pragma once
// A scenario as its TOML document, for exploration and shrinking: perturbations and
// shrink steps edit the document, and a run parses the document's text with the same
// reader as `routelab run` (sim/scenario/parse.hpp). So an explored or shrunk scenario is
// always plain TOML text — nothing is carried beside it — and the file written for a
// failure is exactly what was run. Keys are kept in a std::map: the text is stable.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <toml.hpp>

#include "sim/scenario/parse.hpp"

namespace routelab::explore {

using Doc = toml::basic_value<toml::discard_comments, std::map, std::vector>;

// Reads and parses TOML; on failure returns nullopt and sets `error` ("file: reason").
std::optional<Doc> read_doc_file(const std::string& path, std::string& error);
std::optional<Doc> read_doc_text(const std::string& text, const std::string& name, std::string& error);

// The document as TOML text (floats with 15 significant digits: every value the explorer
// writes is rounded to a millisecond or a tenth, and a user's decimals have fewer digits,
// so the text reads back to the same doubles — the round-trip test checks it).
std::string doc_text(const Doc& doc);

// Parses the document's text as a scenario (the [explore] table is ignored by the reader).
scenario::ParseResult parse_doc(const Doc& doc, const std::string& name);

// A number (integer or float) as a double; nullopt for anything else.
std::optional<double> number_of(const Doc& v);
// The table's entry, or null when `table` is not a table or lacks the key.
Doc* entry(Doc& table, const std::string& key);
const Doc* entry(const Doc& table, const std::string& key);
// The array at table[key], or null.
std::vector<Doc>* array_entry(Doc& table, const std::string& key);
const std::vector<Doc>* array_entry(const Doc& table, const std::string& key);
// table[key], creating `table` entries on the way ("workload" then "rate_per_s").
Doc& table_entry(Doc& root, const std::string& table, const std::string& key);

// Sets a dotted key (`explore.rate_scale`, `faults[1].at_s`) to a TOML value given as text
// (text that is not TOML is taken as a string, as `--set` does). False with `error` when
// the path is malformed or indexes a missing element.
bool set_dotted(Doc& root, const std::string& key, const std::string& value_text, std::string& error);

// Rounds to a multiple of 1/per_unit (1000: a millisecond of seconds): the nearest double
// to a short decimal, so that written values stay short and read back the same.
double rounded(double value, double per_unit);

}  // namespace routelab::explore
