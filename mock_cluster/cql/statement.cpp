#include "mock_cluster/cql/statement.hpp"

#include "mock_cluster/cql/tokenizer.hpp"

namespace routelab::cluster::cql {

namespace {

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
        } else {
            fail("unsupported statement: the mock cluster serves SELECT, INSERT, UPDATE, DELETE and USE");
        }
        accept_symbol(";");
        if (error_.empty() && peek().kind != TokenKind::end) fail("unexpected '" + peek().text + "'");
        if (!error_.empty()) return {std::nullopt, error_};
        s.bind_markers = markers_;
        return {std::move(s), {}};
    }

private:
    const Token& peek() const { return tokens_[pos_]; }
    void advance() {
        if (tokens_[pos_].kind != TokenKind::end) ++pos_;
    }
    void fail(std::string message) {
        if (error_.empty()) error_ = "at offset " + std::to_string(peek().offset) + ": " + std::move(message);
    }
    bool accept_word(std::string_view w) {
        if (peek().kind == TokenKind::identifier && peek().text == w) {
            advance();
            return true;
        }
        return false;
    }
    void expect_word(std::string_view w) {
        if (!accept_word(w)) fail("expected " + std::string(w) + ", got '" + peek().text + "'");
    }
    bool accept_symbol(std::string_view s) {
        if (peek().kind == TokenKind::symbol && peek().text == s) {
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
        fail("expected a value or bind marker, got '" + t.text + "'");
        return Literal{};
    }
    std::vector<Relation> where_clause() {
        std::vector<Relation> out;
        expect_word("where");
        do {
            Relation r;
            r.column = expect_name("a column name");
            if (peek().kind == TokenKind::symbol && peek().text != "=") {
                fail("unsupported relation '" + peek().text + "': only = is served");
                return out;
            }
            expect_symbol("=");
            r.value = term();
            out.push_back(std::move(r));
        } while (error_.empty() && accept_word("and"));
        return out;
    }
    Select parse_select(Statement& s) {
        Select sel;
        if (!accept_symbol("*")) {
            do sel.columns.push_back(expect_name("a column name"));
            while (error_.empty() && accept_symbol(","));
        }
        expect_word("from");
        table_name(s);
        if (peek().kind == TokenKind::identifier && peek().text == "where") sel.where = where_clause();
        if (accept_word("limit")) sel.limit = term();
        return sel;
    }
    Insert parse_insert(Statement& s) {
        Insert ins;
        expect_word("into");
        table_name(s);
        expect_symbol("(");
        do ins.columns.push_back(expect_name("a column name"));
        while (error_.empty() && accept_symbol(","));
        expect_symbol(")");
        expect_word("values");
        expect_symbol("(");
        do ins.values.push_back(term());
        while (error_.empty() && accept_symbol(","));
        expect_symbol(")");
        if (accept_word("if")) {
            expect_word("not");
            expect_word("exists");
            ins.if_not_exists = true;
        }
        if (error_.empty() && ins.columns.size() != ins.values.size())
            fail("INSERT names " + std::to_string(ins.columns.size()) + " columns but gives " +
                 std::to_string(ins.values.size()) + " values");
        return ins;
    }
    Update parse_update(Statement& s) {
        Update up;
        table_name(s);
        expect_word("set");
        do {
            Relation r;
            r.column = expect_name("a column name");
            expect_symbol("=");
            r.value = term();
            up.assignments.push_back(std::move(r));
        } while (error_.empty() && accept_symbol(","));
        up.where = where_clause();
        return up;
    }
    Delete parse_delete(Statement& s) {
        Delete del;
        expect_word("from");
        table_name(s);
        del.where = where_clause();
        return del;
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
