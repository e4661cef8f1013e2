#include "driver/protocol/byte_reader.hpp"

namespace routelab::cql {

void ByteReader::fail(std::string expected) {
    if (failed_) return;
    failed_ = true;
    error_ = DecodeError{offset(), std::move(expected)};
}

void ByteReader::fail_at(std::size_t absolute_offset, std::string expected) {
    if (failed_) return;
    failed_ = true;
    error_ = DecodeError{absolute_offset, std::move(expected)};
}

bool ByteReader::need(std::size_t n, const char* what) {
    if (failed_) return false;
    if (data_.size() - pos_ < n) {
        fail(std::string(what) + " (" + std::to_string(n) + " bytes, " + std::to_string(data_.size() - pos_) + " left)");
        return false;
    }
    return true;
}

std::uint8_t ByteReader::byte() {
    if (!need(1, "a [byte]")) return 0;
    return data_[pos_++];
}

std::uint16_t ByteReader::u16() {
    if (!need(2, "a [short]")) return 0;
    const auto v = static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
    pos_ += 2;
    return v;
}

std::int32_t ByteReader::i32() {
    if (!need(4, "an [int]")) return 0;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | data_[pos_++];
    return static_cast<std::int32_t>(v);
}

std::int64_t ByteReader::i64() {
    if (!need(8, "a [long]")) return 0;
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | data_[pos_++];
    return static_cast<std::int64_t>(v);
}

bool ByteReader::valid_utf8(std::span<const std::uint8_t> s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const std::uint8_t c = s[i];
        std::size_t extra;
        std::uint32_t cp;
        if (c < 0x80) { ++i; continue; }
        if ((c & 0xE0) == 0xC0) { extra = 1; cp = c & 0x1Fu; }
        else if ((c & 0xF0) == 0xE0) { extra = 2; cp = c & 0x0Fu; }
        else if ((c & 0xF8) == 0xF0) { extra = 3; cp = c & 0x07u; }
        else return false;
        if (i + extra >= s.size()) return false;
        for (std::size_t k = 1; k <= extra; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return false;
        i += extra + 1;
    }
    return true;
}

std::string_view ByteReader::string_view() {
    const std::size_t n = u16();
    if (!need(n, "[string] bytes")) return {};
    const auto s = data_.subspan(pos_, n);
    if (!valid_utf8(s)) {
        fail("a UTF-8 [string]");
        return {};
    }
    pos_ += n;
    return {reinterpret_cast<const char*>(s.data()), n};
}

std::string ByteReader::string() { return std::string(string_view()); }

std::string ByteReader::long_string() {
    const std::int32_t n = i32();
    if (n < 0) {
        fail("a non-negative [long string] length");
        return {};
    }
    if (!need(static_cast<std::size_t>(n), "[long string] bytes")) return {};
    const auto s = data_.subspan(pos_, static_cast<std::size_t>(n));
    if (!valid_utf8(s)) {
        fail("a UTF-8 [long string]");
        return {};
    }
    pos_ += static_cast<std::size_t>(n);
    return {reinterpret_cast<const char*>(s.data()), s.size()};
}

std::size_t ByteReader::count(std::int64_t n, std::size_t min_element_bytes, const char* what) {
    if (failed_) return 0;
    if (n < 0) {
        fail(std::string("a non-negative ") + what + " count, got " + std::to_string(n));
        return 0;
    }
    const auto un = static_cast<std::size_t>(n);
    if (min_element_bytes > 0 && un > remaining() / min_element_bytes) {
        fail(std::string("a ") + what + " count the remaining " + std::to_string(remaining()) +
             " bytes can hold, got " + std::to_string(n));
        return 0;
    }
    return un;
}

std::vector<std::string> ByteReader::string_list() {
    const std::size_t n = count(u16(), 2, "[string list]");
    std::vector<std::string> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n && !failed_; ++i) out.push_back(string());
    return out;
}

std::optional<Bytes> ByteReader::bytes() {
    const std::int32_t n = i32();
    if (failed_ || n < 0) return std::nullopt;
    if (!need(static_cast<std::size_t>(n), "[bytes] content")) return std::nullopt;
    Bytes out(data_.begin() + static_cast<std::ptrdiff_t>(pos_), data_.begin() + static_cast<std::ptrdiff_t>(pos_) + n);
    pos_ += static_cast<std::size_t>(n);
    return out;
}

Bytes ByteReader::short_bytes() {
    const std::size_t n = u16();
    if (!need(n, "[short bytes] content")) return {};
    Bytes out(data_.begin() + static_cast<std::ptrdiff_t>(pos_), data_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return out;
}

std::span<const std::uint8_t> ByteReader::raw(std::size_t n) {
    if (!need(n, "raw bytes")) return {};
    auto s = data_.subspan(pos_, n);
    pos_ += n;
    return s;
}

std::optional<std::span<const std::uint8_t>> ByteReader::bytes_view() {
    const std::int32_t n = i32();
    if (failed_ || n < 0) return std::nullopt;
    if (!need(static_cast<std::size_t>(n), "[bytes] content")) return std::nullopt;
    auto s = data_.subspan(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return s;
}

std::span<const std::uint8_t> ByteReader::short_bytes_view() {
    const std::size_t n = u16();
    if (!need(n, "[short bytes] content")) return {};
    auto s = data_.subspan(pos_, n);
    pos_ += n;
    return s;
}

Uuid ByteReader::uuid() {
    Uuid out{};
    if (!need(16, "a [uuid]")) return out;
    for (auto& b : out) b = data_[pos_++];
    return out;
}

InetAddress ByteReader::inet_address(std::size_t size) {
    InetAddress ip;
    if (failed_) return ip;
    if (size != 4 && size != 16) {
        fail_at(offset() - 1, "an [inet] address size of 4 or 16, got " + std::to_string(size));
        return ip;
    }
    if (!need(size, "[inet] address bytes")) return ip;
    ip.size = static_cast<std::uint8_t>(size);
    for (std::size_t i = 0; i < size; ++i) ip.bytes[i] = data_[pos_++];
    return ip;
}

Inet ByteReader::inet() {
    Inet out;
    out.address = inet_address(byte());
    out.port = i32();
    return out;
}

Consistency ByteReader::consistency() {
    const std::size_t at = offset();
    const std::uint16_t v = u16();
    if (v > max_consistency_code) fail_at(at, "a [consistency] code 0..10, got " + std::to_string(v));
    return static_cast<Consistency>(v);
}

Value ByteReader::value(bool not_set_allowed) {
    const std::size_t at = offset();
    const std::int32_t n = i32();
    if (failed_) return Value::null();
    if (n == -1) return Value::null();
    if (n == -2 && not_set_allowed) return Value::not_set();
    if (n < 0) {
        fail_at(at, std::string("a [value] length >= ") + (not_set_allowed ? "-2" : "-1") + ", got " + std::to_string(n));
        return Value::null();
    }
    if (!need(static_cast<std::size_t>(n), "[value] content")) return Value::null();
    Value v;
    v.bytes.assign(data_.begin() + static_cast<std::ptrdiff_t>(pos_), data_.begin() + static_cast<std::ptrdiff_t>(pos_) + n);
    pos_ += static_cast<std::size_t>(n);
    return v;
}

std::map<std::string, std::string> ByteReader::string_map() {
    const std::size_t n = count(u16(), 4, "[string map]");
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < n && !failed_; ++i) {
        std::string k = string();
        out[std::move(k)] = string();
    }
    return out;
}

std::map<std::string, std::vector<std::string>> ByteReader::string_multimap() {
    const std::size_t n = count(u16(), 4, "[string multimap]");
    std::map<std::string, std::vector<std::string>> out;
    for (std::size_t i = 0; i < n && !failed_; ++i) {
        std::string k = string();
        out[std::move(k)] = string_list();
    }
    return out;
}

std::map<std::string, std::optional<Bytes>> ByteReader::bytes_map() {
    const std::size_t n = count(u16(), 6, "[bytes map]");
    std::map<std::string, std::optional<Bytes>> out;
    for (std::size_t i = 0; i < n && !failed_; ++i) {
        std::string k = string();
        out[std::move(k)] = bytes();
    }
    return out;
}

}  // namespace routelab::cql
