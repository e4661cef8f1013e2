#pragma once
// Bounds-checked big-endian reading of the protocol's primitive notations. The reader is
// "sticky": the first failure records its offset and expectation, later reads return
// empty values, and the caller checks `failed()` once at the end — so decoders stay
// straight-line code without a check after every field.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "driver/protocol/decode_error.hpp"
#include "driver/protocol/primitives.hpp"

namespace routelab::cql {

class ByteReader {
public:
    explicit ByteReader(std::span<const std::uint8_t> data, std::size_t base_offset = 0)
        : data_(data), base_(base_offset) {}

    bool failed() const { return failed_; }
    const DecodeError& error() const { return error_; }
    std::size_t offset() const { return base_ + pos_; }
    std::size_t remaining() const { return failed_ ? 0 : data_.size() - pos_; }
    bool at_end() const { return pos_ == data_.size(); }
    // Records a failure at the current offset (first failure wins).
    void fail(std::string expected);
    // Records a failure at an earlier absolute offset, e.g. the length field of a value.
    void fail_at(std::size_t absolute_offset, std::string expected);

    std::uint8_t byte();
    std::uint16_t u16();                       // [short]
    std::int32_t i32();                        // [int]
    std::int64_t i64();                        // [long]
    std::string string();                      // [string]
    std::string long_string();                 // [long string]
    std::string_view string_view();            // [string] without copying
    std::vector<std::string> string_list();    // [string list]
    std::optional<Bytes> bytes();              // [bytes]; nullopt = null
    Bytes short_bytes();                       // [short bytes]
    std::map<std::string, std::string> string_map();
    std::map<std::string, std::vector<std::string>> string_multimap();
    std::map<std::string, std::optional<Bytes>> bytes_map();
    std::span<const std::uint8_t> raw(std::size_t n);
    Uuid uuid();                               // [uuid]
    Inet inet();                               // [inet]
    InetAddress inet_address(std::size_t size);  // the address part of [inet], size 4 or 16
    Consistency consistency();                 // [consistency], 0..10
    // [value]: -1 null, -2 not set (only when `not_set_allowed`, i.e. v4+), < -2 invalid.
    Value value(bool not_set_allowed = true);
    // Views into the input (no copy), valid as long as the input bytes are.
    std::optional<std::span<const std::uint8_t>> bytes_view();   // [bytes]; nullopt = null
    std::span<const std::uint8_t> short_bytes_view();            // [short bytes]

    // Reads an element count and checks it is plausible: non-negative and not more than
    // the remaining bytes could hold at `min_element_bytes` each. Prevents a forged count
    // from making the decoder reserve gigabytes.
    std::size_t count(std::int64_t n, std::size_t min_element_bytes, const char* what);

    // Well-formed UTF-8: no overlong forms, surrogates or code points past U+10FFFF.
    static bool valid_utf8(std::span<const std::uint8_t> s);

private:
    bool need(std::size_t n, const char* what);

    std::span<const std::uint8_t> data_;
    std::size_t base_;
    std::size_t pos_ = 0;
    bool failed_ = false;
    DecodeError error_;
};

}  // namespace routelab::cql
