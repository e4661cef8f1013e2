#pragma once
// CQL values: the typed contents of a [value]/[bytes] cell, for every CQL type — native
// types, list/set/map, tuple, UDT, vector (Cassandra 5's custom VectorType) and duration.
// Decoding checks everything the bytes must satisfy (sizes, UTF-8, ASCII, element counts,
// no null collection elements) and reports the offset within the value and what was
// expected; encoding reports a value that does not fit its type.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "driver/protocol/decode_error.hpp"
#include "driver/protocol/marshal_types.hpp"
#include "driver/protocol/primitives.hpp"
#include "driver/protocol/types.hpp"

namespace routelab::cql {

struct CqlValue;

// decimal: unscaled * 10^-scale, unscaled as a two's complement big-endian varint.
struct Decimal {
    std::int32_t scale = 0;
    Bytes unscaled;
    bool operator==(const Decimal&) const = default;
};
// varint: two's complement big-endian, kept as the wire bytes (at least one byte).
struct Varint {
    Bytes bytes;
    bool operator==(const Varint&) const = default;
};
struct Duration {
    std::int32_t months = 0;
    std::int32_t days = 0;
    std::int64_t nanoseconds = 0;
    bool operator==(const Duration&) const = default;
};
// list, set and vector elements (never null).
struct CqlCollection {
    std::vector<CqlValue> elements;
};
// map entries as parallel key and value lists (never null).
struct CqlMap {
    std::vector<CqlValue> keys;
    std::vector<CqlValue> values;
};
// tuple and UDT fields in declaration order; a field may be null; trailing fields may be
// missing (a UDT that gained fields after the value was written).
struct CqlFields {
    std::vector<CqlValue> fields;
};

// Which alternative goes with which type:
//   null: std::monostate            boolean: bool              tinyint: int8_t
//   smallint: int16_t               int: int32_t               bigint, counter, time (ns), timestamp (ms): int64_t
//   float: float                    double: double             ascii, varchar: std::string
//   blob, custom (other than vector/duration): Bytes           uuid, timeuuid: Uuid
//   inet: InetAddress               date (days, 2^31 = epoch): uint32_t
//   decimal: Decimal  varint: Varint  duration: Duration
//   list, set, vector: CqlCollection   map: CqlMap   tuple, UDT: CqlFields
struct CqlValue {
    std::variant<std::monostate, bool, std::int8_t, std::int16_t, std::int32_t, std::int64_t, float, double, std::string,
                 Bytes, Uuid, InetAddress, std::uint32_t, Decimal, Varint, Duration, CqlCollection, CqlMap, CqlFields>
        data;
    bool is_null() const { return data.index() == 0; }
};

bool operator==(const CqlCollection& a, const CqlCollection& b);
bool operator==(const CqlMap& a, const CqlMap& b);
bool operator==(const CqlFields& a, const CqlFields& b);
bool operator==(const CqlValue& a, const CqlValue& b);

// Appends the serialized value (without the [bytes] length) to `out`. A null value is not
// serialized here (the caller writes length -1). Returns an error message when the value
// does not fit the type.
std::optional<std::string> encode_value(const ColumnType& type, const CqlValue& value, Bytes& out);

// Decodes one non-null value of `type` from exactly `bytes`.
Decoded<CqlValue> decode_value(const ColumnType& type, std::span<const std::uint8_t> bytes);
// A cell that may be null: nullopt decodes to the null CqlValue.
Decoded<CqlValue> decode_cell(const ColumnType& type, const std::optional<std::span<const std::uint8_t>>& cell);

}  // namespace routelab::cql
