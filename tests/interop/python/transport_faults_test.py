#!/usr/bin/python3
"""Interop: how the DataStax Python driver (Debian python3-cassandra) notices a blackholed
node and a node that resets its connections, in live mode.

Method: `routelab serve` on the interop scenario; the driver runs with 1 s idle heartbeats
and a 2 s heartbeat timeout. (1) POST /nodes/dc1-r2-n1/blackhole: the node keeps its
sockets open and answers nothing; requests sent to it time out client-side, and the
driver marks it down only once a heartbeat went unanswered — no STATUS_CHANGE comes, the
server still says it is up. POST .../unblackhole: the driver brings it back. (2) POST
/nodes/dc1-r3-n1/reset: the node closes its client connections and stays up; the driver
reconnects (the server counts its connections again), requests succeed, and no
STATUS_CHANGE DOWN is pushed. Exits 0 on success, 1 on a failed check or when the driver
is not installed. Bounded by a watchdog (--timeout).
"""
import argparse
import logging
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_process import ServeProcess  # noqa: E402
from interop_test import Checks, wait_for  # noqa: E402

HEARTBEAT_INTERVAL_S = 1
HEARTBEAT_TIMEOUT_S = 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--routelab", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--timeout", type=float, default=80)
    args = ap.parse_args()
    try:
        import cassandra
        from cassandra import OperationTimedOut
        from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
        from cassandra.policies import ConstantReconnectionPolicy, HostStateListener, RoundRobinPolicy
    except ImportError as e:
        print("CANNOT RUN: the Python driver is not installed for %s (%s); install Debian's python3-cassandra"
              % (sys.executable, e))
        return 1
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    print("python driver %s" % cassandra.__version__, flush=True)
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
        class Listener(HostStateListener):
            def __init__(self):
                self.events = []

            def on_up(self, host):
                self.events.append(("up", host.address, time.monotonic()))

            def on_down(self, host):
                self.events.append(("down", host.address, time.monotonic()))

            def on_add(self, host):
                pass

            def on_remove(self, host):
                pass

            def first(self, kind, address, since):
                for k, a, t in self.events:
                    if k == kind and a == address and t >= since:
                        return t
                return None

        profile = ExecutionProfile(load_balancing_policy=RoundRobinPolicy(), request_timeout=1)
        cluster = Cluster(["127.0.0.1"], execution_profiles={EXEC_PROFILE_DEFAULT: profile}, connect_timeout=2,
                          control_connection_timeout=2, idle_heartbeat_interval=HEARTBEAT_INTERVAL_S,
                          idle_heartbeat_timeout=HEARTBEAT_TIMEOUT_S,
                          reconnection_policy=ConstantReconnectionPolicy(1.0, max_attempts=None))
        listener = Listener()
        cluster.register_listener(listener)
        status_events = []
        original = cluster.control_connection._handle_status_change

        def record_status(event):
            status_events.append((event["change_type"], event["address"][0]))
            return original(event)

        cluster.control_connection._handle_status_change = record_status
        session = cluster.connect()
        select = session.prepare("SELECT v FROM routelab.kv WHERE k = ?")

        # (1) blackhole
        target = "127.0.0.2"
        start = time.monotonic()
        node = server.http("POST", "/nodes/dc1-r2-n1/blackhole")
        check(node["blackholed"] and node["up"], "the server blackholes dc1-r2-n1 and keeps it up")
        timeouts_to_target, ok = 0, 0
        down_at = None
        while time.monotonic() - start < 15 and down_at is None:
            try:
                result = session.execute(select, (1,))
                ok += 1
                coordinator = getattr(result.response_future._current_host, "address", None)
                if coordinator == target:
                    check(False, "an answer came from the blackholed node")
            except OperationTimedOut:
                timeouts_to_target += 1   # round robin: the blackholed node's turn
            down_at = listener.first("down", target, start)
        check(timeouts_to_target > 0, "requests routed to the blackholed node timed out client-side (%d)" % timeouts_to_target)
        check(down_at is not None, "the driver marked %s down (after %.1f s)" % (target, (down_at or start) - start))
        if down_at is not None:
            check(down_at - start >= HEARTBEAT_TIMEOUT_S - 0.2,
                  "not before the heartbeat timeout: %.2f s >= %d s" % (down_at - start, HEARTBEAT_TIMEOUT_S))
        check(not any(a == target for _, a in status_events), "no STATUS_CHANGE for the blackholed node (%s)" % status_events)
        check(server.http("GET", "/nodes/dc1-r2-n1")["up"], "the server still says dc1-r2-n1 is up")
        check(ok > 0, "requests to the other nodes kept succeeding (%d)" % ok)
        back = time.monotonic()
        server.http("POST", "/nodes/dc1-r2-n1/unblackhole")
        check(wait_for(lambda: listener.first("up", target, back) is not None, 20),
              "after unblackhole the driver brings %s back up" % target)

        # (2) reset
        target = "127.0.0.3"
        before = server.http("GET", "/nodes/dc1-r3-n1")["client_connections"]
        check(before > 0, "the driver holds %d connection(s) to dc1-r3-n1" % before)
        reset_at = time.monotonic()
        node = server.http("POST", "/nodes/dc1-r3-n1/reset")
        check(node["up"], "dc1-r3-n1 stays up after resetting its connections")
        check(wait_for(lambda: server.http("GET", "/nodes/dc1-r3-n1")["client_connections"] > 0, 15),
              "the driver reconnected to dc1-r3-n1")
        failures = 0
        for k in range(30):
            try:
                session.execute(select, (k,))
            except Exception:  # noqa: BLE001 (any failure counts)
                failures += 1
        check(failures == 0, "30 requests after the reset succeed (%d failed)" % failures)
        check(not any(c == "DOWN" and a == target for c, a in status_events), "no STATUS_CHANGE DOWN for the reset node")
        marked = listener.first("down", target, reset_at)
        print("info: the Python driver itself %s" % ("marked %s down when its pool lost the connections" % target
                                                     if marked else "never marked %s down" % target), flush=True)
        if marked:
            check(listener.first("up", target, marked) is not None, "… and up again once it reconnected")
    except Exception as e:  # noqa: BLE001
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


if __name__ == "__main__":
    sys.exit(main())
