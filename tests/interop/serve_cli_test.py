#!/usr/bin/python3
"""`routelab serve` as a command: exit codes, stop reasons and the HTTP control routes.

Goal: the serve subcommand behaves as documented without any driver. Method: run it with bad
flags (usage, exit 2), a missing scenario (exit 2), a duration (exit 0 after it), a second server
on the same addresses (exit 3, names the address), SIGINT (exit 0), and exercise the control
routes' errors (404 unknown node or route, 405 wrong method, 400 bad key). Bounded: every
process gets a timeout and is killed on failure.
"""
import argparse
import json
import os
import signal
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))
from serve_process import ServeProcess  # noqa: E402
import raw_cql  # noqa: E402

failures = 0


def check(ok, what):
    global failures
    print(("ok:   " if ok else "FAIL: ") + what, flush=True)
    if not ok:
        failures += 1


def run(cmd, timeout=15):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)


def http_status(port, method, path):
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), method=method,
                                     data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read().decode())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--routelab", required=True)
    ap.add_argument("--scenario", required=True)
    args = ap.parse_args()
    rl, sc = args.routelab, args.scenario

    r = run([rl, "serve"])
    check(r.returncode == 2 and "Usage: serve" in r.stderr, "no scenario: usage and exit 2 (exit %d)" % r.returncode)
    r = run([rl, "serve", sc, "--control-port", "70000"])
    check(r.returncode == 2 and "control-port" in r.stderr, "--control-port 70000: exit 2 (exit %d)" % r.returncode)
    r = run([rl, "serve", sc, "--duration", "-1"])
    check(r.returncode == 2, "--duration -1: exit 2 (exit %d)" % r.returncode)
    r = run([rl, "serve", "/nonexistent/scenario.toml"])
    check(r.returncode == 2, "missing scenario file: exit 2 (exit %d): %s" % (r.returncode, r.stderr.strip()[:120]))

    busy_until = time.monotonic() + 30   # another run on this machine may hold 127.0.0.x:9042
    while True:
        started = time.monotonic()
        r = run([rl, "serve", sc, "--duration", "0.5"])
        elapsed = time.monotonic() - started
        if r.returncode != 3 or "Address already in use" not in r.stderr or time.monotonic() > busy_until:
            break
        time.sleep(1)
    check(r.returncode == 0 and "stopped (duration)" in r.stdout and elapsed < 5,
          "--duration 0.5: exit 0 after %.1f s (exit %d)" % (elapsed, r.returncode))
    node_lines = [line for line in r.stdout.splitlines() if line.startswith("node ")]
    check(len(node_lines) == 5 and node_lines[0].split()[2] == "127.0.0.1:9042"
          and node_lines[4].split()[2] == "127.0.0.5:9042", "one line per node with its address: %s" % node_lines)

    server = ServeProcess(rl, sc, duration_s=30)
    try:
        r = run([rl, "serve", sc, "--duration", "5"])
        check(r.returncode == 3 and "127.0.0.1:9042" in r.stderr,
              "a second server on the same addresses: exit 3 naming the address (exit %d: %s)"
              % (r.returncode, r.stderr.strip().splitlines()[:1]))
        port = server.control_port
        status, body = http_status(port, "GET", "/nodes")
        check(status == 200 and [n["name"] for n in body["nodes"]][:1] == ["dc1-r1-n1"], "GET /nodes")
        status, body = http_status(port, "GET", "/nodes/dc2-r2-n1")
        check(status == 200 and body["address"] == "127.0.0.5" and body["up"] is True, "GET /nodes/dc2-r2-n1")
        status, _ = http_status(port, "POST", "/nodes/nope/stop")
        check(status == 404, "POST /nodes/nope/stop: 404 (%d)" % status)
        status, _ = http_status(port, "GET", "/nodes/dc1-r1-n1/stop")
        check(status == 405, "GET /nodes/dc1-r1-n1/stop: 405 (%d)" % status)
        status, _ = http_status(port, "POST", "/nodes/dc1-r1-n1/reboot")
        check(status == 404, "POST /nodes/dc1-r1-n1/reboot: 404 (%d)" % status)
        status, _ = http_status(port, "GET", "/replicas/routelab/12x")
        check(status == 400, "GET /replicas/routelab/12x: 400 (%d)" % status)
        status, _ = http_status(port, "GET", "/replicas/nope/1")
        check(status == 404, "GET /replicas/nope/1: 404 (%d)" % status)
        status, body = http_status(port, "GET", "/replicas/routelab/1")
        check(status == 200 and len(body["replicas"]) == 4, "GET /replicas/routelab/1: rf 2 in two DCs (%s)" % body)
        status, body = http_status(port, "POST", "/nodes/dc2-r1-n1/stop")
        check(status == 200 and body["up"] is False, "POST /nodes/dc2-r1-n1/stop")
        status, body = http_status(port, "POST", "/nodes/dc2-r1-n1/stop")
        check(status == 200 and body["up"] is False, "stopping a stopped node is a no-op")
        status, body = http_status(port, "POST", "/nodes/dc2-r1-n1/start")
        check(status == 200 and body["up"] is True, "POST /nodes/dc2-r1-n1/start")
        # Ring membership: decommission pushes REMOVED_NODE to registered connections and the
        # key loses its dc2 replica there; join brings both back.
        watcher = raw_cql.started("127.0.0.1")
        topology = "TOPOLOGY_CHANGE".encode()
        watcher.sendall(raw_cql.frame(0x0B, struct.pack(">HH", 1, len(topology)) + topology, stream=9))
        reply = raw_cql.read_frame(watcher)
        check(reply is not None and reply[2] == raw_cql.READY, "REGISTER TOPOLOGY_CHANGE")
        status, body = http_status(port, "POST", "/nodes/dc2-r1-n1/decommission")
        check(status == 200 and body["joined"] is False and body["up"] is False, "POST /nodes/dc2-r1-n1/decommission")
        event = raw_cql.read_frame(watcher)
        check(event is not None and event[1] == -1 and event[2] == 0x0C and b"REMOVED_NODE" in event[3]
              and event[3].endswith(bytes([4, 127, 0, 0, 4]) + struct.pack(">i", 9042)),
              "TOPOLOGY_CHANGE REMOVED_NODE 127.0.0.4:9042 (%r)" % (event,))
        status, body = http_status(port, "GET", "/replicas/routelab/1")
        check(status == 200 and len(body["replicas"]) == 3 and "127.0.0.4" not in body["replicas"],
              "after the decommission the key has 3 replicas, none on 127.0.0.4 (%s)" % body)
        status, _ = http_status(port, "POST", "/nodes/dc2-r1-n1/decommission")
        check(status == 409, "decommissioning a node outside the ring: 409 (%d)" % status)
        status, body = http_status(port, "POST", "/nodes/dc2-r1-n1/join")
        check(status == 200 and body["joined"] is True and body["up"] is True, "POST /nodes/dc2-r1-n1/join")
        event = raw_cql.read_frame(watcher)
        check(event is not None and event[2] == 0x0C and b"NEW_NODE" in event[3], "TOPOLOGY_CHANGE NEW_NODE (%r)" % (event,))
        status, body = http_status(port, "GET", "/replicas/routelab/1")
        check(status == 200 and len(body["replicas"]) == 4, "after the join: 4 replicas again (%s)" % body)
        status, _ = http_status(port, "POST", "/nodes/dc2-r1-n1/join")
        check(status == 409, "joining a node already in the ring: 409 (%d)" % status)
        watcher.close()
        # Faults while serving: an injected error on requests n1 coordinates, then cleared.
        client = raw_cql.started("127.0.0.1")
        opcode, _ = raw_cql.query(client, "SELECT * FROM routelab.kv WHERE k = 1")
        check(opcode == 0x08, "a read coordinated by dc1-r1-n1 succeeds before the fault (opcode %s)" % opcode)
        status, _ = http_status(port, "POST", "/nodes/dc1-r1-n1/error?status=overloaded&percent=100")
        check(status == 200, "POST /nodes/dc1-r1-n1/error?status=overloaded&percent=100 (%d)" % status)
        opcode, body = raw_cql.query(client, "SELECT * FROM routelab.kv WHERE k = 1", stream=2)
        check(opcode == 0x00 and raw_cql.error_code(body) == 0x1001,
              "with the fault, the read gets Overloaded (opcode %s, code %s)" % (opcode, raw_cql.error_code(body)))
        status, _ = http_status(port, "POST", "/errors/clear")
        check(status == 200, "POST /errors/clear (%d)" % status)
        opcode, _ = raw_cql.query(client, "SELECT * FROM routelab.kv WHERE k = 1", stream=3)
        check(opcode == 0x08, "after clearing, the read succeeds again (opcode %s)" % opcode)
        status, _ = http_status(port, "POST", "/nodes/dc1-r1-n1/slow?factor=50")
        started_at = time.monotonic()
        opcode, _ = raw_cql.query(client, "SELECT * FROM routelab.kv WHERE k = 1", stream=4)
        slow_s = time.monotonic() - started_at
        http_status(port, "POST", "/nodes/dc1-r1-n1/slow?factor=1")
        check(status == 200 and opcode == 0x08 and slow_s > 0.002, "POST /nodes/dc1-r1-n1/slow?factor=50 (%d): the read succeeds, slowed (%.1f ms)"
              % (status, slow_s * 1000))
        status, _ = http_status(port, "POST", "/nodes/dc1-r1-n1/latency?us=2000")
        check(status == 200, "POST /nodes/dc1-r1-n1/latency?us=2000 (%d)" % status)
        http_status(port, "POST", "/nodes/dc1-r1-n1/latency?us=0")
        client.close()
        for bad in ("/nodes/dc1-r1-n1/slow?factor=0", "/nodes/dc1-r1-n1/slow", "/nodes/dc1-r1-n1/latency?us=x",
                    "/nodes/dc1-r1-n1/error?status=sometimes&percent=10", "/nodes/dc1-r1-n1/error?status=overloaded&percent=101"):
            status, _ = http_status(port, "POST", bad)
            check(status == 400, "POST %s: 400 (%d)" % (bad, status))
        status, _ = http_status(port, "GET", "/errors/clear")
        check(status == 405, "GET /errors/clear: 405 (%d)" % status)
        status, _ = http_status(port, "GET", "/metrics")
        check(status == 404, "unknown route: 404 (%d)" % status)
        server.proc.send_signal(signal.SIGINT)
        code = server.proc.wait(timeout=10)
        server.wait_output()
        check(code == 0 and any(line.startswith("stopped (signal %d)" % signal.SIGINT) for line in server.lines),
              "SIGINT: exit 0 with the stop reason (exit %s)" % code)
    finally:
        server.stop()
    print("%s: %d failed check(s)" % ("FAILED" if failures else "PASSED", failures), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
