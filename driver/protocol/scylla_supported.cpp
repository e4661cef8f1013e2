#include "driver/protocol/scylla_supported.hpp"

#include <charconv>
#include <string_view>

namespace routelab::cql {

namespace {

constexpr std::string_view lwt_mask_name = "LWT_OPTIMIZATION_META_BIT_MASK";
constexpr std::string_view error_code_name = "ERROR_CODE";

template <typename T>
std::optional<T> parse_number(std::string_view s) {
    T v{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

// The single value of a key, if present with exactly one value.
std::optional<std::string_view> single(const StringMultimap& options, const char* key) {
    const auto it = options.find(key);
    if (it == options.end() || it->second.size() != 1) return std::nullopt;
    return std::string_view(it->second[0]);
}

// "NAME=VALUE" entries of a key's list -> VALUE for NAME.
std::optional<std::string_view> named_value(const StringMultimap& options, const char* key, std::string_view name) {
    const auto it = options.find(key);
    if (it == options.end()) return std::nullopt;
    for (const auto& entry : it->second) {
        const std::string_view e(entry);
        if (e.size() > name.size() && e.substr(0, name.size()) == name && e[name.size()] == '=')
            return e.substr(name.size() + 1);
    }
    return std::nullopt;
}

}  // namespace

void add_scylla_options(const ScyllaSupported& s, StringMultimap& options) {
    if (s.sharding) {
        const auto& sh = *s.sharding;
        options[scylla_keys::shard] = {std::to_string(sh.shard)};
        options[scylla_keys::nr_shards] = {std::to_string(sh.nr_shards)};
        options[scylla_keys::sharding_ignore_msb] = {std::to_string(sh.ignore_msb)};
        options[scylla_keys::partitioner] = {sh.partitioner};
        options[scylla_keys::sharding_algorithm] = {sh.algorithm};
        if (sh.shard_aware_port) options[scylla_keys::shard_aware_port] = {std::to_string(*sh.shard_aware_port)};
        if (sh.shard_aware_port_ssl) options[scylla_keys::shard_aware_port_ssl] = {std::to_string(*sh.shard_aware_port_ssl)};
    }
    if (s.lwt_metadata_mask)
        options[scylla_keys::lwt_add_metadata_mark] = {std::string(lwt_mask_name) + "=" + std::to_string(*s.lwt_metadata_mask)};
    if (s.rate_limit_error_code)
        options[scylla_keys::rate_limit_error] = {std::string(error_code_name) + "=" + std::to_string(*s.rate_limit_error_code)};
    if (s.tablets_routing_v1) options[scylla_keys::tablets_routing_v1] = {""};
}

ScyllaSupported parse_scylla_options(const StringMultimap& options) {
    ScyllaSupported s;
    const auto shard = single(options, scylla_keys::shard);
    const auto nr_shards = single(options, scylla_keys::nr_shards);
    const auto msb = single(options, scylla_keys::sharding_ignore_msb);
    if (shard && nr_shards && msb) {
        const auto shard_n = parse_number<unsigned>(*shard);
        const auto nr_n = parse_number<unsigned>(*nr_shards);
        const auto msb_n = parse_number<unsigned>(*msb);
        if (shard_n && nr_n && msb_n && *nr_n > 0 && *shard_n < *nr_n && *msb_n < 64) {
            ScyllaSharding sh;
            sh.shard = *shard_n;
            sh.nr_shards = *nr_n;
            sh.ignore_msb = *msb_n;
            if (const auto p = single(options, scylla_keys::partitioner)) sh.partitioner = std::string(*p);
            if (const auto a = single(options, scylla_keys::sharding_algorithm)) sh.algorithm = std::string(*a);
            if (const auto port = single(options, scylla_keys::shard_aware_port)) sh.shard_aware_port = parse_number<std::uint16_t>(*port);
            if (const auto port = single(options, scylla_keys::shard_aware_port_ssl))
                sh.shard_aware_port_ssl = parse_number<std::uint16_t>(*port);
            s.sharding = sh;
        }
    }
    if (const auto mask = named_value(options, scylla_keys::lwt_add_metadata_mark, lwt_mask_name))
        s.lwt_metadata_mask = parse_number<std::uint32_t>(*mask);
    if (const auto code = named_value(options, scylla_keys::rate_limit_error, error_code_name))
        s.rate_limit_error_code = parse_number<std::int32_t>(*code);
    s.tablets_routing_v1 = options.count(scylla_keys::tablets_routing_v1) > 0;
    return s;
}

void add_scylla_startup_options(const ScyllaSupported& offered, StringMap& startup) {
    if (offered.lwt_metadata_mask)
        startup[scylla_keys::lwt_add_metadata_mark] = std::string(lwt_mask_name) + "=" + std::to_string(*offered.lwt_metadata_mask);
    if (offered.rate_limit_error_code) startup[scylla_keys::rate_limit_error] = "";
    if (offered.tablets_routing_v1) startup[scylla_keys::tablets_routing_v1] = "";
}

}  // namespace routelab::cql
