#pragma once
// A DDL statement checked and resolved at compile time, waiting to be applied to the
// cluster. Existence (AlreadyExists, IF [NOT] EXISTS) is decided when it is applied.
#include <string>
#include <variant>

#include "mock_cluster/schema/schema.hpp"

namespace routelab::cluster {

struct CreateKeyspacePlan {
    std::string name;
    ReplicationStrategy strategy;
    bool durable_writes = true;
    bool if_not_exists = false;
};
struct DropKeyspacePlan {
    std::string name;
    bool if_exists = false;
};
struct CreateTablePlan {
    TableDef table;          // id unset until applied
    bool if_not_exists = false;
};
struct DropTablePlan {
    std::string keyspace;
    std::string name;
    bool if_exists = false;
};

using SchemaChangePlan = std::variant<CreateKeyspacePlan, DropKeyspacePlan, CreateTablePlan, DropTablePlan>;

}  // namespace routelab::cluster
