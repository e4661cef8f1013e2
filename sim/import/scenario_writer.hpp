#pragma once
// Turns a ClusterSnapshot into scenario TOML (scenarios/README.md): explicit
// [[topology.nodes]] with their tokens, the contact node's shard count, the chosen
// keyspaces as [[cluster.keyspaces]] and the client routes as [[cluster.proxies]].
// What the format cannot express is left out and listed in `notes` (and in the file's
// header comment), never approximated silently.
#include <string>
#include <vector>

#include "sim/import/cluster_reader.hpp"

namespace routelab::importer {

struct WriteOptions {
    std::vector<std::string> keyspaces;   // empty: every non-system keyspace
    std::string imported_at;              // UTC time text for the header
};

struct WriteResult {
    std::string toml;                     // empty on error
    std::vector<std::string> notes;       // what was left out, and why
    std::string error;                    // a keyspace asked for that cannot be written, a bad name...
};

WriteResult write_scenario(const ClusterSnapshot& snapshot, const WriteOptions& options);

}  // namespace routelab::importer
