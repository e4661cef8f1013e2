#pragma once
// One plain struct per message body (see messages/); requests and responses are variants
// of them. Every struct compares with ==, which the round-trip properties rely on.
#include <map>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "driver/protocol/byte_reader.hpp"
#include "driver/protocol/frame.hpp"
#include "driver/protocol/messages/errors.hpp"
#include "driver/protocol/messages/events.hpp"
#include "driver/protocol/messages/frame_extras.hpp"
#include "driver/protocol/messages/requests.hpp"
#include "driver/protocol/messages/results.hpp"
#include "driver/protocol/primitives.hpp"
#include "driver/protocol/types.hpp"

namespace routelab::cql {

struct Ready {
    bool operator==(const Ready&) const = default;
};
struct Authenticate {
    std::string authenticator;           // e.g. org.apache.cassandra.auth.PasswordAuthenticator
    bool operator==(const Authenticate&) const = default;
};
struct Supported {
    StringMultimap options;              // CQL_VERSION, COMPRESSION, SCYLLA_* (see scylla_supported.hpp)
    bool operator==(const Supported&) const = default;
};
struct AuthChallenge {
    std::optional<Bytes> token;
    bool operator==(const AuthChallenge&) const = default;
};
struct AuthSuccess {
    std::optional<Bytes> token;
    bool operator==(const AuthSuccess&) const = default;
};

using Response = std::variant<Error, Ready, Authenticate, Supported, Result, AuthChallenge, AuthSuccess, Event>;

Opcode opcode_of(const Request& request);
Opcode opcode_of(const Response& response);

// The message types a frame can carry in each direction (used to constrain the
// per-message encoders, which avoid building a variant).
template <typename M, typename Variant>
struct is_alternative_of;
template <typename M, typename... Ts>
struct is_alternative_of<M, std::variant<Ts...>> : std::bool_constant<(std::is_same_v<M, Ts> || ...)> {};
template <typename M>
concept RequestMessage = is_alternative_of<M, Request>::value;
template <typename M>
concept ResponseMessage = is_alternative_of<M, Response>::value || is_alternative_of<M, Result>::value;

}  // namespace routelab::cql
