#!/usr/bin/python3
"""`routelab import` against `routelab serve`: the imported scenario serves the same cluster.

Goal: a scenario imported from a running cluster has the served ring, replica sets and client
routes. Method: serve a scenario (pinned tokens and two DCs; then private networking with routes
and seed-drawn tokens), import it, stop, serve the imported file, and compare the two servers'
HTTP control answers: GET /nodes (address, DC, rack, tokens), GET /replicas/<keyspace>/<key> for
a sample of keys, GET /routes (connection id, node address, endpoint). The imported file must
also `routelab run`. Bad input: no --contact, bad --contact syntax and an unknown --keyspace exit
2; a refused connection and a server that accepts but never answers exit 1 within the timeouts.
Loopback only; every process is bounded by a timeout.
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))
from serve_process import ServeProcess  # noqa: E402

failures = 0
SAMPLE_KEYS = [0, 1, 2, 3, 7, 42, 99, 1000, 123456789, -5, -987654321, 2**62, -(2**62)]


def check(ok, what):
    global failures
    print(("ok:   " if ok else "FAIL: ") + what, flush=True)
    if not ok:
        failures += 1


def run(cmd, timeout=30):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)


def observe(server, keyspaces):
    """What a served cluster looks like through its control: keyed by node address."""
    nodes = server.http("GET", "/nodes")["nodes"]
    address_of = {n["host_id"]: n["address"] for n in nodes}
    ring = sorted((n["address"], n["datacenter"], n["rack"], tuple(sorted(int(t) for t in n["tokens"]))) for n in nodes)
    replicas = {(ks, k): server.http("GET", "/replicas/%s/%d" % (ks, k))["replicas"] for ks in keyspaces for k in SAMPLE_KEYS}
    routes = sorted((r["connection_id"], address_of[r["host_id"]], r["address"], r["port"])
                    for r in server.http("GET", "/routes")["routes"])
    return ring, replicas, routes


def round_trip(rl, scenario, contact, keyspaces, workdir, label):
    served = ServeProcess(rl, scenario)
    try:
        out = os.path.join(workdir, label + ".toml")
        r = run([rl, "import", "--contact", contact, "--keyspace", "no_such_ks", "--out", out])
        check(r.returncode == 2 and "no_such_ks" in r.stderr and not os.path.exists(out),
              "%s: unknown --keyspace: exit 2, names it, writes nothing (exit %d: %s)" % (label, r.returncode, r.stderr.strip()))
        r = run([rl, "import", "--contact", contact, "--out", out])
        check(r.returncode == 0, "%s: import exits 0 (exit %d: %s)" % (label, r.returncode, r.stderr.strip()))
        if r.returncode != 0:
            return
        before = observe(served, keyspaces)
    finally:
        served.stop()
    text = open(out).read()
    check(text.startswith("# Imported by `routelab import` from " + contact + " at "),
          "%s: header names the contact and the time: %r" % (label, text.splitlines()[0]))
    r = run([rl, "run", out, "--no-plots", "-q", "--out", os.path.join(workdir, label + "-run")], timeout=120)
    check(r.returncode in (0, 1), "%s: `routelab run` on the imported file works (exit %d: %s)" % (label, r.returncode, r.stderr.strip()[-400:]))
    imported = ServeProcess(rl, out)
    try:
        after = observe(imported, keyspaces)
    finally:
        imported.stop()
    check(before[0] == after[0], "%s: same ring (%d nodes: address, DC, rack, tokens)" % (label, len(before[0])))
    check(before[1] == after[1], "%s: same replicas for %d keys in %s" % (label, len(SAMPLE_KEYS), ",".join(keyspaces)))
    check(before[2] == after[2], "%s: same client routes (%d)" % (label, len(before[2])))
    if before != after:
        print("served:   %r\nimported: %r" % (before, after))


def silent_server():
    """A listener that accepts and never answers: import must give up after its timeout."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(4)
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--routelab", required=True)
    ap.add_argument("--scenarios", required=True, help="the scenarios/ folder")
    args = ap.parse_args()
    rl = args.routelab

    with tempfile.TemporaryDirectory() as workdir:
        out = os.path.join(workdir, "x.toml")
        r = run([rl, "import", "--out", out])
        check(r.returncode == 2 and "--contact" in r.stderr, "no --contact: exit 2 (exit %d)" % r.returncode)
        for bad in ["127.0.0.1:99999", "127.0.0.1:", ":9042", "bad host!", "[::1", "127.0.0.1:90x"]:
            r = run([rl, "import", "--contact", bad, "--out", out])
            check(r.returncode == 2 and "--contact" in r.stderr and not os.path.exists(out),
                  "--contact %r: exit 2 (exit %d: %s)" % (bad, r.returncode, r.stderr.strip()))
        free = socket.socket()
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
        free.close()   # nothing listens there now
        r = run([rl, "import", "--contact", "127.0.0.1:%d" % port, "--out", out])
        check(r.returncode == 1 and "cannot connect" in r.stderr, "refused: exit 1 (exit %d: %s)" % (r.returncode, r.stderr.strip()))
        silent = silent_server()
        started = time.monotonic()
        r = run([rl, "import", "--contact", "127.0.0.1:%d" % silent.getsockname()[1], "--request-timeout", "0.5", "--out", out])
        took = time.monotonic() - started
        silent.close()
        check(r.returncode == 1 and "no answer within 500 ms" in r.stderr and took < 10,
              "silent server: exit 1 after the request timeout (exit %d, %.1f s: %s)" % (r.returncode, took, r.stderr.strip()))

        round_trip(rl, os.path.join(args.scenarios, "explain_two_dc.toml"), "127.0.0.1:9042", ["routelab"], workdir, "explain_two_dc")
        round_trip(rl, os.path.join(args.scenarios, "multi_keyspace.toml"), "127.0.0.1:9042", ["app", "sessions"], workdir,
                   "multi_keyspace")
        round_trip(rl, os.path.join(args.scenarios, "private_link.toml"), "127.0.2.1:9100", ["routelab"], workdir, "private_link")
    print("%d failure(s)" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
