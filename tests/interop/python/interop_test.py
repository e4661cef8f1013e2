#!/usr/bin/python3
"""Interop: the DataStax Python driver (Debian python3-cassandra 3.25) against `routelab serve`.

Goal: a real driver connects to live mode and sees a real-looking cluster. Method: start
`routelab serve` on the interop scenario (2 DCs, 5 nodes at 127.0.0.1..5:9042), connect with
TokenAwarePolicy(DCAwareRoundRobinPolicy('dc1')), and check discovery (every node with its DC
and rack), the token map (the server's own tokens), DDL, prepared statements, token(pk) against
the driver's Murmur3, token-aware routing to a local replica, and node down/up through the HTTP
control endpoint. Exits 0 on success, 1 on a failed check, 1 also if the driver is not
installed. Bounded: a watchdog kills the server and exits after --timeout seconds.

Run with /usr/bin/python3 (Debian's interpreter sees the apt-installed driver; pyenv's does not).
"""
import argparse
import logging
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_process import ServeProcess  # noqa: E402

CANNOT_RUN = 1


class Checks:
    def __init__(self):
        self.failures = 0

    def __call__(self, ok, what):
        print(("ok:   " if ok else "FAIL: ") + what, flush=True)
        if not ok:
            self.failures += 1
        return ok


def wait_for(predicate, timeout_s, step_s=0.1):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step_s)
    return predicate()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--routelab", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--protocol-version", type=int, default=0, help="0: let the driver negotiate")
    ap.add_argument("--quick", action="store_true", help="skip the node stop/start through events")
    ap.add_argument("--timeout", type=float, default=55)
    args = ap.parse_args()

    try:
        import cassandra
        from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
        from cassandra.metadata import Murmur3Token
        from cassandra.policies import DCAwareRoundRobinPolicy, HostStateListener, TokenAwarePolicy
    except ImportError as e:
        print("CANNOT RUN: the Python driver is not installed for %s (%s); install Debian's python3-cassandra"
              % (sys.executable, e))
        return CANNOT_RUN
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    print("python driver %s, python %s" % (cassandra.__version__, sys.version.split()[0]), flush=True)

    server = ServeProcess(args.routelab, args.scenario, duration_s=int(args.timeout) + 5)

    def watchdog():
        print("FAIL: the test did not finish within %ss; killing the server" % args.timeout, flush=True)
        server.stop()
        os._exit(1)

    timer = threading.Timer(args.timeout, watchdog)
    timer.daemon = True
    timer.start()

    check = Checks()
    cluster = None
    try:
        served = server.http("GET", "/nodes")["nodes"]
        by_address = {n["address"]: n for n in served}
        check(len(served) == 5, "the server serves 5 nodes: %s" % [n["name"] for n in served])

        class Listener(HostStateListener):
            def __init__(self):
                self.events = []

            def on_up(self, host):
                self.events.append(("up", host.address))

            def on_down(self, host):
                self.events.append(("down", host.address))

            def on_add(self, host):
                self.events.append(("add", host.address))

            def on_remove(self, host):
                self.events.append(("remove", host.address))

        # The policy goes in the default execution profile (the legacy
        # Cluster(load_balancing_policy=...) form is the same policy, with a DeprecationWarning).
        profile = ExecutionProfile(load_balancing_policy=TokenAwarePolicy(DCAwareRoundRobinPolicy("dc1")),
                                   request_timeout=10)
        options = dict(execution_profiles={EXEC_PROFILE_DEFAULT: profile}, connect_timeout=5,
                       control_connection_timeout=5)
        if args.protocol_version:
            options["protocol_version"] = args.protocol_version
        cluster = Cluster(["127.0.0.1"], **options)
        listener = Listener()
        cluster.register_listener(listener)
        # Record the STATUS_CHANGE events the server pushes on the control connection (the
        # driver also notices a node going down from its own closed connections).
        status_events = []
        original_status_handler = cluster.control_connection._handle_status_change

        def record_status(event):
            status_events.append((event["change_type"], event["address"][0]))
            return original_status_handler(event)

        cluster.control_connection._handle_status_change = record_status
        session = cluster.connect()
        check(cluster.protocol_version == 4, "protocol version settled on 4 (got %s, asked %s)"
              % (cluster.protocol_version, args.protocol_version or "negotiation"))

        # Discovery: every node, with its DC and rack.
        hosts = {h.address: h for h in cluster.metadata.all_hosts()}
        check(sorted(hosts) == sorted(by_address), "discovered hosts %s" % sorted(hosts))
        for address, node in sorted(by_address.items()):
            host = hosts.get(address)
            check(host is not None and host.datacenter == node["datacenter"] and host.rack == node["rack"]
                  and str(host.host_id) == node["host_id"],
                  "%s %s: dc=%s rack=%s host_id matches" % (node["name"], address,
                                                           host and host.datacenter, host and host.rack))
        check(cluster.metadata.cluster_name == "interop", "cluster name %r" % cluster.metadata.cluster_name)
        check(cluster.metadata.partitioner == "org.apache.cassandra.dht.Murmur3Partitioner",
              "partitioner %s" % cluster.metadata.partitioner)

        # Token map: the driver's ring is the server's ring, token for token.
        token_map = cluster.metadata.token_map
        check(token_map is not None, "token map built")
        if token_map is not None:
            for address, node in sorted(by_address.items()):
                driver_tokens = sorted(t.value for t, h in token_map.token_to_host_owner.items()
                                       if h.address == address)
                check(driver_tokens == sorted(int(t) for t in node["tokens"]),
                      "%s owns its %d tokens in the driver's map" % (address, len(node["tokens"])))

        # The scenario's schema is visible.
        ks = cluster.metadata.keyspaces.get("routelab")
        check(ks is not None and "kv" in ks.tables, "scenario keyspace routelab.kv in the metadata")

        # Prepared statements on the scenario's table.
        insert = session.prepare("INSERT INTO routelab.kv (k, v) VALUES (?, ?)")
        select = session.prepare("SELECT v FROM routelab.kv WHERE k = ?")
        for k in range(50):
            session.execute(insert, (k, bytes([k, 0xAB])))
        got = [session.execute(select, (k,)).one() for k in range(50)]
        check(all(r is not None and r.v == bytes([k, 0xAB]) for k, r in enumerate(got)),
              "50 prepared writes read back through prepared selects")

        ddl_and_tokens(check, cluster, session, server, Murmur3Token)   # DDL, tokens, BATCH, paging, LWT
        if not args.quick:
            down_and_up(check, cluster, session, server, listener, status_events, select)
    except Exception as e:  # a failed step is a failed test, with the server's output
        import traceback
        traceback.print_exc()
        check(False, "unexpected %s: %s" % (type(e).__name__, e))
        print("server output:\n" + server.output(), flush=True)
    finally:
        if cluster is not None:
            cluster.shutdown()
        code = server.stop()
        timer.cancel()
    check(code == 0, "routelab serve exited cleanly on SIGTERM (exit %s)" % code)
    print("%s: %d failed check(s)" % ("FAILED" if check.failures else "PASSED", check.failures), flush=True)
    return 1 if check.failures else 0


def ddl_and_tokens(check, cluster, session, server, Murmur3Token):
    session.execute("CREATE KEYSPACE IF NOT EXISTS interop_py WITH replication = "
                    "{'class': 'NetworkTopologyStrategy', 'dc1': 2, 'dc2': 1}")
    session.execute("CREATE TABLE IF NOT EXISTS interop_py.t (pk bigint PRIMARY KEY, v text)")
    check(cluster.control_connection.wait_for_schema_agreement(wait_time=10), "schema agreement after DDL")
    ks = cluster.metadata.keyspaces.get("interop_py")
    check(ks is not None and "t" in ks.tables, "new keyspace and table in the driver's metadata")
    if ks is not None:
        check(type(ks.replication_strategy).__name__ == "NetworkTopologyStrategy",
              "replication strategy %s" % type(ks.replication_strategy).__name__)

    insert = session.prepare("INSERT INTO interop_py.t (pk, v) VALUES (?, ?)")
    select = session.prepare("SELECT pk, v FROM interop_py.t WHERE pk = ?")
    check(insert.routing_key_indexes == [0], "prepared insert knows its partition key index")
    keys = [0, 1, -1, 42, 2**40 + 7, -(2**62), 2**63 - 1]
    missing, token_mismatch, replica_mismatch, off_replica = [], [], [], []
    for pk in keys:
        session.execute(insert, (pk, "value-%d" % pk))
        bound = select.bind((pk,))
        expected = Murmur3Token.from_key(bound.routing_key).value
        result = session.execute(bound)
        row = result.one()
        if row is None or row.v != "value-%d" % pk:
            missing.append(pk)
        # The server's token and placement for the key (its own Murmur3 and ring).
        served = server.http("GET", "/replicas/interop_py/%d" % pk)
        if int(served["token"]) != expected:
            token_mismatch.append((pk, served["token"], expected))
        replicas = cluster.metadata.get_replicas("interop_py", bound.routing_key)
        if sorted(h.address for h in replicas) != sorted(served["replicas"]):
            replica_mismatch.append((pk, sorted(h.address for h in replicas), sorted(served["replicas"])))
        local = {h.address for h in replicas if h.datacenter == "dc1"}
        coordinator = getattr(result.response_future, "coordinator_host", None) or \
            result.response_future._current_host
        address = getattr(coordinator, "address", str(coordinator).split(":")[0])
        if address not in local:
            off_replica.append((pk, address, sorted(local)))
    check(not missing, "prepared insert/select on the new table (missing: %s)" % missing)
    check(not token_mismatch, "the server's token for %d keys equals the driver's Murmur3 (mismatches: %s)"
          % (len(keys), token_mismatch))
    check(not replica_mismatch, "the driver's replicas equal the server's for every key (mismatches: %s)"
          % replica_mismatch)
    check(not off_replica, "token-aware routing sent every read to a dc1 replica (off: %s)" % off_replica)

    # token(pk) as a selector, once the mock serves it; until then the HTTP check above
    # compares the same two Murmur3 implementations.
    from cassandra.protocol import SyntaxException
    try:
        token_select = session.prepare("SELECT token(pk) FROM interop_py.t WHERE pk = ?")
    except SyntaxException as e:
        if "not supported by the mock cluster" not in str(e):
            raise
        print("PENDING: SELECT token(pk): the mock does not serve selector functions yet (%s)" % e, flush=True)
        return
    wrong = []
    for pk in keys:
        bound = token_select.bind((pk,))
        row = session.execute(bound).one()
        expected = Murmur3Token.from_key(bound.routing_key).value
        if row is None or row[0] != expected:
            wrong.append((pk, row and row[0], expected))
    check(not wrong, "SELECT token(pk) equals the driver's Murmur3 (mismatches: %s)" % wrong)
    batch_and_delete(check, session, insert, select)
    paging_and_lwt(check, cluster, session)


def paging_and_lwt(check, cluster, session):
    from cassandra import ConsistencyLevel
    from cassandra.query import SimpleStatement
    session.execute("CREATE TABLE IF NOT EXISTS interop_py.events (day int, seq int, note text, "
                    "PRIMARY KEY (day, seq)) WITH CLUSTERING ORDER BY (seq DESC)")
    check(cluster.control_connection.wait_for_schema_agreement(wait_time=10), "schema agreement after a clustered table")
    insert = session.prepare("INSERT INTO interop_py.events (day, seq, note) VALUES (?, ?, ?)")
    for seq in range(0, 237):
        session.execute(insert, (20261123, seq, "n%d" % seq))
    # The driver pages on its own: fetch_size rows per request, following the paging state.
    statement = SimpleStatement("SELECT seq FROM interop_py.events WHERE day = 20261123", fetch_size=50)
    result = session.execute(statement)
    first_page = list(result.current_rows)
    seqs = [row.seq for row in result]
    check(len(first_page) == 50 and result.paging_state is None,
          "the first page holds fetch_size=50 rows (got %d)" % len(first_page))
    check(seqs == list(range(236, -1, -1)), "paging through a 237-row partition returns every row once, "
          "in CLUSTERING ORDER DESC (%d rows)" % len(seqs))
    pages = 0
    state = None
    while True:
        page = session.execute(SimpleStatement("SELECT seq FROM interop_py.events WHERE day = 20261123 AND seq < 100",
                                               fetch_size=30), paging_state=state)
        pages += 1
        state = page.paging_state
        if state is None:
            break
    check(pages == 4, "a slice (seq < 100) read with explicit paging states takes 4 pages of 30 (took %d)" % pages)

    session.execute("CREATE TABLE IF NOT EXISTS interop_py.accounts (id int PRIMARY KEY, owner text, balance int)")
    check(cluster.control_connection.wait_for_schema_agreement(wait_time=10), "schema agreement after the LWT table")
    create = session.prepare("INSERT INTO interop_py.accounts (id, owner, balance) VALUES (?, ?, ?) IF NOT EXISTS")
    first = session.execute(create, (1, "ada", 100))
    second = session.execute(create, (1, "bob", 5))
    check(first.was_applied and not second.was_applied and second.one().owner == "ada",
          "INSERT IF NOT EXISTS applies once; the loser sees the existing row (%s)" % (second.one(),))
    move = session.prepare("UPDATE interop_py.accounts SET balance = ? WHERE id = ? IF balance = ?")
    ok = session.execute(move, (70, 1, 100)).was_applied
    stale = session.execute(move, (40, 1, 100))
    check(ok and not stale.was_applied and stale.one().balance == 70,
          "UPDATE IF balance = v applies on a match and reports the current balance otherwise")
    serial = SimpleStatement("SELECT balance FROM interop_py.accounts WHERE id = 1", consistency_level=ConsistencyLevel.SERIAL)
    check(session.execute(serial).one().balance == 70, "a SERIAL read sees the committed LWT")
    gone = session.execute("DELETE FROM interop_py.accounts WHERE id = 1 IF EXISTS")
    check(gone.was_applied and session.execute("SELECT * FROM interop_py.accounts WHERE id = 1").one() is None,
          "DELETE IF EXISTS applied")


def batch_and_delete(check, session, insert, select):
    from cassandra.query import BatchStatement, BatchType, SimpleStatement
    logged = BatchStatement(batch_type=BatchType.LOGGED)
    logged.add(insert, (1001, "b1"))
    logged.add(SimpleStatement("INSERT INTO interop_py.t (pk, v) VALUES (%s, %s)"), (1002, "b2"))
    logged.add("UPDATE interop_py.t SET v = 'b3' WHERE pk = 1003")
    session.execute(logged)
    got = [session.execute(select, (pk,)).one() for pk in (1001, 1002, 1003)]
    check([r and r.v for r in got] == ["b1", "b2", "b3"], "a logged BATCH of prepared and simple statements applied (%s)"
          % [r and r.v for r in got])
    unlogged = BatchStatement(batch_type=BatchType.UNLOGGED)
    unlogged.add("DELETE FROM interop_py.t WHERE pk = 1001")
    unlogged.add(insert, (1004, "b4"))
    session.execute(unlogged)
    check(session.execute(select, (1001,)).one() is None and session.execute(select, (1004,)).one().v == "b4",
          "an unlogged BATCH with a DELETE applied")


def down_and_up(check, cluster, session, server, listener, status_events, select):
    control_address = cluster.control_connection._connection.endpoint.address
    victim = next(n for n in server.http("GET", "/nodes")["nodes"]
                  if n["datacenter"] == "dc1" and n["address"] != control_address)
    host = next(h for h in cluster.metadata.all_hosts() if h.address == victim["address"])
    check(host.is_up, "%s is up before the stop" % victim["name"])

    reply = server.http("POST", "/nodes/%s/stop" % victim["name"])
    check(reply["up"] is False, "control: POST /nodes/%s/stop" % victim["name"])
    check(wait_for(lambda: ("DOWN", victim["address"]) in status_events, 5),
          "the server pushed STATUS_CHANGE DOWN %s (events: %s)" % (victim["address"], status_events))
    # The application keeps reading meanwhile. The driver ignores a DOWN event while its pool
    # to the host still looks open (it may read the event before the pool's EOF); a read
    # routed to the host then finds the closed connection and marks the host down.
    reads, ok = 0, 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (host.is_up is not False or reads < 30):
        if session.execute(select, (reads % 50,)).one() is not None:
            ok += 1
        reads += 1
        time.sleep(0.01)
    check(host.is_up is False, "the driver marks %s down" % victim["address"])
    check(("down", victim["address"]) in listener.events, "listener saw on_down(%s)" % victim["address"])
    check(ok == reads, "%d of %d reads succeed while %s is down" % (ok, reads, victim["name"]))

    reply = server.http("POST", "/nodes/%s/start" % victim["name"])
    check(reply["up"] is True, "control: POST /nodes/%s/start" % victim["name"])
    check(wait_for(lambda: host.is_up is True, 20), "the driver marks %s up again" % victim["address"])
    check(("up", victim["address"]) in listener.events, "listener saw on_up(%s)" % victim["address"])
    check(("UP", victim["address"]) in status_events,
          "the server pushed STATUS_CHANGE UP %s (events: %s)" % (victim["address"], status_events))
    pools = session.get_pool_state()
    state = pools.get(host)
    check(wait_for(lambda: (session.get_pool_state().get(host) or {}).get("open_count", 0) > 0, 10),
          "the driver reopened its pool to %s (%s)" % (victim["address"], state))


if __name__ == "__main__":
    sys.exit(main())
