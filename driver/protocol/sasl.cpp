#include "driver/protocol/sasl.hpp"

#include <algorithm>

#include "driver/protocol/invariant.hpp"

namespace routelab::cql {

Bytes sasl_plain_token(std::string_view username, std::string_view password, std::string_view authzid) {
    invariant(username.find('\0') == std::string_view::npos && password.find('\0') == std::string_view::npos &&
                  authzid.find('\0') == std::string_view::npos,
              "SASL PLAIN fields contain no 0x00");
    Bytes token;
    token.reserve(authzid.size() + username.size() + password.size() + 2);
    token.insert(token.end(), authzid.begin(), authzid.end());
    token.push_back(0);
    token.insert(token.end(), username.begin(), username.end());
    token.push_back(0);
    token.insert(token.end(), password.begin(), password.end());
    return token;
}

std::optional<SaslPlainCredentials> parse_sasl_plain(std::span<const std::uint8_t> token) {
    const auto first = std::find(token.begin(), token.end(), std::uint8_t{0});
    if (first == token.end()) return std::nullopt;
    const auto second = std::find(first + 1, token.end(), std::uint8_t{0});
    if (second == token.end() || std::find(second + 1, token.end(), std::uint8_t{0}) != token.end()) return std::nullopt;
    SaslPlainCredentials c;
    c.authzid.assign(token.begin(), first);
    c.username.assign(first + 1, second);
    c.password.assign(second + 1, token.end());
    return c;
}

}  // namespace routelab::cql
