"""Live mode behind PrivateLink-style proxies (tests/interop/scenarios/live_private_link.toml):

- a client connecting to a node's own address is turned away;
- Debian's python3-cassandra, given the first proxy as contact point and an address
  translator (node 127.0.0.i -> proxy 127.0.3.i), discovers every node and runs prepared
  writes and reads entirely through the proxies;
- system.client_routes lists the proxies; moving a route over the HTTP control pushes
  CLIENT_ROUTES_CHANGE to a registered connection, the new endpoint serves and the old
  one is gone; removing it and adding it back works the same way.

Run with /usr/bin/python3 (Debian's python, which has the driver)."""
import argparse
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import raw_cql  # noqa: E402
from serve_process import ServeProcess  # noqa: E402

REGISTER, EVENT = 0x0B, 0x0C


class Checks:
    def __init__(self):
        self.failures = 0

    def __call__(self, ok, what):
        print("%s: %s" % ("ok" if ok else "FAIL", what), flush=True)
        if not ok:
            self.failures += 1


def turned_away(address, port=9042):
    """True when the endpoint closes a fresh connection instead of answering STARTUP."""
    try:
        sock = socket.create_connection((address, port), timeout=5)
    except OSError:
        return True
    sock.settimeout(5)
    try:
        sock.sendall(raw_cql.frame(raw_cql.STARTUP, raw_cql.string_map({"CQL_VERSION": "3.0.0"})))
        return raw_cql.read_frame(sock) is None
    except OSError:
        return True
    finally:
        sock.close()


def serves(address, port=9042):
    try:
        sock = socket.create_connection((address, port), timeout=5)
        sock.settimeout(5)
        sock.sendall(raw_cql.frame(raw_cql.STARTUP, raw_cql.string_map({"CQL_VERSION": "3.0.0"})))
        reply = raw_cql.read_frame(sock)
        sock.close()
        return reply is not None and reply[2] == raw_cql.READY
    except OSError:
        return False


def registered(address, port=9042):
    sock = socket.create_connection((address, port), timeout=5)
    sock.settimeout(5)
    sock.sendall(raw_cql.frame(raw_cql.STARTUP, raw_cql.string_map({"CQL_VERSION": "3.0.0"})))
    assert raw_cql.read_frame(sock)[2] == raw_cql.READY
    name = b"CLIENT_ROUTES_CHANGE"
    sock.sendall(raw_cql.frame(REGISTER, struct.pack(">HH", 1, len(name)) + name, stream=2))
    assert raw_cql.read_frame(sock)[2] == raw_cql.READY
    return sock


def next_event(sock):
    reply = raw_cql.read_frame(sock)
    if reply is None or reply[2] != EVENT:
        return None
    body = reply[3]
    strings = []
    for _ in range(2):   # the event type, then the change type
        n = struct.unpack(">H", body[:2])[0]
        strings.append(body[2:2 + n].decode())
        body = body[2 + n:]
    return "%s %s" % tuple(strings)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--routelab", required=True)
    parser.add_argument("--scenario", required=True)
    args = parser.parse_args()
    try:
        from cassandra.cluster import Cluster
        from cassandra.policies import AddressTranslator, RoundRobinPolicy
    except ImportError as e:
        print("CANNOT RUN: python3-cassandra is not installed (%s)" % e)
        return 1
    check = Checks()
    server = ServeProcess(args.routelab, args.scenario)
    try:
        routes = server.http("GET", "/routes")
        proxies = sorted(p["endpoint"] for p in routes["proxies"])
        check(proxies == ["127.0.3.1:9042", "127.0.3.2:9042", "127.0.3.3:9042"], "one proxy per node: %s" % proxies)
        check(all(turned_away(address) for _, address in server.nodes),
              "every node turns away a client at its own address (PrivateLink)")

        class ToProxy(AddressTranslator):
            def translate(self, addr):
                return "127.0.3." + addr.rsplit(".", 1)[1] if addr.startswith("127.0.0.") else addr

        from cassandra.cluster import ExecutionProfile, EXEC_PROFILE_DEFAULT
        from cassandra import ConsistencyLevel
        # QUORUM writes and reads: each read meets the write it follows whichever proxy the
        # round robin picks (at the driver's default LOCAL_ONE a read may reach a replica
        # the write has not reached yet, as on a real cluster).
        profile = ExecutionProfile(load_balancing_policy=RoundRobinPolicy(), consistency_level=ConsistencyLevel.QUORUM)
        cluster = Cluster(["127.0.3.1"], port=9042, protocol_version=4, address_translator=ToProxy(),
                          execution_profiles={EXEC_PROFILE_DEFAULT: profile}, connect_timeout=5, control_connection_timeout=5)
        session = cluster.connect()
        hosts = sorted(h.address for h in cluster.metadata.all_hosts())
        check(hosts == ["127.0.3.1", "127.0.3.2", "127.0.3.3"], "the driver reaches every node through its proxy: %s" % hosts)
        insert = session.prepare("INSERT INTO routelab.kv (k, v) VALUES (?, ?)")
        select = session.prepare("SELECT v FROM routelab.kv WHERE k = ?")
        coordinators = set()
        good = 0
        for k in range(60):
            session.execute(insert, (k, bytes([k])))
            result = session.execute(select, (k,))
            if result.one() is not None and result.one().v == bytes([k]):
                good += 1
            coordinators.add(result.response_future._current_host.address)
        check(good == 60, "60 prepared writes read back through the proxies (%d)" % good)
        check(coordinators == {"127.0.3.1", "127.0.3.2", "127.0.3.3"}, "requests went through every proxy: %s" % sorted(coordinators))
        rows = list(session.execute("SELECT connection_id, address, port FROM system.client_routes"))
        check(sorted((r.connection_id, r.address, r.port) for r in rows) ==
              [("vpc-1", "127.0.3.%d" % i, 9042) for i in (1, 2, 3)], "system.client_routes lists the three proxy endpoints")
        served = server.http("GET", "/routes")
        check(sum(p["connections"] for p in served["proxies"]) >= 3,
              "the proxies forward the driver's connections (%s)" % served["proxies"])
        cluster.shutdown()

        listener = registered("127.0.3.1")
        node2 = server.nodes[1][0]
        moved = server.http("POST", "/routes/vpc-1/%s?address=127.0.4.2&port=9042" % node2)
        check(next_event(listener) == "CLIENT_ROUTES_CHANGE UPDATE_NODES", "moving a route pushes CLIENT_ROUTES_CHANGE UPDATE_NODES")
        check("127.0.4.2:9042" in [p["endpoint"] for p in moved["proxies"]] and
              "127.0.3.2:9042" not in [p["endpoint"] for p in moved["proxies"]], "the proxy follows the moved route")
        check(serves("127.0.4.2") and turned_away("127.0.3.2"), "the new endpoint serves; the old one is gone")
        server.http("POST", "/routes/vpc-1/%s/remove" % node2)
        check(next_event(listener) == "CLIENT_ROUTES_CHANGE UPDATE_NODES", "removing a route pushes CLIENT_ROUTES_CHANGE")
        check(turned_away("127.0.4.2"), "without a route the node has no way in")
        server.http("POST", "/routes/vpc-1/%s?address=127.0.3.2&port=9042" % node2)
        check(next_event(listener) == "CLIENT_ROUTES_CHANGE UPDATE_NODES" and serves("127.0.3.2"), "the route restored, the node is reachable again")
        listener.close()
    except Exception as e:  # noqa: BLE001 - report, then fail
        check(False, "unexpected %s: %s" % (type(e).__name__, e))
        print(server.output())
    finally:
        code = server.stop()
    check(code == 0, "routelab serve exited cleanly on SIGTERM (exit %s)" % code)
    print("%s: %d failed check(s)" % ("FAILED" if check.failures else "PASSED", check.failures), flush=True)
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
