#pragma once
// The optional parts a frame's flags announce before the message proper: tracing
// (request: "please trace"; response: the 16-byte session id), warnings (responses) and
// the custom payload (either direction). In a response body they come in that order.
#include <optional>
#include <string>
#include <vector>

#include "driver/protocol/primitives.hpp"

namespace routelab::cql {

struct FrameExtras {
    bool tracing_requested = false;            // request flag 0x02 (no body part)
    std::optional<Uuid> tracing_id;            // response flag 0x02
    std::vector<std::string> warnings;         // response flag 0x08 (empty: flag not set)
    std::optional<BytesMap> custom_payload;    // flag 0x04 (e.g. ScyllaDB tablets-routing-v1)
    bool operator==(const FrameExtras&) const = default;
};

}  // namespace routelab::cql
