#pragma once
// SASL PLAIN tokens as PasswordAuthenticator uses them in AUTH_RESPONSE:
// [authzid] 0x00 username 0x00 password (drivers send an empty authzid).
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "driver/protocol/primitives.hpp"

namespace routelab::cql {

constexpr const char* password_authenticator = "org.apache.cassandra.auth.PasswordAuthenticator";

struct SaslPlainCredentials {
    std::string authzid;
    std::string username;
    std::string password;
    bool operator==(const SaslPlainCredentials&) const = default;
};

// Username and password must not contain 0x00 (an invariant: it would split the token).
Bytes sasl_plain_token(std::string_view username, std::string_view password, std::string_view authzid = {});

// nullopt unless the token has exactly two 0x00 separators.
std::optional<SaslPlainCredentials> parse_sasl_plain(std::span<const std::uint8_t> token);

}  // namespace routelab::cql
