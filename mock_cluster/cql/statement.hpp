#pragma once
// A parsed CQL statement of the subset the mock cluster serves. Values are either bind
// markers (by position) or literals kept as text; the executor types them against the
// table's schema.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace routelab::cluster::cql {

struct BindMarker {
    std::size_t index;       // position among the statement's markers
    std::string name;        // for named markers (:name), else empty
    bool operator==(const BindMarker&) const = default;
};
struct Literal {
    std::string text;
    bool quoted = false;     // a string literal, as opposed to a number or keyword
    bool operator==(const Literal&) const = default;
};
using Term = std::variant<BindMarker, Literal>;

struct Relation {            // column = term
    std::string column;
    Term value;
};

struct Select {
    std::vector<std::string> columns;   // empty: *
    std::vector<Relation> where;
    std::optional<Term> limit;
};
struct Insert {
    std::vector<std::string> columns;
    std::vector<Term> values;
    bool if_not_exists = false;
};
struct Update {
    std::vector<Relation> assignments;
    std::vector<Relation> where;
};
struct Delete {
    std::vector<Relation> where;
};
struct Use {};

struct Statement {
    std::variant<Select, Insert, Update, Delete, Use> body;
    std::string keyspace;    // empty: the connection's current keyspace
    std::string table;       // for Use: empty
    std::size_t bind_markers = 0;
};

struct ParseResult {
    std::optional<Statement> statement;
    std::string error;       // "line 1:14 ..." style message when not ok
};

ParseResult parse_statement(std::string_view text);

}  // namespace routelab::cluster::cql
