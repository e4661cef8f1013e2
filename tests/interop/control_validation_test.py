"""The HTTP control of `routelab serve` accepts only well-formed, in-range values.

Every bad request (out-of-range factor, latency, percent or port, non-numbers, signs,
escapes, duplicated or unknown parameters, a query on a request that takes none, a body, a
non-loopback or malformed route address, a malformed connection id, an oversized head or
body, garbage instead of HTTP) gets 400 with a reason in the body, and changes nothing: the
nodes and routes read back the same. Good requests still work, and the server keeps running.

Usage: control_validation_test.py --routelab BIN --scenario TOML (stdlib only; exit 0 = pass)
"""
import argparse
import json
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))
from serve_process import ServeProcess  # noqa: E402


def raw_http(port, data, timeout=5):
    """Sends raw bytes, returns (status, body text) of the answer (status 0: none)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        answer = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            answer += chunk
    finally:
        s.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    parts = head.split(b" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    return status, body.decode(errors="replace")


def request(port, method, target, body=b"", headers=""):
    data = ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n%s\r\n" % (method, target, len(body), headers)).encode()
    return raw_http(port, data + body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--routelab", required=True)
    parser.add_argument("--scenario", required=True)
    args = parser.parse_args()
    failures = []

    def check(ok, what):
        print("%s %s" % ("ok:  " if ok else "FAIL:", what), flush=True)
        if not ok:
            failures.append(what)

    server = ServeProcess(args.routelab, args.scenario, duration_s=40)
    try:
        port = server.control_port
        node = server.nodes[0][0]

        def state():
            return request(port, "GET", "/nodes")[1], request(port, "GET", "/routes")[1]

        before = state()
        n = "/nodes/%s" % node
        bad = [
            ("POST", n + "/slow?factor=0", "out of range"),
            ("POST", n + "/slow?factor=1000001", "out of range"),
            ("POST", n + "/slow?factor=99999999999999999999", "out of range"),
            ("POST", n + "/slow?factor=abc", "expected an integer"),
            ("POST", n + "/slow?factor=+5", "malformed value"),
            ("POST", n + "/slow?factor=5x", "expected an integer"),
            ("POST", n + "/slow?factor=", "expected an integer"),
            ("POST", n + "/slow?factor=%35", "malformed value"),
            ("POST", n + "/slow?factor=5&factor=6", "more than once"),
            ("POST", n + "/slow?factor=5&speed=2", "unknown parameter"),
            ("POST", n + "/slow?factor=5&", "ends with"),
            ("POST", n + "/slow?factor", "key=value"),
            ("POST", n + "/slow", "required"),
            ("POST", n + "/latency?us=-1", "out of range"),
            ("POST", n + "/latency?us=60000001", "out of range"),
            ("POST", n + "/error?status=overloaded&percent=101", "out of range"),
            ("POST", n + "/error?status=sometimes&percent=10", "unknown value"),
            ("POST", n + "/error?percent=10", "required"),
            ("POST", n + "/stop?force=1", "unknown parameter"),
            ("GET", "/nodes?verbose=1", "unknown parameter"),
            ("POST", "/routes/vpc-9/%s?address=10.0.0.1&port=9042" % node, "not on loopback"),
            ("POST", "/routes/vpc-9/%s?address=127.0.0.300&port=9042" % node, "dotted IPv4"),
            ("POST", "/routes/vpc-9/%s?address=127.000.0.1&port=9042" % node, "dotted IPv4"),
            ("POST", "/routes/vpc-9/%s?address=0.0.0.0&port=9042" % node, "not on loopback"),
            ("POST", "/routes/vpc-9/%s?address=127.0.9.1&port=0" % node, "out of range"),
            ("POST", "/routes/vpc-9/%s?address=127.0.9.1&port=65536" % node, "out of range"),
            ("POST", "/routes/vpc-9/%s?address=127.0.9.1" % node, "required"),
            ("POST", "/routes/vpc%%209/%s?address=127.0.9.1&port=9042" % node, "connection id"),
            ("POST", "/routes/%s/%s?address=127.0.9.1&port=9042" % ("v" * 200, node), "connection id"),
            ("POST", "/routes/vpc-9/%s/remove?now=1" % node, "unknown parameter"),
        ]
        for method, target, reason in bad:
            status, body = request(port, method, target)
            try:
                error = json.loads(body).get("error", "")
            except ValueError:
                error = ""
            check(status == 400 and reason in error, "%s %s: 400 %r" % (method, target[:90], error[:110] or body[:80]))
        status, body = request(port, "POST", n + "/slow?factor=2", body=b'{"factor": 3}')
        check(status == 400 and "no body" in body, "a request with a body: 400 (%d %s)" % (status, body.strip()[:80]))
        status, body = request(port, "POST", n + "/stop", body=b"x" * (32 * 1024))
        check(status == 400 and "body is larger" in body, "a 32 KiB body: 400 (%d %s)" % (status, body.strip()[:80]))
        status, body = request(port, "GET", "/nodes", headers="X-Padding: %s\r\n" % ("p" * 20000))
        check(status == 400 and "head is larger" in body, "a 20 KiB header: 400 (%d %s)" % (status, body.strip()[:80]))
        status, body = raw_http(port, b"\x16\x03\x01 this is not HTTP\r\n\r\n")
        check(status == 400 and "malformed HTTP" in body, "garbage instead of HTTP: 400 (%d %s)" % (status, body.strip()[:80]))
        check(state() == before, "after the bad requests the nodes and routes read back unchanged")

        # Good requests still work, exactly as given.
        status, _ = request(port, "POST", n + "/slow?factor=1")
        check(status == 200, "POST %s/slow?factor=1: 200 (%d)" % (n, status))
        status, body = request(port, "POST", "/routes/vpc-9/%s?address=127.0.9.1&port=9042" % node)
        routes = json.loads(body).get("routes", []) if status == 200 else []
        check(status == 200 and any(r["connection_id"] == "vpc-9" and r["address"] == "127.0.9.1" and r["port"] == 9042
                                    for r in routes), "a loopback route is accepted as given (%d %s)" % (status, body[:120]))
        status, _ = request(port, "POST", "/routes/vpc-9/%s/remove" % node)
        check(status == 200 and state() == before, "and removed again (%d)" % status)
        check(server.proc.poll() is None, "routelab serve is still running")
    finally:
        server.stop()
    print("%s: %d failed check(s)" % ("FAILED" if failures else "PASSED", len(failures)), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
