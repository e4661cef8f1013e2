#pragma once
// Splits CQL text into tokens. Keywords are not special here: the parser compares
// identifiers case-insensitively; quoted identifiers keep their case.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace routelab::cluster::cql {

enum class TokenKind : std::uint8_t { identifier, quoted_identifier, string, number, symbol, bind_marker, end };

struct Token {
    TokenKind kind;
    std::string text;        // identifiers lower-cased unless quoted; strings unescaped
    std::size_t offset;      // byte offset in the statement, for error messages
};

struct TokenizeResult {
    std::vector<Token> tokens;   // always ends with an `end` token when ok
    std::string error;           // empty when ok
};

TokenizeResult tokenize(std::string_view text);

}  // namespace routelab::cluster::cql
