#include "driver/protocol/values.hpp"

#include <cstring>
#include <limits>
#include <string>

#include "driver/protocol/byte_reader.hpp"
#include "driver/protocol/byte_writer.hpp"
#include "driver/protocol/vint.hpp"

namespace routelab::cql {

bool operator==(const CqlCollection& a, const CqlCollection& b) { return a.elements == b.elements; }
bool operator==(const CqlMap& a, const CqlMap& b) { return a.keys == b.keys && a.values == b.values; }
bool operator==(const CqlFields& a, const CqlFields& b) { return a.fields == b.fields; }
bool operator==(const CqlValue& a, const CqlValue& b) { return a.data == b.data; }

namespace {

constexpr int max_depth = 32;
constexpr std::int64_t nanoseconds_per_day = 86'400'000'000'000;

template <typename T>
T from_big_endian(std::span<const std::uint8_t> b) {
    using U = std::make_unsigned_t<T>;
    U v = 0;
    for (const std::uint8_t byte : b) v = static_cast<U>((v << 8) | byte);
    return static_cast<T>(v);
}

template <typename T>
void to_big_endian(T value, Bytes& out) {
    using U = std::make_unsigned_t<T>;
    const auto u = static_cast<U>(value);
    for (int shift = static_cast<int>(sizeof(T) * 8) - 8; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(u >> shift));
}

class Decoder {
public:
    // Decodes a value of `t` that occupies all of `r`'s bytes.
    CqlValue value(ByteReader& r, const ColumnType& t, int depth) {
        if (depth > max_depth) {
            r.fail("a value nested at most " + std::to_string(max_depth) + " deep");
            return {};
        }
        if (is_duration(t)) return duration(r);
        switch (t.id) {
            case TypeId::boolean: return exact<bool>(r, 1, "boolean", [](auto b) { return b[0] != 0; });
            case TypeId::tinyint: return exact<std::int8_t>(r, 1, "tinyint", from_big_endian<std::int8_t>);
            case TypeId::smallint: return exact<std::int16_t>(r, 2, "smallint", from_big_endian<std::int16_t>);
            case TypeId::int_: return exact<std::int32_t>(r, 4, "int", from_big_endian<std::int32_t>);
            case TypeId::bigint: case TypeId::counter: case TypeId::timestamp:
                return exact<std::int64_t>(r, 8, type_name(t).c_str(), from_big_endian<std::int64_t>);
            case TypeId::time: {
                const std::size_t at = r.offset();
                CqlValue v = exact<std::int64_t>(r, 8, "time", from_big_endian<std::int64_t>);
                const auto* ns = std::get_if<std::int64_t>(&v.data);
                if (ns && (*ns < 0 || *ns >= nanoseconds_per_day))
                    r.fail_at(at, "a time of day in [0, 86400e9) ns, got " + std::to_string(*ns));
                return v;
            }
            case TypeId::date: return exact<std::uint32_t>(r, 4, "date", from_big_endian<std::uint32_t>);
            case TypeId::float_:
                return exact<float>(r, 4, "float", [](auto b) {
                    const auto bits = from_big_endian<std::uint32_t>(b);
                    float f;
                    std::memcpy(&f, &bits, sizeof f);
                    return f;
                });
            case TypeId::double_:
                return exact<double>(r, 8, "double", [](auto b) {
                    const auto bits = from_big_endian<std::uint64_t>(b);
                    double d;
                    std::memcpy(&d, &bits, sizeof d);
                    return d;
                });
            case TypeId::uuid: case TypeId::timeuuid:
                return exact<Uuid>(r, 16, "uuid", [](auto b) {
                    Uuid u{};
                    std::copy(b.begin(), b.end(), u.begin());
                    return u;
                });
            case TypeId::inet: {
                const std::size_t n = r.remaining();
                if (n != 4 && n != 16) {
                    r.fail("an inet of 4 or 16 bytes, got " + std::to_string(n));
                    return {};
                }
                return CqlValue{r.inet_address(n)};
            }
            case TypeId::ascii: case TypeId::varchar: {
                const auto bytes = r.raw(r.remaining());
                if (t.id == TypeId::ascii) {
                    for (std::size_t i = 0; i < bytes.size(); ++i)
                        if (bytes[i] >= 0x80) {
                            r.fail_at(r.offset() - bytes.size() + i, "ASCII text (bytes < 0x80), got 0x" + hex(bytes[i]));
                            return {};
                        }
                } else if (!ByteReader::valid_utf8(bytes)) {
                    r.fail_at(r.offset() - bytes.size(), "UTF-8 text");
                    return {};
                }
                return CqlValue{std::string(bytes.begin(), bytes.end())};
            }
            case TypeId::blob: case TypeId::custom: {
                if (auto v = vector_info(t)) return vector(r, *v, depth);
                const auto bytes = r.raw(r.remaining());
                return CqlValue{Bytes(bytes.begin(), bytes.end())};
            }
            case TypeId::varint: {
                if (r.remaining() == 0) {
                    r.fail("a varint of at least 1 byte");
                    return {};
                }
                const auto bytes = r.raw(r.remaining());
                return CqlValue{Varint{Bytes(bytes.begin(), bytes.end())}};
            }
            case TypeId::decimal: {
                Decimal d;
                d.scale = r.i32();
                if (!r.failed() && r.remaining() == 0) {
                    r.fail("a decimal's unscaled varint of at least 1 byte");
                    return {};
                }
                const auto bytes = r.raw(r.remaining());
                d.unscaled.assign(bytes.begin(), bytes.end());
                return CqlValue{std::move(d)};
            }
            case TypeId::list: case TypeId::set: return collection(r, t.parameters.at(0), depth, t.id == TypeId::list ? "list" : "set");
            case TypeId::map: return map(r, t, depth);
            case TypeId::tuple: case TypeId::udt: return fields(r, t, depth);
            default: break;
        }
        r.fail("a value of a known type, got type id " + std::to_string(static_cast<unsigned>(t.id)));
        return {};
    }

private:
    static std::string hex(std::uint8_t b) {
        static constexpr char digits[] = "0123456789abcdef";
        return {digits[b >> 4], digits[b & 0xF]};
    }

    template <typename T, typename Convert>
    CqlValue exact(ByteReader& r, std::size_t size, const char* what, Convert convert) {
        if (r.remaining() != size) {
            r.fail(std::to_string(size) + " byte" + (size == 1 ? "" : "s") + " for a " + what + ", got " + std::to_string(r.remaining()));
            return {};
        }
        return CqlValue{T(convert(r.raw(size)))};
    }

    // Decodes the element occupying `bytes`, which start at absolute offset `at`.
    CqlValue element(ByteReader& parent, std::span<const std::uint8_t> bytes, std::size_t at, const ColumnType& t, int depth) {
        ByteReader sub(bytes, at);
        CqlValue v = value(sub, t, depth + 1);
        if (!sub.failed() && !sub.at_end()) sub.fail("the end of the " + type_name(t) + " value");
        if (sub.failed()) parent.fail_at(sub.error().offset, sub.error().expected);
        return v;
    }

    // A non-null [bytes] element of a collection, decoded.
    CqlValue required_element(ByteReader& r, const ColumnType& t, int depth, const char* what) {
        const std::size_t at = r.offset();
        const auto bytes = r.bytes_view();
        if (r.failed()) return {};
        if (!bytes) {
            r.fail_at(at, std::string("a non-null ") + what);
            return {};
        }
        return element(r, *bytes, at + 4, t, depth);
    }

    CqlValue collection(ByteReader& r, const ColumnType& element_type, int depth, const char* what) {
        CqlCollection c;
        const std::size_t n = r.count(r.i32(), 4, (std::string(what) + " element").c_str());
        c.elements.reserve(n);
        for (std::size_t i = 0; i < n && !r.failed(); ++i)
            c.elements.push_back(required_element(r, element_type, depth, (std::string(what) + " element").c_str()));
        return CqlValue{std::move(c)};
    }

    CqlValue map(ByteReader& r, const ColumnType& t, int depth) {
        CqlMap m;
        const std::size_t n = r.count(r.i32(), 8, "map entry");
        m.keys.reserve(n);
        m.values.reserve(n);
        for (std::size_t i = 0; i < n && !r.failed(); ++i) {
            m.keys.push_back(required_element(r, t.parameters.at(0), depth, "map key"));
            m.values.push_back(required_element(r, t.parameters.at(1), depth, "map value"));
        }
        return CqlValue{std::move(m)};
    }

    CqlValue fields(ByteReader& r, const ColumnType& t, int depth) {
        CqlFields f;
        const char* what = t.id == TypeId::tuple ? "tuple" : "UDT";
        for (std::size_t i = 0; !r.at_end() && !r.failed(); ++i) {
            if (i == t.parameters.size()) {
                r.fail(std::string("the end of the ") + what + " after " + std::to_string(i) + " fields");
                break;
            }
            const std::size_t at = r.offset();
            const auto bytes = r.bytes_view();
            if (r.failed()) break;
            f.fields.push_back(bytes ? element(r, *bytes, at + 4, t.parameters[i], depth) : CqlValue{});
        }
        return CqlValue{std::move(f)};
    }

    CqlValue vector(ByteReader& r, const VectorInfo& v, int depth) {
        CqlCollection c;
        const auto fixed = fixed_value_size(v.element);
        if (fixed) {
            const std::size_t expected = *fixed * v.dimension;
            if (r.remaining() != expected) {
                r.fail(std::to_string(expected) + " bytes for a vector of " + std::to_string(v.dimension) + " " +
                       type_name(v.element) + ", got " + std::to_string(r.remaining()));
                return {};
            }
        } else if (r.remaining() < v.dimension) {
            r.fail("a vector of " + std::to_string(v.dimension) + " elements, got " + std::to_string(r.remaining()) + " bytes");
            return {};
        }
        c.elements.reserve(v.dimension);
        for (std::uint32_t i = 0; i < v.dimension && !r.failed(); ++i) {
            std::size_t size = 0;
            if (fixed) {
                size = *fixed;
            } else {
                const std::size_t at = r.offset();
                const std::uint64_t n = read_unsigned_vint(r);
                if (!r.failed() && n > r.remaining()) {
                    r.fail_at(at, "a vector element length <= the " + std::to_string(r.remaining()) + " bytes left, got " + std::to_string(n));
                    break;
                }
                size = static_cast<std::size_t>(n);
            }
            const std::size_t at = r.offset();
            const auto bytes = r.raw(size);
            if (r.failed()) break;
            c.elements.push_back(element(r, bytes, at, v.element, depth));
        }
        return CqlValue{std::move(c)};
    }

    CqlValue duration(ByteReader& r) {
        Duration d;
        const std::size_t months_at = r.offset();
        const std::int64_t months = read_signed_vint(r);
        const std::size_t days_at = r.offset();
        const std::int64_t days = read_signed_vint(r);
        d.nanoseconds = read_signed_vint(r);
        if (r.failed()) return {};
        if (months < std::numeric_limits<std::int32_t>::min() || months > std::numeric_limits<std::int32_t>::max()) {
            r.fail_at(months_at, "duration months within 32 bits");
            return {};
        }
        if (days < std::numeric_limits<std::int32_t>::min() || days > std::numeric_limits<std::int32_t>::max()) {
            r.fail_at(days_at, "duration days within 32 bits");
            return {};
        }
        d.months = static_cast<std::int32_t>(months);
        d.days = static_cast<std::int32_t>(days);
        return CqlValue{d};
    }
};

class Encoder {
public:
    explicit Encoder(Bytes& out) : out_(out) {}

    std::optional<std::string> value(const ColumnType& t, const CqlValue& v, int depth) {
        if (depth > max_depth) return "a value nested at most " + std::to_string(max_depth) + " deep";
        if (v.is_null()) return "a non-null value (nulls are written as length -1 by the caller)";
        if (is_duration(t)) {
            const auto* d = std::get_if<Duration>(&v.data);
            if (!d) return mismatch(t);
            write_signed_vint(out_, d->months);
            write_signed_vint(out_, d->days);
            write_signed_vint(out_, d->nanoseconds);
            return std::nullopt;
        }
        switch (t.id) {
            case TypeId::boolean: return put<bool>(t, v, [&](bool b) { out_.push_back(b ? 1 : 0); });
            case TypeId::tinyint: return put<std::int8_t>(t, v, [&](auto x) { to_big_endian(x, out_); });
            case TypeId::smallint: return put<std::int16_t>(t, v, [&](auto x) { to_big_endian(x, out_); });
            case TypeId::int_: return put<std::int32_t>(t, v, [&](auto x) { to_big_endian(x, out_); });
            case TypeId::bigint: case TypeId::counter: case TypeId::timestamp:
                return put<std::int64_t>(t, v, [&](auto x) { to_big_endian(x, out_); });
            case TypeId::time: {
                const auto* ns = std::get_if<std::int64_t>(&v.data);
                if (ns && (*ns < 0 || *ns >= nanoseconds_per_day)) return "a time of day in [0, 86400e9) ns";
                return put<std::int64_t>(t, v, [&](auto x) { to_big_endian(x, out_); });
            }
            case TypeId::date: return put<std::uint32_t>(t, v, [&](auto x) { to_big_endian(x, out_); });
            case TypeId::float_:
                return put<float>(t, v, [&](float f) {
                    std::uint32_t bits;
                    std::memcpy(&bits, &f, sizeof bits);
                    to_big_endian(bits, out_);
                });
            case TypeId::double_:
                return put<double>(t, v, [&](double d) {
                    std::uint64_t bits;
                    std::memcpy(&bits, &d, sizeof bits);
                    to_big_endian(bits, out_);
                });
            case TypeId::uuid: case TypeId::timeuuid:
                return put<Uuid>(t, v, [&](const Uuid& u) { out_.insert(out_.end(), u.begin(), u.end()); });
            case TypeId::inet: {
                const auto* ip = std::get_if<InetAddress>(&v.data);
                if (!ip) return mismatch(t);
                if (ip->size != 4 && ip->size != 16) return "an inet address of 4 or 16 bytes";
                out_.insert(out_.end(), ip->bytes.begin(), ip->bytes.begin() + ip->size);
                return std::nullopt;
            }
            case TypeId::ascii: case TypeId::varchar: {
                const auto* s = std::get_if<std::string>(&v.data);
                if (!s) return mismatch(t);
                const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(s->data()), s->size());
                if (t.id == TypeId::ascii) {
                    for (const std::uint8_t b : bytes)
                        if (b >= 0x80) return "ASCII text";
                } else if (!ByteReader::valid_utf8(bytes)) {
                    return "UTF-8 text";
                }
                out_.insert(out_.end(), bytes.begin(), bytes.end());
                return std::nullopt;
            }
            case TypeId::blob: case TypeId::custom: {
                if (auto info = vector_info(t)) return vector(*info, v, depth);
                return put<Bytes>(t, v, [&](const Bytes& b) { out_.insert(out_.end(), b.begin(), b.end()); });
            }
            case TypeId::varint: {
                const auto* x = std::get_if<Varint>(&v.data);
                if (!x) return mismatch(t);
                if (x->bytes.empty()) return "a varint of at least 1 byte";
                out_.insert(out_.end(), x->bytes.begin(), x->bytes.end());
                return std::nullopt;
            }
            case TypeId::decimal: {
                const auto* d = std::get_if<Decimal>(&v.data);
                if (!d) return mismatch(t);
                if (d->unscaled.empty()) return "a decimal's unscaled varint of at least 1 byte";
                to_big_endian(d->scale, out_);
                out_.insert(out_.end(), d->unscaled.begin(), d->unscaled.end());
                return std::nullopt;
            }
            case TypeId::list: case TypeId::set: {
                const auto* c = std::get_if<CqlCollection>(&v.data);
                if (!c) return mismatch(t);
                to_big_endian(static_cast<std::int32_t>(c->elements.size()), out_);
                for (const auto& e : c->elements)
                    if (auto error = nested(t.parameters.at(0), e, depth)) return error;
                return std::nullopt;
            }
            case TypeId::map: {
                const auto* m = std::get_if<CqlMap>(&v.data);
                if (!m) return mismatch(t);
                if (m->keys.size() != m->values.size()) return "as many map values as keys";
                to_big_endian(static_cast<std::int32_t>(m->keys.size()), out_);
                for (std::size_t i = 0; i < m->keys.size(); ++i) {
                    if (auto error = nested(t.parameters.at(0), m->keys[i], depth)) return error;
                    if (auto error = nested(t.parameters.at(1), m->values[i], depth)) return error;
                }
                return std::nullopt;
            }
            case TypeId::tuple: case TypeId::udt: {
                const auto* f = std::get_if<CqlFields>(&v.data);
                if (!f) return mismatch(t);
                if (f->fields.size() > t.parameters.size()) return "at most " + std::to_string(t.parameters.size()) + " fields";
                for (std::size_t i = 0; i < f->fields.size(); ++i) {
                    if (f->fields[i].is_null()) {
                        to_big_endian(std::int32_t{-1}, out_);
                        continue;
                    }
                    if (auto error = nested(t.parameters[i], f->fields[i], depth)) return error;
                }
                return std::nullopt;
            }
            default: break;
        }
        return "a known type, got type id " + std::to_string(static_cast<unsigned>(t.id));
    }

private:
    static std::string mismatch(const ColumnType& t) { return "a value of the C++ alternative for " + type_name(t); }

    template <typename T, typename Write>
    std::optional<std::string> put(const ColumnType& t, const CqlValue& v, Write write) {
        const auto* x = std::get_if<T>(&v.data);
        if (!x) return mismatch(t);
        write(*x);
        return std::nullopt;
    }

    // A [bytes]-framed element: length placeholder, value, then the length patched in.
    std::optional<std::string> nested(const ColumnType& t, const CqlValue& v, int depth) {
        if (v.is_null()) return "a non-null " + type_name(t) + " collection element";
        const std::size_t at = out_.size();
        to_big_endian(std::int32_t{0}, out_);
        if (auto error = value(t, v, depth + 1)) return error;
        const auto n = static_cast<std::uint32_t>(out_.size() - at - 4);
        for (int i = 0; i < 4; ++i) out_[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (24 - 8 * i));
        return std::nullopt;
    }

    std::optional<std::string> vector(const VectorInfo& info, const CqlValue& v, int depth) {
        const auto* c = std::get_if<CqlCollection>(&v.data);
        if (!c) return "a vector value (CqlCollection)";
        if (c->elements.size() != info.dimension)
            return "a vector of " + std::to_string(info.dimension) + " elements, got " + std::to_string(c->elements.size());
        const auto fixed = fixed_value_size(info.element);
        Bytes scratch;
        for (const auto& e : c->elements) {
            if (e.is_null()) return "non-null vector elements";
            if (fixed) {
                if (auto error = value(info.element, e, depth + 1)) return error;
                continue;
            }
            scratch.clear();
            Encoder inner(scratch);
            if (auto error = inner.value(info.element, e, depth + 1)) return error;
            write_unsigned_vint(out_, scratch.size());
            out_.insert(out_.end(), scratch.begin(), scratch.end());
        }
        return std::nullopt;
    }

    Bytes& out_;
};

}  // namespace

std::optional<std::string> encode_value(const ColumnType& type, const CqlValue& value, Bytes& out) {
    const std::size_t start = out.size();
    auto error = Encoder(out).value(type, value, 0);
    if (error) out.resize(start);
    return error;
}

Decoded<CqlValue> decode_value(const ColumnType& type, std::span<const std::uint8_t> bytes) {
    ByteReader r(bytes);
    CqlValue v = Decoder().value(r, type, 0);
    if (!r.failed() && !r.at_end()) r.fail("the end of the " + type_name(type) + " value, " + std::to_string(r.remaining()) + " bytes left");
    if (r.failed()) return r.error();
    return v;
}

Decoded<CqlValue> decode_cell(const ColumnType& type, const std::optional<std::span<const std::uint8_t>>& cell) {
    if (!cell) return CqlValue{};
    return decode_value(type, *cell);
}

}  // namespace routelab::cql
