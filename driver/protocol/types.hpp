#pragma once
// CQL type descriptions as they appear in [option] form in result metadata.
#include <cstdint>
#include <string>
#include <vector>

namespace routelab::cql {

enum class TypeId : std::uint16_t {
    custom = 0x0000, ascii = 0x0001, bigint = 0x0002, blob = 0x0003, boolean = 0x0004,
    counter = 0x0005, decimal = 0x0006, double_ = 0x0007, float_ = 0x0008, int_ = 0x0009,
    timestamp = 0x000B, uuid = 0x000C, varchar = 0x000D, varint = 0x000E, timeuuid = 0x000F,
    inet = 0x0010, date = 0x0011, time = 0x0012, smallint = 0x0013, tinyint = 0x0014,
    duration = 0x0015, list = 0x0020, map = 0x0021, set = 0x0022, udt = 0x0030, tuple = 0x0031,
};

struct ColumnType {
    TypeId id = TypeId::blob;
    std::string custom_class;                  // custom
    std::vector<ColumnType> parameters;        // list/set: 1; map: 2; tuple: n; udt: field types
    std::string udt_keyspace;                  // udt
    std::string udt_name;
    std::vector<std::string> udt_field_names;

    bool operator==(const ColumnType&) const = default;
    static ColumnType of(TypeId id) { return ColumnType{id, {}, {}, {}, {}, {}}; }
};

// "bigint", "text", "list<int>", ... -> a type; false when not a known type name.
bool parse_type_name(const std::string& name, ColumnType& out);
std::string type_name(const ColumnType& type);

}  // namespace routelab::cql
