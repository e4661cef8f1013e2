#include "mock_cluster/cql/statement.hpp"

#include <algorithm>
#include <iterator>

#include "mock_cluster/cql/tokenizer.hpp"

namespace routelab::cluster::cql {

namespace {

constexpr const char* served = "the mock cluster serves SELECT, INSERT, UPDATE, DELETE, USE, "
                               "CREATE/DROP KEYSPACE and CREATE/DROP TABLE";

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

    ParseResult parse() {
        Statement s;
        if (accept_word("select")) {
            s.body = parse_select(s);
        } else if (accept_word("insert")) {
            s.body = parse_insert(s);
        } else if (accept_word("update")) {
            s.body = parse_update(s);
        } else if (accept_word("delete")) {
            s.body = parse_delete(s);
        } else if (accept_word("use")) {
            s.keyspace = expect_name("a keyspace name");
            s.body = Use{};
        } else if (accept_word("create")) {
            parse_create(s);
        } else if (accept_word("drop")) {
            parse_drop(s);
        } else if (peek().kind == TokenKind::identifier && is_known_unsupported(peek().text)) {
            fail("unsupported statement: " + upper(peek().text) + " is not served; " + served);
        } else {
            fail(std::string("unsupported statement: ") + served);
        }
        accept_using_timeout();
        accept_symbol(";");
        if (error_.empty() && peek().kind != TokenKind::end) fail("unexpected '" + peek().text + "'");
        if (!error_.empty()) return {std::nullopt, error_};
        s.bind_markers = markers_;
        return {std::move(s), {}};
    }

private:
    static bool is_known_unsupported(const std::string& word) {
        for (const char* w : {"alter", "truncate", "begin", "apply", "grant", "revoke", "list", "describe", "desc"})
            if (word == w) return true;
        return false;
    }
    static std::string upper(std::string s) {
        for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return s;
    }
    const Token& peek(std::size_t ahead = 0) const {
        const std::size_t at = pos_ + ahead;
        return at < tokens_.size() ? tokens_[at] : tokens_.back();
    }
    bool peek_word(std::string_view w, std::size_t ahead = 0) const {
        return peek(ahead).kind == TokenKind::identifier && peek(ahead).text == w;
    }
    bool peek_symbol(std::string_view s) const { return peek().kind == TokenKind::symbol && peek().text == s; }
    void advance() {
        if (tokens_[pos_].kind != TokenKind::end) ++pos_;
    }
    void fail(std::string message) {
        if (error_.empty()) error_ = "at offset " + std::to_string(peek().offset) + ": " + std::move(message);
    }
    bool accept_word(std::string_view w) {
        if (peek_word(w)) {
            advance();
            return true;
        }
        return false;
    }
    void expect_word(std::string_view w) {
        if (!accept_word(w)) fail("expected " + upper(std::string(w)) + ", got '" + peek().text + "'");
    }
    bool accept_symbol(std::string_view s) {
        if (peek_symbol(s)) {
            advance();
            return true;
        }
        return false;
    }
    void expect_symbol(std::string_view s) {
        if (!accept_symbol(s)) fail("expected '" + std::string(s) + "', got '" + peek().text + "'");
    }
    std::string expect_name(const char* what) {
        if (peek().kind == TokenKind::identifier || peek().kind == TokenKind::quoted_identifier) {
            std::string name = peek().text;
            advance();
            return name;
        }
        fail(std::string("expected ") + what + ", got '" + peek().text + "'");
        return {};
    }
    void table_name(Statement& s) {
        std::string first = expect_name("a table name");
        if (accept_symbol(".")) {
            s.keyspace = std::move(first);
            s.table = expect_name("a table name");
        } else {
            s.table = std::move(first);
        }
    }
    bool if_not_exists() {
        if (!accept_word("if")) return false;
        expect_word("not");
        expect_word("exists");
        return true;
    }
    bool if_exists() {
        if (!accept_word("if")) return false;
        expect_word("exists");
        return true;
    }
    // ScyllaDB's per-statement timeout (the scylladb Python driver appends it to its
    // metadata queries): accepted and ignored.
    void accept_using_timeout() {
        if (!error_.empty() || !peek_word("using")) return;
        if (!peek_word("timeout", 1)) return fail("USING " + upper(peek(1).text) + " is not supported by the mock cluster");
        advance();
        advance();
        if (peek().kind != TokenKind::number) return fail("expected a duration after USING TIMEOUT, got '" + peek().text + "'");
        advance();
    }
    Term term() {
        const Token& t = peek();
        if (t.kind == TokenKind::bind_marker) {
            Term out = BindMarker{markers_++, t.text == "?" ? std::string() : t.text};
            advance();
            return out;
        }
        if (t.kind == TokenKind::string || t.kind == TokenKind::number ||
            (t.kind == TokenKind::identifier && (t.text == "true" || t.text == "false" || t.text == "null"))) {
            Term out = Literal{t.text, t.kind == TokenKind::string};
            advance();
            return out;
        }
        if (t.kind == TokenKind::symbol && (t.text == "{" || t.text == "[" || t.text == "("))
            fail("collection and tuple literals are not supported by the mock cluster; bind a value instead");
        else
            fail("expected a value or bind marker, got '" + t.text + "'");
        return Literal{};
    }
    std::vector<Relation> where_clause() {
        std::vector<Relation> out;
        expect_word("where");
        do {
            Relation r;
            if (peek().kind == TokenKind::identifier && peek().text == "token" && peek_symbol_at(1, "(")) {
                fail("token() restrictions are not supported by the mock cluster");
                return out;
            }
            r.column = expect_name("a column name");
            if (accept_word("in")) {
                if (peek().kind == TokenKind::bind_marker) {
                    r.op = Relation::Op::in_marker;
                    r.value = term();
                } else {
                    r.op = Relation::Op::in_list;
                    expect_symbol("(");
                    if (!peek_symbol(")")) {
                        do r.in_values.push_back(term());
                        while (error_.empty() && accept_symbol(","));
                    }
                    expect_symbol(")");
                }
            } else {
                if (peek().kind == TokenKind::identifier && (peek().text == "contains" || peek().text == "like")) {
                    fail("unsupported relation " + upper(peek().text) + ": only =, IN, <, <=, > and >= are served");
                    return out;
                }
                static constexpr std::pair<std::string_view, Relation::Op> ops[] = {
                    {"=", Relation::Op::eq}, {"<", Relation::Op::lt}, {"<=", Relation::Op::le},
                    {">", Relation::Op::gt}, {">=", Relation::Op::ge}};
                const auto* op = std::find_if(std::begin(ops), std::end(ops), [&](const auto& o) { return peek_symbol(o.first); });
                if (op == std::end(ops)) {
                    fail("unsupported relation '" + peek().text + "': only =, IN, <, <=, > and >= are served");
                    return out;
                }
                advance();
                r.op = op->second;
                r.value = term();
            }
            out.push_back(std::move(r));
        } while (error_.empty() && accept_word("and"));
        return out;
    }
    bool peek_symbol_at(std::size_t ahead, std::string_view s) const {
        return peek(ahead).kind == TokenKind::symbol && peek(ahead).text == s;
    }
    Select parse_select(Statement& s) {
        Select sel;
        if (peek_word("json") || peek_word("distinct")) fail("SELECT " + upper(peek().text) + " is not supported by the mock cluster");
        if (!accept_symbol("*")) {
            do {
                std::string name = expect_name("a column name");
                if (name == "token" && peek_symbol("(")) {
                    // token(pk1, pk2, ...): kept as the text "token(pk1,pk2)" for the compiler.
                    accept_symbol("(");
                    std::string columns;
                    do columns += (columns.empty() ? "" : ",") + expect_name("a partition key column");
                    while (error_.empty() && accept_symbol(","));
                    expect_symbol(")");
                    name = "token(" + columns + ")";
                } else if (peek_symbol("(")) {
                    fail("selector functions such as " + name + "(...) are not supported by the mock cluster");
                    return sel;
                }
                if (peek_word("as")) {
                    fail("column aliases (AS) are not supported by the mock cluster");
                    return sel;
                }
                sel.columns.push_back(std::move(name));
            } while (error_.empty() && accept_symbol(","));
        }
        expect_word("from");
        table_name(s);
        if (peek_word("where")) sel.where = where_clause();
        if (peek_word("group") || peek_word("per")) {
            fail(upper(peek().text) + " clauses are not supported by the mock cluster");
            return sel;
        }
        if (accept_word("order")) {
            expect_word("by");
            std::string column = expect_name("a clustering column");
            bool descending = false;
            if (accept_word("desc")) descending = true;
            else accept_word("asc");
            if (accept_symbol(",")) {
                fail("ORDER BY on more than one column is not supported by the mock cluster; order by the first clustering column");
                return sel;
            }
            sel.order_by.emplace(std::move(column), descending);
        }
        if (accept_word("limit")) sel.limit = term();
        if (accept_word("allow")) {
            expect_word("filtering");
            sel.allow_filtering = true;
        }
        return sel;
    }
    Insert parse_insert(Statement& s) {
        Insert ins;
        expect_word("into");
        table_name(s);
        if (peek_word("json")) {
            fail("INSERT JSON is not supported by the mock cluster");
            return ins;
        }
        expect_symbol("(");
        do ins.columns.push_back(expect_name("a column name"));
        while (error_.empty() && accept_symbol(","));
        expect_symbol(")");
        expect_word("values");
        expect_symbol("(");
        do ins.values.push_back(term());
        while (error_.empty() && accept_symbol(","));
        expect_symbol(")");
        ins.if_not_exists = if_not_exists();
        if (error_.empty() && ins.columns.size() != ins.values.size())
            fail("INSERT names " + std::to_string(ins.columns.size()) + " columns but gives " +
                 std::to_string(ins.values.size()) + " values");
        return ins;
    }
    Update parse_update(Statement& s) {
        Update up;
        table_name(s);
        if (peek_word("using")) {
            fail("USING " + upper(peek(1).text) + " is not supported by the mock cluster");
            return up;
        }
        expect_word("set");
        do {
            Relation r;
            r.column = expect_name("a column name");
            expect_symbol("=");
            r.value = term();
            up.assignments.push_back(std::move(r));
        } while (error_.empty() && accept_symbol(","));
        up.where = where_clause();
        conditions(up.if_exists, up.conditions);
        return up;
    }
    Delete parse_delete(Statement& s) {
        Delete del;
        if (!peek_word("from")) {
            fail("deleting single columns is not supported by the mock cluster; DELETE FROM removes the row");
            return del;
        }
        expect_word("from");
        table_name(s);
        del.where = where_clause();
        conditions(del.if_exists, del.conditions);
        return del;
    }
    // IF EXISTS, or IF column = term [AND ...]: a lightweight transaction.
    void conditions(bool& if_exists, std::vector<Condition>& out) {
        if (!error_.empty() || !accept_word("if")) return;
        if (accept_word("exists")) {
            if_exists = true;
            return;
        }
        if (peek_word("not")) return fail("IF NOT EXISTS is only valid on INSERT");
        do {
            Condition c;
            c.column = expect_name("a column name");
            if (!peek_symbol("=")) return fail("unsupported condition '" + peek().text + "': only IF column = value is served");
            advance();
            c.value = term();
            out.push_back(std::move(c));
        } while (error_.empty() && accept_word("and"));
    }

    // {'key': value, ...}
    OptionMap map_literal() {
        OptionMap out;
        expect_symbol("{");
        if (accept_symbol("}")) return out;
        do {
            if (peek().kind != TokenKind::string) {
                fail("expected a quoted map key, got '" + peek().text + "'");
                return out;
            }
            std::string key = peek().text;
            advance();
            if (peek().kind == TokenKind::bind_marker && peek().text != "?") {
                // `'k':true` tokenizes as a named marker ":true"; read it as ':' + the word.
                Literal value{peek().text, false};
                advance();
                out.emplace_back(std::move(key), std::move(value));
                continue;
            }
            expect_symbol(":");
            const Token& t = peek();
            if (t.kind == TokenKind::string || t.kind == TokenKind::number || t.kind == TokenKind::identifier) {
                out.emplace_back(std::move(key), Literal{t.text, t.kind == TokenKind::string});
                advance();
            } else {
                {
                fail("expected a map value, got '" + t.text + "'");
                return out;
            }
            }
        } while (error_.empty() && accept_symbol(","));
        expect_symbol("}");
        return out;
    }
    // `name = value` where value is a literal or a map literal; maps come back in `map`.
    std::string property(Literal& value, OptionMap& map, bool& is_map) {
        std::string name = expect_name("a property name");
        expect_symbol("=");
        is_map = peek_symbol("{");
        if (is_map) {
            map = map_literal();
        } else if (peek().kind == TokenKind::string || peek().kind == TokenKind::number || peek().kind == TokenKind::identifier) {
            value = Literal{peek().text, peek().kind == TokenKind::string};
            advance();
        } else {
            fail("expected a value for property " + name + ", got '" + peek().text + "'");
        }
        return name;
    }

    void parse_create(Statement& s) {
        if (accept_word("keyspace") || accept_word("schema")) return parse_create_keyspace(s);
        if (accept_word("table") || accept_word("columnfamily")) return parse_create_table(s);
        std::string what = upper(peek().text);
        if (peek_word("materialized")) what = "MATERIALIZED VIEW";
        if (peek_word("custom")) what = "CUSTOM INDEX";
        fail("unsupported statement: CREATE " + what + " is not served; " + served);
    }
    void parse_create_keyspace(Statement& s) {
        CreateKeyspace ck;
        ck.if_not_exists = if_not_exists();
        s.keyspace = expect_name("a keyspace name");
        expect_word("with");
        bool have_replication = false;
        do {
            Literal value;
            OptionMap map;
            bool is_map = false;
            const std::string name = property(value, map, is_map);
            if (!error_.empty()) break;
            if (name == "replication") {
                if (!is_map) return fail("replication must be a map literal");
                ck.replication = std::move(map);
                have_replication = true;
            } else if (name == "durable_writes") {
                if (is_map || value.quoted || (value.text != "true" && value.text != "false"))
                    return fail("durable_writes must be true or false");
                ck.durable_writes = value.text == "true";
            } else if (name == "tablets") {
                // ScyllaDB's tablets option: the mock cluster always uses vnodes; ignored.
            } else {
                return fail("unknown keyspace property " + name);
            }
        } while (error_.empty() && accept_word("and"));
        if (error_.empty() && !have_replication) fail("CREATE KEYSPACE needs a replication map");
        s.body = std::move(ck);
    }
    void parse_create_table(Statement& s) {
        CreateTable ct;
        ct.if_not_exists = if_not_exists();
        table_name(s);
        expect_symbol("(");
        bool key_declared = false;
        do {
            if (peek_word("primary") && peek_word("key", 1)) {
                advance();
                advance();
                if (key_declared) return fail("multiple PRIMARY KEY declarations");
                key_declared = true;
                expect_symbol("(");
                if (accept_symbol("(")) {
                    do ct.partition_key.push_back(expect_name("a partition key column"));
                    while (error_.empty() && accept_symbol(","));
                    expect_symbol(")");
                } else {
                    ct.partition_key.push_back(expect_name("a partition key column"));
                }
                while (error_.empty() && accept_symbol(",")) ct.clustering_key.push_back(expect_name("a clustering column"));
                expect_symbol(")");
                continue;
            }
            ColumnDeclaration column;
            column.name = expect_name("a column name");
            column.type = type_text();
            if (peek_word("static")) return fail("static columns are not supported by the mock cluster");
            if (peek_word("primary")) {
                advance();
                expect_word("key");
                if (key_declared) return fail("multiple PRIMARY KEY declarations");
                key_declared = true;
                ct.partition_key.push_back(column.name);
            }
            ct.columns.push_back(std::move(column));
        } while (error_.empty() && accept_symbol(","));
        expect_symbol(")");
        if (error_.empty() && !key_declared) return fail("CREATE TABLE needs a PRIMARY KEY");
        if (accept_word("with")) {
            do {
                if (accept_word("clustering")) {
                    expect_word("order");
                    expect_word("by");
                    expect_symbol("(");
                    do {
                        std::string column = expect_name("a clustering column");
                        bool descending = false;
                        if (accept_word("desc")) descending = true;
                        else accept_word("asc");
                        ct.clustering_order.emplace_back(std::move(column), descending);
                    } while (error_.empty() && accept_symbol(","));
                    expect_symbol(")");
                } else if (peek_word("compact")) {
                    return fail("COMPACT STORAGE is not supported by the mock cluster");
                } else {
                    // Table options (compaction, caching, comment, ...) are accepted and ignored.
                    Literal value;
                    OptionMap map;
                    bool is_map = false;
                    property(value, map, is_map);
                }
            } while (error_.empty() && accept_word("and"));
        }
        s.body = std::move(ct);
    }
    // The tokens of a column type up to the next ',' or ')' outside <...>, joined.
    std::string type_text() {
        std::string out;
        int depth = 0;
        for (;;) {
            const Token& t = peek();
            if (t.kind == TokenKind::end) break;
            if (t.kind == TokenKind::symbol) {
                if (depth == 0 && (t.text == "," || t.text == ")")) break;
                if (t.text == "<") ++depth;
                if (t.text == ">") --depth;
            } else if (depth == 0 && t.kind == TokenKind::identifier && (t.text == "primary" || t.text == "static")) {
                break;
            }
            if (t.kind == TokenKind::quoted_identifier) out += "\"" + t.text + "\"";
            else out += t.text;
            advance();
        }
        if (out.empty()) fail("expected a column type, got '" + peek().text + "'");
        return out;
    }
    void parse_drop(Statement& s) {
        if (accept_word("keyspace") || accept_word("schema")) {
            DropKeyspace dk;
            dk.if_exists = if_exists();
            s.keyspace = expect_name("a keyspace name");
            s.body = dk;
            return;
        }
        if (accept_word("table") || accept_word("columnfamily")) {
            DropTable dt;
            dt.if_exists = if_exists();
            table_name(s);
            s.body = dt;
            return;
        }
        std::string what = upper(peek().text);
        if (peek_word("materialized")) what = "MATERIALIZED VIEW";
        fail("unsupported statement: DROP " + what + " is not served; " + served);
    }

    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    std::size_t markers_ = 0;
    std::string error_;
};

}  // namespace

ParseResult parse_statement(std::string_view text) {
    TokenizeResult tokens = tokenize(text);
    if (!tokens.error.empty()) return {std::nullopt, tokens.error};
    return Parser(std::move(tokens.tokens)).parse();
}

}  // namespace routelab::cluster::cql
