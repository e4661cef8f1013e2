"""Bad input against live mode (`routelab serve`) on real sockets.

Clients that send garbage, an oversized frame header, a request before STARTUP, a
truncated frame followed by a close, or that flood requests without ever reading, each
get a protocol ERROR (when a frame header was readable) and a closed connection, or are
cut off; meanwhile a well-behaved client on the same node keeps getting answers, and the
server's resident memory stays bounded (incomplete frames share the --frame-buffer-mib
budget, see hostile_clients_test.py; per connection, 64 MiB of unsent replies before the
connection is reset).

Usage: bad_input_test.py --routelab BIN --scenario TOML  (stdlib only; exit 0 = pass)
"""
import argparse
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "python"))
from serve_process import ServeProcess  # noqa: E402

from raw_cql import (ERROR, OPTIONS, PROTOCOL_ERROR, QUERY, SUPPORTED, connect, frame, read_frame,  # noqa: E402
                     started)


def closed_by_peer(sock, timeout=5.0):
    """True if the peer closes (EOF or reset) within `timeout`, reading and dropping data."""
    sock.settimeout(timeout)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if not sock.recv(65536):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
    return False


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

    server = ServeProcess(args.routelab, args.scenario, duration_s=50)
    try:
        address = server.nodes[0][1]
        good = started(address)
        stream = [1]

        def good_client_works():
            stream[0] = stream[0] % 30000 + 1
            good.sendall(frame(OPTIONS, stream=stream[0]))
            reply = read_frame(good)
            return reply is not None and reply[2] == SUPPORTED and reply[1] == stream[0]

        def rss_kib():
            with open("/proc/%d/status" % server.proc.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
            return 0

        check(good_client_works(), "a well-behaved client is served")
        rss_before = rss_kib()

        def expect_protocol_error_and_close(payload, what):
            sock = connect(address)
            sock.sendall(payload)
            reply = read_frame(sock)
            code = struct.unpack(">i", reply[3][:4])[0] if reply and reply[2] == ERROR and len(reply[3]) >= 4 else None
            check(code == PROTOCOL_ERROR, "%s: protocol ERROR (got %r)" % (what, reply and (reply[2], reply[3][:60])))
            check(closed_by_peer(sock), "%s: connection closed by the server" % what)
            sock.close()
            check(good_client_works(), "%s: the other client is still served" % what)

        expect_protocol_error_and_close(b"\x04\x00\x00\x01\x07" + b"\xff" * 4 + os.urandom(64),
                                        "garbage body after a header claiming a negative length")
        expect_protocol_error_and_close(frame(OPTIONS, length=2**31 - 1), "a frame header announcing 2 GiB")
        expect_protocol_error_and_close(frame(QUERY, b"\x00\x00\x00\x01x\x00\x01\x00"), "QUERY before STARTUP")
        expect_protocol_error_and_close(frame(OPTIONS, version=0x7f), "an unknown protocol version byte")

        # Truncated frames, then the client goes away: nothing to answer, nothing must break.
        for cut in (3, 9, 20):
            sock = started(address)
            whole = frame(QUERY, struct.pack(">i", 200) + b"S" * 200 + b"\x00\x01\x00")
            sock.sendall(whole[:cut])
            sock.close()
        check(good_client_works(), "clients that close mid-frame leave the node serving")

        # A client that floods requests and never reads: its replies must not pile up
        # without bound in the server (it is closed, or the server stops reading from it).
        flood = started(address)
        flood.setblocking(False)
        burst = frame(OPTIONS, stream=7) * 4096
        sent = 0
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and sent < 400 * 1024 * 1024:
            try:
                sent += flood.send(burst)
            except BlockingIOError:
                time.sleep(0.01)
            except (ConnectionResetError, BrokenPipeError):
                break
        growth_mib = (rss_kib() - rss_before) / 1024.0
        print("flood: sent %.1f MiB of requests without reading; server RSS grew %.1f MiB" % (sent / 2**20, growth_mib), flush=True)
        check(growth_mib < 256, "server memory stays bounded under a client that never reads (grew %.1f MiB)" % growth_mib)
        check(good_client_works(), "the other client is served during the flood")
        flood.setblocking(True)
        check(closed_by_peer(flood, 10), "the flooding client is cut off once its unread replies pass the send-queue bound")
        flood.close()
        check(good_client_works(), "the other client is served after the flood")
        check(server.proc.poll() is None, "routelab serve is still running")
        good.close()
    finally:
        server.stop()
    print("%s: %d failed check(s)" % ("FAILED" if failures else "PASSED", len(failures)), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
