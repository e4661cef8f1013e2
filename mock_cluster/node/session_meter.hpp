#pragma once
// Where sessions' requests land: a request that carries a session key (custom payload
// entry "session_id", as drivers send it for a session-affinity proxy) is counted, and
// counted as "same node" when the node coordinating it also coordinated the session's
// previous request. The fraction is what session affinity buys: cache reuse.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace routelab::cluster {

inline constexpr std::string_view session_key_entry = "session_id";

class SessionMeter {
public:
    void note(std::string_view session, std::uint16_t node) {
        ++keyed_;
        auto it = last_.find(session);
        if (it == last_.end()) {
            last_.emplace(std::string(session), node);
            return;
        }
        if (it->second == node) ++same_node_;
        else ++moved_;
        it->second = node;
    }
    std::uint64_t keyed() const { return keyed_; }
    std::uint64_t same_node() const { return same_node_; }
    std::uint64_t moved() const { return moved_; }   // a session's request on another node than its previous one
    std::size_t sessions() const { return last_.size(); }

private:
    std::map<std::string, std::uint16_t, std::less<>> last_;
    std::uint64_t keyed_ = 0;
    std::uint64_t same_node_ = 0;
    std::uint64_t moved_ = 0;
};

}  // namespace routelab::cluster
