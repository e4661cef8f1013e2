// The HTTP control's parameter checks: exact values or a reason, never a clamped,
// defaulted or dropped value.
#include <catch2/catch.hpp>

#include "sim/live/control_params.hpp"

using namespace routelab::live;

TEST_CASE("a well-formed query parses into exactly its values") {
    const auto q = parse_query("/nodes/n1/error?status=overloaded&percent=100", {"status", "percent"});
    REQUIRE(q);
    CHECK(q->size() == 2);
    CHECK(q->at("status") == "overloaded");
    CHECK(*integer_param(*q, "percent", 0, 100) == 100);
    CHECK(*choice_param(*q, "status", {"unavailable", "overloaded"}) == "overloaded");
    const auto none = parse_query("/nodes", {});
    REQUIRE(none);
    CHECK(none->empty());
}

TEST_CASE("malformed, duplicated and unknown parameters are refused with the reason") {
    auto refused = [](std::string_view target, std::string_view reason) {
        const auto q = parse_query(target, {"factor"});
        INFO(target << " -> " << q.error);
        CHECK_FALSE(q);
        CHECK(q.error.find(reason) != std::string::npos);
    };
    refused("/x?factor=1&factor=2", "more than once");
    refused("/x?speed=1", "unknown parameter 'speed'");
    refused("/x?factor=%31", "malformed value");
    refused("/x?factor", "key=value");
    refused("/x?=3", "key=value");
    refused("/x?factor=1&", "ends with '&'");
    refused("/x?fac\x01tor=1", "malformed query key");
    refused("/x?factor=" + std::string(2000, '1'), "at most 1024");
}

TEST_CASE("integers are decimal and within the range, or refused") {
    CHECK(parse_query("/x?d=+5", {"d"}).error.find("malformed value") != std::string::npos);   // '+' is no character of a value
    const auto q = parse_query("/x?a=0&b=1000001&c=-1&d=-&e=5x&f=&g=99999999999999999999&h=7", {"a", "b", "c", "d", "e", "f", "g", "h"});
    REQUIRE(q);
    CHECK(integer_param(*q, "a", 1, 1000000).error.find("out of range (1..1000000)") != std::string::npos);
    CHECK(integer_param(*q, "b", 1, 1000000).error.find("out of range") != std::string::npos);
    CHECK(integer_param(*q, "c", 0, 10).error.find("out of range") != std::string::npos);
    CHECK(integer_param(*q, "d", 0, 10).error.find("expected an integer") != std::string::npos);
    CHECK(integer_param(*q, "e", 0, 10).error.find("expected an integer") != std::string::npos);
    CHECK(integer_param(*q, "f", 0, 10).error.find("expected an integer") != std::string::npos);
    CHECK(integer_param(*q, "g", 0, 10).error.find("out of range") != std::string::npos);
    CHECK(integer_param(*q, "missing", 0, 10).error.find("required") != std::string::npos);
    CHECK(*integer_param(*q, "h", 7, 7) == 7);
}

TEST_CASE("route addresses are dotted IPv4 on loopback unless allowed") {
    const auto q = parse_query("/r?a=127.0.9.1&b=10.0.0.1&c=127.000.0.1&d=127.0.0.300&e=0.0.0.0", {"a", "b", "c", "d", "e"});
    REQUIRE(q);
    CHECK(*route_address_param(*q, "a", false) == "127.0.9.1");
    CHECK(route_address_param(*q, "b", false).error.find("not on loopback") != std::string::npos);
    CHECK(*route_address_param(*q, "b", true) == "10.0.0.1");
    CHECK(route_address_param(*q, "c", true).error.find("dotted IPv4") != std::string::npos);
    CHECK(route_address_param(*q, "d", true).error.find("dotted IPv4") != std::string::npos);
    CHECK_FALSE(route_address_param(*q, "e", true));
}

TEST_CASE("connection ids and bodies") {
    CHECK_FALSE(check_connection_id("vpc-1"));
    CHECK(check_connection_id("").has_value());
    CHECK(check_connection_id("a b").has_value());
    CHECK(check_connection_id(std::string(129, 'v')).has_value());
    CHECK_FALSE(check_empty_body(""));
    CHECK(check_empty_body("{}").value().find("no body") != std::string::npos);
}
