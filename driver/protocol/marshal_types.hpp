#pragma once
// Types named by their Java marshal class, as custom ([option] 0x0000) types carry them:
// notably Cassandra 5's vector, "org.apache.cassandra.db.marshal.VectorType(<element
// class>, <dimension>)", and DurationType on v4.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "driver/protocol/types.hpp"

namespace routelab::cql {

constexpr std::string_view marshal_prefix = "org.apache.cassandra.db.marshal.";

struct VectorInfo {
    ColumnType element;
    std::uint32_t dimension = 0;
};

// Set when `type` is a custom VectorType with a parsable element type and dimension > 0.
std::optional<VectorInfo> vector_info(const ColumnType& type);
ColumnType vector_type(const ColumnType& element, std::uint32_t dimension);
bool is_duration(const ColumnType& type);  // native 0x0015 or custom DurationType

// The marshal class of a type and back (ReversedType/FrozenType wrappers are unwrapped).
// UDTs are not supported (their class names carry hex-encoded names).
std::string marshal_class_name(const ColumnType& type);
std::optional<ColumnType> parse_marshal_class(std::string_view name);

// The serialized size of every value of a type when fixed (vector elements of such types
// are packed without lengths), else nullopt.
std::optional<std::size_t> fixed_value_size(const ColumnType& type);

}  // namespace routelab::cql
