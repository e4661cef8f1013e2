#pragma once
// Serialized cell values for system-table rows, in the native protocol's value encodings:
// text as UTF-8, uuid 16 bytes, inet 4 bytes, int/boolean/double big-endian, and
// collections as [int] n followed by [bytes] elements (maps: key then value).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "driver/protocol/byte_reader.hpp"

namespace routelab::cluster::system_tables::cell {

using routelab::cql::Bytes;

Bytes text(std::string_view s);
Bytes uuid(const std::array<std::uint8_t, 16>& id);
Bytes inet(std::uint32_t ipv4);
Bytes int32(std::int32_t v);
Bytes boolean(bool v);
Bytes float64(double v);
// set<text> and list<text> share an encoding.
Bytes text_collection(const std::vector<std::string>& elements);
Bytes text_map(const std::vector<std::pair<std::string, std::string>>& entries);

}  // namespace routelab::cluster::system_tables::cell
