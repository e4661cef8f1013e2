#pragma once
// `routelab import --contact HOST[:PORT] [--keyspace K...] --out FILE.toml`: reads a running
// cluster (a real one or `routelab serve`) and writes a scenario with its topology, tokens,
// shard count, keyspaces and client routes (sim/import).
#include <string>
#include <vector>

namespace routelab::cli {

struct ImportOptions {
    std::string contact;
    std::vector<std::string> keyspaces;
    std::string out_path;
    double connect_timeout_s = 3;
    double request_timeout_s = 5;
};

// Exit codes: 0 written; 1 the cluster could not be reached or read (unreachable, refused,
// timed out, an answer that is not what the tables hold); 2 bad input (--contact syntax, a
// --keyspace the cluster lacks or the scenario cannot hold); 3 FILE could not be written.
int import_command(const ImportOptions& options);

}  // namespace routelab::cli
