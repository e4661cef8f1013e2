#pragma once
// What a workload hands to the system under test, and the interface it hands it through.
// The workload decides *what* and *when*; the runner's adapter turns it into driver calls.
#include <cstdint>

#include "sim/core/time.hpp"

namespace routelab::workload {

enum class Operation : std::uint8_t { read, write };

struct WorkloadRequest {
    std::uint64_t id = 0;          // 0, 1, 2, ... in issue order
    Operation operation = Operation::read;
    std::int64_t key = 0;
    sim::Time issued_at;
};

class RequestSink {
public:
    virtual ~RequestSink() = default;
    virtual void issue(const WorkloadRequest& request) = 0;
};

}  // namespace routelab::workload
