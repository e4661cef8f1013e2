#include "driver/protocol/types.hpp"

#include <array>
#include <cctype>
#include <string_view>
#include <utility>

namespace routelab::cql {

namespace {

constexpr std::array<std::pair<std::string_view, TypeId>, 21> native_names{{
    {"ascii", TypeId::ascii}, {"bigint", TypeId::bigint}, {"blob", TypeId::blob},
    {"boolean", TypeId::boolean}, {"counter", TypeId::counter}, {"decimal", TypeId::decimal},
    {"double", TypeId::double_}, {"float", TypeId::float_}, {"int", TypeId::int_},
    {"timestamp", TypeId::timestamp}, {"uuid", TypeId::uuid}, {"text", TypeId::varchar},
    {"varchar", TypeId::varchar}, {"varint", TypeId::varint}, {"timeuuid", TypeId::timeuuid},
    {"inet", TypeId::inet}, {"date", TypeId::date}, {"time", TypeId::time},
    {"smallint", TypeId::smallint}, {"tinyint", TypeId::tinyint}, {"duration", TypeId::duration},
}};

class TypeParser {
public:
    explicit TypeParser(std::string_view text) : text_(text) {}
    bool parse(ColumnType& out) {
        if (!type(out)) return false;
        skip_space();
        return pos_ == text_.size();
    }

private:
    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    std::string word() {
        skip_space();
        const std::size_t start = pos_;
        while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) ++pos_;
        std::string w(text_.substr(start, pos_ - start));
        for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return w;
    }
    bool symbol(char c) {
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    bool type(ColumnType& out) {
        const std::string w = word();
        if (w == "frozen") return symbol('<') && type(out) && symbol('>');
        if (w == "list" || w == "set") {
            out = ColumnType::of(w == "list" ? TypeId::list : TypeId::set);
            out.parameters.resize(1);
            return symbol('<') && type(out.parameters[0]) && symbol('>');
        }
        if (w == "map") {
            out = ColumnType::of(TypeId::map);
            out.parameters.resize(2);
            return symbol('<') && type(out.parameters[0]) && symbol(',') && type(out.parameters[1]) && symbol('>');
        }
        if (w == "tuple") {
            out = ColumnType::of(TypeId::tuple);
            if (!symbol('<')) return false;
            do {
                out.parameters.emplace_back();
                if (!type(out.parameters.back())) return false;
            } while (symbol(','));
            return symbol('>');
        }
        for (const auto& [name, id] : native_names) {
            if (name == w) {
                out = ColumnType::of(id);
                return true;
            }
        }
        return false;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

bool parse_type_name(const std::string& name, ColumnType& out) { return TypeParser(name).parse(out); }

std::string type_name(const ColumnType& type) {
    switch (type.id) {
        case TypeId::list: return "list<" + type_name(type.parameters.at(0)) + ">";
        case TypeId::set: return "set<" + type_name(type.parameters.at(0)) + ">";
        case TypeId::map: return "map<" + type_name(type.parameters.at(0)) + ", " + type_name(type.parameters.at(1)) + ">";
        case TypeId::tuple: {
            std::string s = "tuple<";
            for (std::size_t i = 0; i < type.parameters.size(); ++i) s += (i ? ", " : "") + type_name(type.parameters[i]);
            return s + ">";
        }
        case TypeId::udt: return type.udt_keyspace + "." + type.udt_name;
        case TypeId::custom: return "'" + type.custom_class + "'";
        default: break;
    }
    for (const auto& [name, id] : native_names)
        if (id == type.id) return std::string(name);
    return "unknown";
}

}  // namespace routelab::cql
