#include "driver/protocol/marshal_types.hpp"

#include <array>
#include <charconv>
#include <utility>

#include "driver/protocol/invariant.hpp"

namespace routelab::cql {

namespace {

constexpr std::array<std::pair<std::string_view, TypeId>, 21> simple_classes{{
    {"AsciiType", TypeId::ascii}, {"LongType", TypeId::bigint}, {"BytesType", TypeId::blob},
    {"BooleanType", TypeId::boolean}, {"CounterColumnType", TypeId::counter}, {"DecimalType", TypeId::decimal},
    {"DoubleType", TypeId::double_}, {"FloatType", TypeId::float_}, {"Int32Type", TypeId::int_},
    {"TimestampType", TypeId::timestamp}, {"UUIDType", TypeId::uuid}, {"UTF8Type", TypeId::varchar},
    {"IntegerType", TypeId::varint}, {"TimeUUIDType", TypeId::timeuuid}, {"InetAddressType", TypeId::inet},
    {"SimpleDateType", TypeId::date}, {"TimeType", TypeId::time}, {"ShortType", TypeId::smallint},
    {"ByteType", TypeId::tinyint}, {"DurationType", TypeId::duration}, {"DateType", TypeId::timestamp},
}};

constexpr int max_depth = 32;

class ClassParser {
public:
    explicit ClassParser(std::string_view text) : text_(text) {}

    std::optional<ColumnType> parse() {
        auto t = type(0);
        skip_space();
        if (!t || pos_ != text_.size()) return std::nullopt;
        return t;
    }

private:
    void skip_space() {
        while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
    }
    bool symbol(char c) {
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    std::string_view identifier() {
        skip_space();
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != '(' && text_[pos_] != ')' && text_[pos_] != ',' && text_[pos_] != ' ') ++pos_;
        std::string_view id = text_.substr(start, pos_ - start);
        if (id.substr(0, marshal_prefix.size()) == marshal_prefix) id.remove_prefix(marshal_prefix.size());
        return id;
    }
    bool parameters(std::vector<ColumnType>& out, int depth) {
        if (!symbol('(')) return false;
        do {
            auto t = type(depth + 1);
            if (!t) return false;
            out.push_back(std::move(*t));
        } while (symbol(','));
        return symbol(')');
    }
    std::optional<ColumnType> type(int depth) {
        if (depth > max_depth) return std::nullopt;
        const std::size_t start = pos_;
        const std::string_view id = identifier();
        for (const auto& [name, type_id] : simple_classes)
            if (id == name) return type_id == TypeId::duration ? ColumnType::of(TypeId::duration) : ColumnType::of(type_id);
        std::vector<ColumnType> params;
        if (id == "ReversedType" || id == "FrozenType") {
            if (!parameters(params, depth) || params.size() != 1) return std::nullopt;
            return params[0];
        }
        if (id == "ListType" || id == "SetType") {
            if (!parameters(params, depth) || params.size() != 1) return std::nullopt;
            ColumnType t = ColumnType::of(id == "ListType" ? TypeId::list : TypeId::set);
            t.parameters = std::move(params);
            return t;
        }
        if (id == "MapType") {
            if (!parameters(params, depth) || params.size() != 2) return std::nullopt;
            ColumnType t = ColumnType::of(TypeId::map);
            t.parameters = std::move(params);
            return t;
        }
        if (id == "TupleType") {
            if (!parameters(params, depth)) return std::nullopt;
            ColumnType t = ColumnType::of(TypeId::tuple);
            t.parameters = std::move(params);
            return t;
        }
        if (id == "VectorType") {
            if (!symbol('(')) return std::nullopt;
            auto element = type(depth + 1);
            if (!element || !symbol(',')) return std::nullopt;
            skip_space();
            std::uint32_t dimension = 0;
            const auto [end, ec] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), dimension);
            if (ec != std::errc{} || dimension == 0) return std::nullopt;
            pos_ = static_cast<std::size_t>(end - text_.data());
            if (!symbol(')')) return std::nullopt;
            ColumnType t = ColumnType::of(TypeId::custom);
            t.custom_class = std::string(text_.substr(start, pos_ - start));
            while (!t.custom_class.empty() && t.custom_class.front() == ' ') t.custom_class.erase(0, 1);
            if (t.custom_class.substr(0, marshal_prefix.size()) != marshal_prefix)
                t.custom_class = std::string(marshal_prefix) + t.custom_class;
            return t;
        }
        return std::nullopt;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

std::string marshal_class_name(const ColumnType& type) {
    const auto join = [&](const char* name) {
        std::string s = std::string(marshal_prefix) + name + "(";
        for (std::size_t i = 0; i < type.parameters.size(); ++i) s += (i ? "," : "") + marshal_class_name(type.parameters[i]);
        return s + ")";
    };
    switch (type.id) {
        case TypeId::custom: return type.custom_class;
        case TypeId::list: return join("ListType");
        case TypeId::set: return join("SetType");
        case TypeId::map: return join("MapType");
        case TypeId::tuple: return join("TupleType");
        case TypeId::udt: invariant(false, "marshal_class_name: UDTs have no simple marshal class name"); break;
        default: break;
    }
    for (const auto& [name, id] : simple_classes)
        if (id == type.id) return std::string(marshal_prefix) + std::string(name);
    invariant(false, "marshal_class_name: a known type id");
    return {};
}

std::optional<ColumnType> parse_marshal_class(std::string_view name) { return ClassParser(name).parse(); }

ColumnType vector_type(const ColumnType& element, std::uint32_t dimension) {
    invariant(dimension > 0, "vector_type: dimension > 0");
    ColumnType t = ColumnType::of(TypeId::custom);
    t.custom_class = std::string(marshal_prefix) + "VectorType(" + marshal_class_name(element) + ", " + std::to_string(dimension) + ")";
    return t;
}

std::optional<VectorInfo> vector_info(const ColumnType& type) {
    if (type.id != TypeId::custom) return std::nullopt;
    const std::string_view name = type.custom_class;
    const std::string_view short_name = name.substr(0, marshal_prefix.size()) == marshal_prefix ? name.substr(marshal_prefix.size()) : name;
    if (short_name.substr(0, 11) != "VectorType(") return std::nullopt;
    // Parse the element and dimension by hand: the parser returns the vector as custom.
    const std::size_t open = name.find('(');
    const std::size_t comma = name.rfind(',');
    if (open == std::string_view::npos || comma == std::string_view::npos || comma < open || name.back() != ')') return std::nullopt;
    auto element = parse_marshal_class(name.substr(open + 1, comma - open - 1));
    if (!element) return std::nullopt;
    std::string_view digits = name.substr(comma + 1, name.size() - comma - 2);
    while (!digits.empty() && digits.front() == ' ') digits.remove_prefix(1);
    std::uint32_t dimension = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), dimension);
    if (ec != std::errc{} || end != digits.data() + digits.size() || dimension == 0) return std::nullopt;
    return VectorInfo{std::move(*element), dimension};
}

bool is_duration(const ColumnType& type) {
    if (type.id == TypeId::duration) return true;
    return type.id == TypeId::custom && type.custom_class == std::string(marshal_prefix) + "DurationType";
}

std::optional<std::size_t> fixed_value_size(const ColumnType& type) {
    switch (type.id) {
        case TypeId::boolean: return 1;
        // As Cassandra's valueLengthIfFixed(): date, time, smallint, tinyint and counter are
        // variable-length there, so their vector elements carry a vint length.
        case TypeId::int_: case TypeId::float_: return 4;
        case TypeId::bigint: case TypeId::double_: case TypeId::timestamp: return 8;
        case TypeId::uuid: case TypeId::timeuuid: return 16;
        case TypeId::custom:
            if (auto v = vector_info(type)) {
                if (auto element = fixed_value_size(v->element)) return *element * v->dimension;
            }
            return std::nullopt;
        default: return std::nullopt;
    }
}

}  // namespace routelab::cql
