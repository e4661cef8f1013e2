#pragma once
// A parsed CQL statement of the subset the mock cluster serves. Values are either bind
// markers (by position) or literals kept as text; the executor types them against the
// table's schema.
//
// Served: SELECT (projection, WHERE with =, IN and clustering slices <, <=, >, >=,
// ORDER BY, LIMIT, ALLOW FILTERING, ScyllaDB's USING TIMEOUT suffix), INSERT, UPDATE,
// DELETE (with the lightweight-transaction conditions IF NOT EXISTS, IF EXISTS and
// IF col = v AND ...), USE, CREATE/DROP KEYSPACE and CREATE/DROP TABLE. Anything else is
// refused with a message naming what is unsupported.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

struct Relation {
    enum class Op : std::uint8_t {
        eq,          // column = term
        in_marker,   // column IN ?       (`value` is the marker; it binds a list)
        in_list,     // column IN (t, ...) (`in_values`)
        lt, le, gt, ge,  // column < term, <=, >, >= (clustering slices)
    } op = Op::eq;
    std::string column;
    Term value;
    std::vector<Term> in_values;
};

struct Select {
    std::vector<std::string> columns;   // empty: *
    std::vector<Relation> where;
    std::optional<Term> limit;
    bool allow_filtering = false;
    // ORDER BY column [ASC|DESC]: the column and whether DESC was asked.
    std::optional<std::pair<std::string, bool>> order_by;
};
// A lightweight transaction's condition: IF column = term.
struct Condition {
    std::string column;
    Term value;
};
struct Insert {
    std::vector<std::string> columns;
    std::vector<Term> values;
    bool if_not_exists = false;
};
struct Update {
    std::vector<Relation> assignments;
    std::vector<Relation> where;
    bool if_exists = false;
    std::vector<Condition> conditions;
};
struct Delete {
    std::vector<Relation> where;
    bool if_exists = false;
    std::vector<Condition> conditions;
};
struct Use {};

// A map literal's entries in the order written; values are literals as text.
using OptionMap = std::vector<std::pair<std::string, Literal>>;

struct CreateKeyspace {              // Statement::keyspace names it
    bool if_not_exists = false;
    OptionMap replication;
    std::optional<bool> durable_writes;
};
struct DropKeyspace {
    bool if_exists = false;
};
struct ColumnDeclaration {
    std::string name;
    std::string type;                // CQL type text, e.g. "map<text, int>"
};
struct CreateTable {                 // Statement::keyspace (may be empty) and ::table name it
    bool if_not_exists = false;
    std::vector<ColumnDeclaration> columns;      // as declared
    std::vector<std::string> partition_key;
    std::vector<std::string> clustering_key;
    std::vector<std::pair<std::string, bool>> clustering_order;  // (column, descending)
};
struct DropTable {
    bool if_exists = false;
};

struct Statement {
    std::variant<Select, Insert, Update, Delete, Use, CreateKeyspace, DropKeyspace, CreateTable, DropTable> body;
    std::string keyspace;    // empty: the connection's current keyspace
    std::string table;       // empty for Use and keyspace statements
    std::size_t bind_markers = 0;
};

struct ParseResult {
    std::optional<Statement> statement;
    std::string error;       // "line 1:14 ..." style message when not ok
};

ParseResult parse_statement(std::string_view text);

}  // namespace routelab::cluster::cql
