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

namespace routelab::cql {

using Bytes = std::vector<std::uint8_t>;

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

    // Reads an element count and checks it is plausible: non-negative and not more than
    // the remaining bytes could hold at `min_element_bytes` each. Prevents a forged count
    // from making the decoder reserve gigabytes.
    std::size_t count(std::int64_t n, std::size_t min_element_bytes, const char* what);

private:
    bool need(std::size_t n, const char* what);
    bool valid_utf8(std::span<const std::uint8_t> s) const;

    std::span<const std::uint8_t> data_;
    std::size_t base_;
    std::size_t pos_ = 0;
    bool failed_ = false;
    DecodeError error_;
};

}  // namespace routelab::cql
