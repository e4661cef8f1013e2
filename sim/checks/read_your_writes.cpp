// read_your_writes: a read that starts after a write to its key was acknowledged returns
// that write's value or a newer one — never the value of a write that had completed
// before the acknowledged one started, and never nothing. Holds when reads and writes
// overlap on a replica (QUORUM/QUORUM with last-write-wins); at ONE it may not.
//
// Writes carry their request id in the value's first 8 bytes (the World writes it there;
// needs workload.value_bytes >= 8), so a read names the write it saw. The first `keys`
// distinct keys the workload touches are tracked, each with its last 64 writes: memory
// stays bounded however long the run. Failed and timed-out writes may have been applied:
// a read may return them. Value: stale reads; limit 0. Where: the first.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "sim/checks/builtin.hpp"

namespace routelab::checks::builtin {
namespace {

constexpr std::size_t writes_kept = 64;

class ReadYourWrites final : public Checker {
public:
    explicit ReadYourWrites(const CheckSetup& s)
        : Checker(s), max_keys_(static_cast<std::size_t>(s.params->number("keys", 1000))) {}
    FactMask wants() const override {
        return mask_of(FactKind::request_issued) | mask_of(FactKind::request_ended) | mask_of(FactKind::read_values);
    }
    void on_request_issued(const RequestIssued& f) override {
        if (!of_client(f.client)) return;
        KeyState* key = track(f.key);
        if (key == nullptr || !f.write) return;
        if (key->writes.size() == writes_kept) key->writes.erase(key->writes.begin());
        key->writes.push_back(Write{f.request, f.at, std::nullopt});
    }
    void on_request_ended(const RequestEnded& f) override {
        if (!of_client(f.client)) return;
        const auto it = keys_.find(f.key);
        if (it == keys_.end()) return;
        KeyState& key = it->second;
        if (f.write) {
            for (auto& w : key.writes)
                if (w.id == f.request && f.ok()) w.acked = f.ended;
            return;
        }
        if (!f.ok() || !f.plain_read || !counts(f)) return;
        ++reads_;
        // The newest start among writes acknowledged before this read started.
        const Write* latest = nullptr;
        for (const auto& w : key.writes)
            if (w.acked && *w.acked < f.issued && (latest == nullptr || w.issued > latest->issued)) latest = &w;
        if (latest == nullptr) return;
        std::string why;
        if (!f.value) {
            why = "returned no value";
        } else {
            const auto seen = std::find_if(key.writes.begin(), key.writes.end(), [&](const Write& w) { return w.id == *f.value; });
            if (seen == key.writes.end()) {
                if (*f.value < key.writes.front().id) why = fmt::format("returned write {}, older than every write kept for the key", *f.value);
                else why = fmt::format("returned a value no write to this key wrote (id {})", *f.value);
            } else if (seen->acked && *seen->acked < latest->issued) {
                why = fmt::format("returned write {}, acknowledged at {:.6f} s", seen->id, seconds(*seen->acked));
            }
        }
        if (why.empty()) return;
        ++stale_;
        note_breach(f.ended, f.request, f.answered ? node_name(*f.answered) : "",
                    fmt::format("read of key {} {}, but write {} was acknowledged at {:.6f} s, before the read started at {:.6f} s", f.key,
                                why, latest->id, seconds(*latest->acked), seconds(f.issued)));
    }

private:
    struct Write {
        std::uint64_t id;
        sim::Time issued;
        std::optional<sim::Time> acked;   // acknowledged (successful) writes only
    };
    struct KeyState {
        std::vector<Write> writes;   // in issue order, the last writes_kept
    };
    KeyState* track(std::int64_t key) {
        auto it = keys_.find(key);
        if (it != keys_.end()) return &it->second;
        if (keys_.size() >= max_keys_) return nullptr;
        auto& state = keys_[key];
        state.writes.reserve(writes_kept);
        return &state;
    }
    void conclude(sim::Time, results::CheckRecord& out) override {
        out.measure = "stale reads";
        out.value = static_cast<double>(stale_);
        out.value_text = fmt::format("{} of {} reads of {} keys", stale_, reads_, keys_.size());
        out.limit_text = "0";
        out.passed = stale_ == 0;
    }

    std::size_t max_keys_;
    std::map<std::int64_t, KeyState> keys_;
    std::uint64_t reads_ = 0;
    std::uint64_t stale_ = 0;
};

}  // namespace

void register_read_your_writes(CheckRegistry& registry) {
    CheckerInfo info;
    info.name = "read_your_writes";
    info.summary = "a read started after a write was acknowledged returns it or a newer value";
    info.params = {integer_param("keys", 1, 1e6, "distinct keys tracked, the first the workload touches (default 1000)")};
    info.validate = [](const Params&, const CheckEnv& env) -> std::optional<ParamProblem> {
        if (env.value_bytes < 8)
            return ParamProblem{"", fmt::format("read_your_writes needs workload.value_bytes >= 8 (values carry the id of their write), got {}",
                                                env.value_bytes)};
        return std::nullopt;
    };
    info.create = [](const CheckSetup& s) { return std::make_unique<ReadYourWrites>(s); };
    registry.add(std::move(info));
}

}  // namespace routelab::checks::builtin
