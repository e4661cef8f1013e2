#!/usr/bin/python3
"""Interop: `routelab serve` follows the scenario's fault timeline on the wall clock.

Goal: a real driver (Debian python3-cassandra) sees the timeline's faults happen live. Method:
serve live_timeline.toml with `--timeline manual`, connect the driver, check GET /timeline
(not started, every step pending), POST /timeline/start (200; a second start is 409 with a
reason), keep reading while dc1-r2-n1 is stopped at 1 s for 2 s: every read succeeds through
the other nodes, the driver marks the host down and then up again, and GET /timeline shows
the stop go pending -> active -> reverted and the latency step done; POST /timeline/stop
cancels the step still pending. Then `--timeline start` (started at "ready"), the control's
bad requests on /timeline (405/404/400 with a reason) and the flag's bad values (exit 2
naming --timeline). Exits 0 on success, 1 on a failed check or if the driver is missing.
Bounded: a watchdog kills the server and exits after --timeout seconds.
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_process import ServeProcess  # noqa: E402

failures = 0


def check(ok, what):
    global failures
    print(("ok:   " if ok else "FAIL: ") + what, flush=True)
    if not ok:
        failures += 1
    return ok


def wait_for(predicate, timeout_s, step_s=0.05):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step_s)
    return predicate()


def request(server, method, path, body=None):
    """(status, decoded JSON body) for any status."""
    data = body if body is not None else (b"" if method in ("POST", "PUT") else None)
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (server.control_port, path), method=method, data=data)
    try:
        with urllib.request.urlopen(req, timeout=5) as response:
            return response.status, json.loads(response.read().decode())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode())


def step(state, action):
    return next(f for f in state["faults"] if f["action"] == action)


def manual_run(args, cassandra_modules):
    Cluster, ExecutionProfile, EXEC_PROFILE_DEFAULT, DCAwareRoundRobinPolicy, TokenAwarePolicy, HostStateListener = \
        cassandra_modules
    server = ServeProcess(args.routelab, args.scenario, duration_s=int(args.timeout) + 5, extra_args=("--timeline", "manual"))
    cluster = None
    try:
        check(any("waiting for POST /timeline/start" in line for line in server.lines),
              "the server says the timeline waits for POST /timeline/start")
        status, state = request(server, "GET", "/timeline")
        check(status == 200 and state["mode"] == "manual" and state["started"] is False and state["elapsed_s"] is None,
              "GET /timeline before the start: manual, not started (%s)" % state)
        check([f["state"] for f in state["faults"]] == ["pending"] * 3, "every step pending: %s"
              % [f["state"] for f in state["faults"]])
        stop = step(state, "stop_node")
        check(stop["at_s"] == 1 and stop["duration_s"] == 2 and stop["target"] == "dc1-r2-n1",
              "the stop step: at 1 s for 2 s on dc1-r2-n1 (%s)" % stop)

        class Listener(HostStateListener):
            def __init__(self):
                self.events = []

            def on_up(self, host):
                self.events.append(("up", host.address))

            def on_down(self, host):
                self.events.append(("down", host.address))

            def on_add(self, host):
                pass

            def on_remove(self, host):
                pass

        profile = ExecutionProfile(load_balancing_policy=TokenAwarePolicy(DCAwareRoundRobinPolicy("dc1")), request_timeout=10)
        cluster = Cluster(["127.0.0.1"], execution_profiles={EXEC_PROFILE_DEFAULT: profile}, connect_timeout=5,
                          control_connection_timeout=5)
        listener = Listener()
        cluster.register_listener(listener)
        session = cluster.connect()
        victim = next(n for n in server.http("GET", "/nodes")["nodes"] if n["name"] == "dc1-r2-n1")
        host = next(h for h in cluster.metadata.all_hosts() if h.address == victim["address"])
        insert = session.prepare("INSERT INTO routelab.kv (k, v) VALUES (?, ?)")
        select = session.prepare("SELECT v FROM routelab.kv WHERE k = ?")
        for k in range(50):
            session.execute(insert, (k, bytes([k])))
        check(host.is_up is True, "the driver sees %s up before the timeline starts" % victim["address"])

        status, state = request(server, "POST", "/timeline/start")
        check(status == 200 and state["started"] is True and state["started_at_s"] is not None,
              "POST /timeline/start: 200, started at %s s on the server's clock" % state.get("started_at_s"))
        status, again = request(server, "POST", "/timeline/start")
        check(status == 409 and "already started" in again.get("error", ""),
              "a second POST /timeline/start: 409 with a reason (%d %s)" % (status, again))

        # Read throughout the outage and after it; watch the server's and the driver's view.
        seen_states, reads, ok, was_down = set(), 0, 0, False
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if session.execute(select, (reads % 50,)).one() is not None:
                ok += 1
            reads += 1
            seen_states.add(step(request(server, "GET", "/timeline")[1], "stop_node")["state"])
            was_down = was_down or host.is_up is False
            if "reverted" in seen_states and was_down and host.is_up is True:
                break
            time.sleep(0.02)
        check(seen_states >= {"pending", "active", "reverted"},
              "GET /timeline showed the stop pending, active and reverted (%s)" % sorted(seen_states))
        check(("down", victim["address"]) in listener.events, "the driver marked %s down (on_down)" % victim["address"])
        check(wait_for(lambda: host.is_up is True, 20) and ("up", victim["address"]) in listener.events,
              "the driver marked %s up again (on_up; events %s)" % (victim["address"], listener.events))
        check(reads > 20 and ok == reads, "%d of %d reads succeeded through the other nodes" % (ok, reads))

        status, state = request(server, "GET", "/timeline")
        stop = step(state, "stop_node")
        check(stop["state"] == "reverted" and abs(stop["applied_at_s"] - 1) < 0.5 and abs(stop["reverted_at_s"] - 3) < 0.5,
              "the stop applied at ~1 s, reverted at ~3 s (%s, %s)" % (stop["applied_at_s"], stop["reverted_at_s"]))
        check(step(state, "add_latency")["state"] == "done", "the latency step is done (no duration)")
        check(step(state, "slow_node")["state"] == "pending", "the step at 60 s is still pending")
        check(state["elapsed_s"] >= 3, "elapsed %.2f s" % state["elapsed_s"])
        node = server.http("GET", "/nodes/dc1-r2-n1")
        check(node["up"] is True, "GET /nodes: dc1-r2-n1 is up again")

        status, state = request(server, "POST", "/timeline/stop")
        check(status == 200 and state["stopped"] is True and step(state, "slow_node")["state"] == "cancelled",
              "POST /timeline/stop cancels the pending step (%d, %s)" % (status, step(state, "slow_node")["state"]))
        status, body = request(server, "POST", "/timeline/stop")
        check(status == 409 and "already stopped" in body.get("error", ""), "a second stop: 409 (%s)" % body)
        status, body = request(server, "POST", "/timeline/start")
        check(status == 409 and "stopped" in body.get("error", ""), "start after stop: 409 (%s)" % body)
        check(any("timeline: +" in line and "applied stop dc1-r2-n1" in line for line in server.lines)
              and any("reverted stop dc1-r2-n1" in line for line in server.lines),
              "the server printed the stop applied and reverted")
    finally:
        if cluster is not None:
            cluster.shutdown()
        code = server.stop()
    check(code == 0, "routelab serve exited cleanly (exit %s)" % code)
    if failures:
        print("server output:\n" + server.output(), flush=True)


def start_mode_and_bad_requests(args):
    server = ServeProcess(args.routelab, args.scenario, duration_s=30, extra_args=("--timeline", "start"))
    try:
        status, state = request(server, "GET", "/timeline")
        check(status == 200 and state["mode"] == "start" and state["started"] is True,
              "--timeline start: started at ready (%s)" % {k: state.get(k) for k in ("mode", "started", "elapsed_s")})
        check(wait_for(lambda: step(request(server, "GET", "/timeline")[1], "stop_node")["state"] == "active", 5),
              "the stop became active on its own")
        check(wait_for(lambda: server.http("GET", "/nodes/dc1-r2-n1")["up"] is False, 2), "dc1-r2-n1 is down")
        status, body = request(server, "POST", "/timeline/start")
        check(status == 409 and "already started" in body.get("error", ""), "POST /timeline/start: 409 (%s)" % body)
        for method, path, body, want in [
            ("POST", "/timeline", None, 405), ("DELETE", "/timeline", None, 405), ("GET", "/timeline/start", None, 405),
            ("GET", "/timeline/stop", None, 405), ("POST", "/timeline/pause", None, 404),
            ("POST", "/timeline/start", b'{"at":1}', 400), ("GET", "/timeline?verbose=1", None, 400),
            ("POST", "/timeline/stop?now=1", None, 400)]:
            status, reply = request(server, method, path, body)
            check(status == want and reply.get("error"), "%s %s%s: %d with a reason (%d %s)"
                  % (method, path, " with a body" if body else "", want, status, reply.get("error")))
        status, state = request(server, "GET", "/timeline")
        check(status == 200 and state["stopped"] is False, "bad requests changed nothing")
        check(wait_for(lambda: server.http("GET", "/nodes/dc1-r2-n1")["up"] is True, 5), "dc1-r2-n1 came back on time")
    finally:
        code = server.stop()
    check(code == 0, "routelab serve --timeline start exited cleanly (exit %s)" % code)
    if failures:
        print("server output:\n" + server.output(), flush=True)


def bad_flags(args):
    for extra, want in [(["--timeline", "soon"], "--timeline"), (["--timeline", ""], "--timeline"),
                        (["--timeline", "manual"], "--timeline manual needs --control-port")]:
        r = subprocess.run([args.routelab, "serve", args.scenario, "--duration", "1", *extra], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=15)
        check(r.returncode == 2 and want in r.stderr, "serve %s: exit 2 naming the flag (exit %d: %s)"
              % (" ".join(repr(e) for e in extra), r.returncode, r.stderr.strip().splitlines()[:1]))
    r = subprocess.run([args.routelab, "serve", args.scenario, "--duration", "0.5", "--timeline", "off", "--control-port", "0"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=15)
    check(r.returncode == 0 and "timeline: 3 faults, off" in r.stdout, "--timeline off: serves, timeline off (exit %d)"
          % r.returncode)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--routelab", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--timeout", type=float, default=80)
    args = ap.parse_args()
    try:
        from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
        from cassandra.policies import DCAwareRoundRobinPolicy, HostStateListener, TokenAwarePolicy
    except ImportError as e:
        print("CANNOT RUN: the Python driver is not installed for %s (%s); install Debian's python3-cassandra"
              % (sys.executable, e))
        return 1

    def watchdog():
        print("FAIL: the test did not finish within %ss" % args.timeout, flush=True)
        os._exit(1)

    timer = threading.Timer(args.timeout, watchdog)
    timer.daemon = True
    timer.start()
    try:
        bad_flags(args)
        manual_run(args, (Cluster, ExecutionProfile, EXEC_PROFILE_DEFAULT, DCAwareRoundRobinPolicy, TokenAwarePolicy,
                          HostStateListener))
        start_mode_and_bad_requests(args)
    except Exception as e:  # a failed step is a failed test
        import traceback
        traceback.print_exc()
        check(False, "unexpected %s: %s" % (type(e).__name__, e))
    timer.cancel()
    print("%s: %d failed check(s)" % ("FAILED" if failures else "PASSED", failures), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
