#pragma once
// Big-endian writing of the protocol's primitive notations into a caller-owned buffer.
// The buffer is reused across messages, so once it has grown to the largest frame the
// steady state allocates nothing.
#include "driver/protocol/invariant.hpp"
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "driver/protocol/primitives.hpp"

namespace routelab::cql {

class ByteWriter {
public:
    explicit ByteWriter(std::vector<std::uint8_t>& out) : out_(out) {}

    std::size_t size() const { return out_.size(); }
    void byte(std::uint8_t v) { out_.push_back(v); }
    void u16(std::uint16_t v) {
        out_.push_back(static_cast<std::uint8_t>(v >> 8));
        out_.push_back(static_cast<std::uint8_t>(v));
    }
    void i32(std::int32_t v) {
        const auto u = static_cast<std::uint32_t>(v);
        for (int shift = 24; shift >= 0; shift -= 8) out_.push_back(static_cast<std::uint8_t>(u >> shift));
    }
    void i64(std::int64_t v) {
        const auto u = static_cast<std::uint64_t>(v);
        for (int shift = 56; shift >= 0; shift -= 8) out_.push_back(static_cast<std::uint8_t>(u >> shift));
    }
    void raw(std::span<const std::uint8_t> bytes) { out_.insert(out_.end(), bytes.begin(), bytes.end()); }
    void raw(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }

    void string(std::string_view s) {
        invariant(s.size() <= 0xFFFF, "a [string] holds at most 65535 bytes");
        u16(static_cast<std::uint16_t>(s.size()));
        raw(s);
    }
    void long_string(std::string_view s) {
        invariant(s.size() <= 0x7FFFFFFF, "a [long string] holds at most 2^31-1 bytes");
        i32(static_cast<std::int32_t>(s.size()));
        raw(s);
    }
    void string_list(const std::vector<std::string>& list) {
        invariant(list.size() <= 0xFFFF, "a [string list] holds at most 65535 strings");
        u16(static_cast<std::uint16_t>(list.size()));
        for (const auto& s : list) string(s);
    }
    void bytes(std::span<const std::uint8_t> b) {
        invariant(b.size() <= 0x7FFFFFFF, "[bytes] hold at most 2^31-1 bytes");
        i32(static_cast<std::int32_t>(b.size()));
        raw(b);
    }
    void bytes(const std::optional<std::vector<std::uint8_t>>& b) {
        if (!b) return i32(-1);
        bytes(std::span<const std::uint8_t>(*b));
    }
    void short_bytes(std::span<const std::uint8_t> b) {
        invariant(b.size() <= 0xFFFF, "[short bytes] hold at most 65535 bytes");
        u16(static_cast<std::uint16_t>(b.size()));
        raw(b);
    }
    void string_map(const std::map<std::string, std::string>& m) {
        invariant(m.size() <= 0xFFFF, "a map holds at most 65535 entries");
        u16(static_cast<std::uint16_t>(m.size()));
        for (const auto& [k, v] : m) {
            string(k);
            string(v);
        }
    }
    void string_multimap(const std::map<std::string, std::vector<std::string>>& m) {
        invariant(m.size() <= 0xFFFF, "a map holds at most 65535 entries");
        u16(static_cast<std::uint16_t>(m.size()));
        for (const auto& [k, v] : m) {
            string(k);
            string_list(v);
        }
    }
    void bytes_map(const std::map<std::string, std::optional<std::vector<std::uint8_t>>>& m) {
        invariant(m.size() <= 0xFFFF, "a map holds at most 65535 entries");
        u16(static_cast<std::uint16_t>(m.size()));
        for (const auto& [k, v] : m) {
            string(k);
            bytes(v);
        }
    }
    void uuid(const Uuid& u) { out_.insert(out_.end(), u.begin(), u.end()); }
    void inet(const Inet& i) {
        invariant(i.address.size == 4 || i.address.size == 16, "an [inet] address has 4 or 16 bytes");
        byte(i.address.size);
        out_.insert(out_.end(), i.address.bytes.begin(), i.address.bytes.begin() + i.address.size);
        i32(i.port);
    }
    void consistency(Consistency c) { u16(static_cast<std::uint16_t>(c)); }
    void value(const Value& v) {
        if (v.kind == Value::Kind::null) return i32(-1);
        if (v.kind == Value::Kind::not_set) return i32(-2);
        bytes(std::span<const std::uint8_t>(v.bytes));
    }
    void null_bytes() { i32(-1); }
    // Overwrites a 4-byte big-endian int at `at` (for lengths known only afterwards).
    void patch_i32(std::size_t at, std::int32_t v) {
        const auto u = static_cast<std::uint32_t>(v);
        for (int i = 0; i < 4; ++i) out_[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(u >> (24 - 8 * i));
    }

private:
    std::vector<std::uint8_t>& out_;
};

}  // namespace routelab::cql
