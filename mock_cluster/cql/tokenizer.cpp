#include "mock_cluster/cql/tokenizer.hpp"

#include <cctype>

namespace routelab::cluster::cql {

namespace {
bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// An unquoted UUID literal (8-4-4-4-12 hex digits) starting at `i`; 0 when there is none.
std::size_t uuid_length(std::string_view text, std::size_t i) {
    static constexpr std::size_t groups[] = {8, 4, 4, 4, 12};
    std::size_t at = i;
    for (std::size_t g = 0; g < 5; ++g) {
        if (g > 0) {
            if (at >= text.size() || text[at] != '-') return 0;
            ++at;
        }
        for (std::size_t k = 0; k < groups[g]; ++k, ++at)
            if (at >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[at]))) return 0;
    }
    if (at < text.size() && ident_char(text[at])) return 0;
    return at - i;
}
}  // namespace

TokenizeResult tokenize(std::string_view text) {
    TokenizeResult out;
    std::size_t i = 0;
    auto fail = [&](std::string message) {
        out.error = std::move(message) + " at offset " + std::to_string(i);
        out.tokens.clear();
        return out;
    };
    while (i < text.size()) {
        const char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
            while (i < text.size() && text[i] != '\n') ++i;
        } else if (const std::size_t n = uuid_length(text, i); n != 0) {
            std::string word(text.substr(i, n));
            for (auto& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            out.tokens.push_back({TokenKind::number, std::move(word), i});
            i += n;
        } else if (ident_start(c)) {
            const std::size_t start = i;
            while (i < text.size() && ident_char(text[i])) ++i;
            std::string word(text.substr(start, i - start));
            for (auto& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            out.tokens.push_back({TokenKind::identifier, std::move(word), start});
        } else if (c == '"') {
            const std::size_t start = i++;
            std::string word;
            for (;;) {
                if (i >= text.size()) return fail("unterminated quoted identifier");
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') { word.push_back('"'); i += 2; continue; }
                    ++i;
                    break;
                }
                word.push_back(text[i++]);
            }
            out.tokens.push_back({TokenKind::quoted_identifier, std::move(word), start});
        } else if (c == '\'') {
            const std::size_t start = i++;
            std::string value;
            for (;;) {
                if (i >= text.size()) return fail("unterminated string literal");
                if (text[i] == '\'') {
                    if (i + 1 < text.size() && text[i + 1] == '\'') { value.push_back('\''); i += 2; continue; }
                    ++i;
                    break;
                }
                value.push_back(text[i++]);
            }
            out.tokens.push_back({TokenKind::string, std::move(value), start});
        } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                   (c == '-' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
            const std::size_t start = i++;
            while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '.' || text[i] == '-')) ++i;
            out.tokens.push_back({TokenKind::number, std::string(text.substr(start, i - start)), start});
        } else if (c == '?') {
            out.tokens.push_back({TokenKind::bind_marker, "?", i++});
        } else if (c == ':' && i + 1 < text.size() && ident_start(text[i + 1])) {
            const std::size_t start = i++;
            while (i < text.size() && ident_char(text[i])) ++i;
            out.tokens.push_back({TokenKind::bind_marker, std::string(text.substr(start + 1, i - start - 1)), start});
        } else if (std::string_view("(),.;=*<>![]{}+:").find(c) != std::string_view::npos) {
            std::string sym(1, c);
            if ((c == '<' || c == '>' || c == '!') && i + 1 < text.size() && text[i + 1] == '=') sym.push_back('=');
            out.tokens.push_back({TokenKind::symbol, sym, i});
            i += sym.size();
        } else {
            return fail(std::string("unexpected character '") + c + "'");
        }
    }
    out.tokens.push_back({TokenKind::end, "", text.size()});
    return out;
}

}  // namespace routelab::cluster::cql
