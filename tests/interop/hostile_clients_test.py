"""Live mode under hostile clients keeps bounded memory and cuts them off (`routelab serve`
with its connection limits, sim/live/live_limits.hpp), while a well-behaved Debian
python3-cassandra client is served throughout.

Run 1 (memory): 200 raw connections each announce an 8 MiB frame and send 1 MiB of it.
Without a bound the server would hold 200 MiB; with `--frame-buffer-mib 16` it stops reading
them once the budget is full, so its RSS (VmRSS of /proc/PID/status) stays under
budget + per-connection read buffers + slack, and GET /limits shows the budget's peak within
budget + one read per connection. At `--frame-timeout` they get a protocol ERROR and are
closed; the budget is empty again. A frame that could never fit the budget is refused at once.

Run 2 (timeouts and cap, short timeouts by flag): a connection that never sends STARTUP (and
one that only sends OPTIONS), a frame sent half-way, and an idle connection are each closed
with a protocol ERROR naming the flag, not before their timeout; a connection that keeps
talking outlives the idle timeout; the connection beyond `--max-connections-per-node` gets an
Overloaded ERROR and a close, and a slot freed is usable again.

Prints the RSS figures. Usage: hostile_clients_test.py --routelab BIN --scenario TOML
(exit 0 = pass). Bounded: every wait has a deadline; the servers stop after --duration.
"""
import argparse
import json
import os
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))
from serve_process import ServeProcess  # noqa: E402
from raw_cql import (ERROR, OPTIONS, PROTOCOL_ERROR, QUERY, READY, STARTUP, SUPPORTED, connect, frame,  # noqa: E402
                     read_frame, started, string_map)

OVERLOADED = 0x1001
MIB = 1024 * 1024


class Checks:
    def __init__(self):
        self.failures = []

    def __call__(self, ok, what):
        print("%s %s" % ("ok:  " if ok else "FAIL:", what), flush=True)
        if not ok:
            self.failures.append(what)
        return ok


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def limits(server):
    return server.http("GET", "/limits")


def error_of(reply):
    """(code, message) of an ERROR frame, else None."""
    if not reply or reply[2] != ERROR or len(reply[3]) < 6:
        return None
    code = struct.unpack(">i", reply[3][:4])[0]
    n = struct.unpack(">H", reply[3][4:6])[0]
    return code, reply[3][6:6 + n].decode(errors="replace")


class Watch(threading.Thread):
    """Reads a socket until the peer closes it (or `limit_s` passes): keeps the first ERROR
    frame and when the close came, measured from `since`."""

    def __init__(self, sock, since, limit_s):
        super().__init__(daemon=True)
        self.sock, self.since, self.limit_s = sock, since, limit_s
        self.error, self.closed_after = None, None
        self.start()

    def run(self):
        self.sock.settimeout(0.2)
        deadline = self.since + self.limit_s
        while time.monotonic() < deadline:
            try:
                reply = read_frame(self.sock)
            except socket.timeout:
                continue
            except OSError:
                reply = None
            if reply is None:
                self.closed_after = time.monotonic() - self.since
                return
            if self.error is None:
                self.error = error_of(reply)


class DriverClient(threading.Thread):
    """A python3-cassandra session reading one key every 50 ms; records every failure and
    the longest gap between answers."""

    def __init__(self, session, statement):
        super().__init__(daemon=True)
        self.session, self.statement = session, statement
        self.ok, self.errors, self.longest_gap = 0, [], 0.0
        self.stopping = False
        self.start()

    def run(self):
        last = time.monotonic()
        while not self.stopping:
            try:
                self.session.execute(self.statement, (1,), timeout=5)
                self.ok += 1
                now = time.monotonic()
                self.longest_gap = max(self.longest_gap, now - last)
                last = now
            except Exception as e:  # noqa: BLE001 - any failure is a finding
                self.errors.append(repr(e)[:200])
            time.sleep(0.05)

    def stop(self):
        self.stopping = True
        self.join(10)


def start_driver(check, address):
    from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
    from cassandra.policies import DCAwareRoundRobinPolicy
    profile = ExecutionProfile(load_balancing_policy=DCAwareRoundRobinPolicy("dc1"), request_timeout=5)
    # Heartbeats every second keep its connections active under a short --idle-timeout.
    cluster = Cluster([address], protocol_version=4, execution_profiles={EXEC_PROFILE_DEFAULT: profile},
                      connect_timeout=5, control_connection_timeout=5, idle_heartbeat_interval=1)
    session = cluster.connect()
    statement = session.prepare("SELECT * FROM routelab.kv WHERE k = ?")
    check(session.execute(statement, (1,)) is not None, "the python3-cassandra client is served")
    return cluster, DriverClient(session, statement)


def check_driver(check, client, phase):
    check(not client.errors, "%s: the python3-cassandra client got no error (%d answers; %s)"
          % (phase, client.ok, client.errors[:2]))
    check(client.ok > 0 and client.longest_gap < 3.0, "%s: and kept getting answers (longest gap %.2f s)"
          % (phase, client.longest_gap))


def memory_run(args, check):
    budget_mib, attackers, announced, sent_each = 16, 200, 8 * MIB, 1 * MIB
    server = ServeProcess(args.routelab, args.scenario, duration_s=80,
                          extra_args=["--frame-buffer-mib", str(budget_mib), "--frame-timeout", "8",
                                      "--startup-timeout", "30", "--idle-timeout", "0"])
    cluster = client = None
    socks = []
    try:
        address = server.nodes[0][1]
        pid = server.proc.pid
        cluster, client = start_driver(check, address)
        time.sleep(1)
        baseline = rss_kib(pid)

        # The attack: STARTUP, then a QUERY header announcing 8 MiB, then 1 MiB of its body,
        # pushed round robin on non-blocking sockets for at most 5 s.
        first_header = time.monotonic()
        for _ in range(attackers):
            s = started(address)
            s.sendall(struct.pack(">BBhBi", 4, 0, 5, QUERY, announced))
            s.setblocking(False)
            socks.append([s, 0])
        attack_started = time.monotonic()
        chunk = b"A" * 65536
        peak = baseline
        deadline = attack_started + 5
        while time.monotonic() < deadline and any(n < sent_each for _, n in socks):
            progressed = False
            for entry in socks:
                if entry[1] >= sent_each:
                    continue
                try:
                    entry[1] += entry[0].send(chunk[:sent_each - entry[1]])
                    progressed = True
                except (BlockingIOError, InterruptedError):
                    pass
            peak = max(peak, rss_kib(pid))
            if not progressed:
                time.sleep(0.05)
        for _ in range(10):   # let the server settle on what it read
            peak = max(peak, rss_kib(pid))
            time.sleep(0.1)
        sent_total = sum(n for _, n in socks)
        during = limits(server)
        print("attack: %d connections sent %.1f MiB of frames announced at %d MiB each; budget %d MiB"
              % (attackers, sent_total / MIB, announced // MIB, budget_mib), flush=True)
        print("limits during the attack: %s" % json.dumps(during), flush=True)
        per_connection = 64 * 1024   # one socket read may overshoot the budget
        check(during["frame_bytes_buffered_peak"] <= budget_mib * MIB + attackers * (per_connection + 9),
              "the frame budget's peak %.1f MiB stays within budget + one read per connection (%.1f MiB)"
              % (during["frame_bytes_buffered_peak"] / MIB, (budget_mib * MIB + attackers * per_connection) / MIB))
        check(during["connections_paused"] > 0, "connections past the budget are paused (%d)" % during["connections_paused"])
        check(sent_total > 2 * budget_mib * MIB, "the attackers got %.0f MiB out (more than the budget: the test bites)"
              % (sent_total / MIB))
        growth_mib = (peak - baseline) / 1024.0
        # Bound: the budget, each connection's 64 KiB read buffer and one read of overshoot,
        # and allocator slack. Without the budget the server would hold ~200 MiB here.
        bound_mib = budget_mib + attackers * 0.25 + 24
        check(growth_mib < bound_mib, "server RSS grew %.1f MiB under the attack (bound %.0f MiB)" % (growth_mib, bound_mib))
        check_driver(check, client, "during the attack")

        # The frame timeout cuts every attacker off with a protocol ERROR naming the flag.
        watches = [Watch(s, first_header, 25) for s, _ in socks]
        for w in watches:
            w.join(26)
        cut = [w for w in watches if w.closed_after is not None]
        named = [w for w in cut if w.error and w.error[0] == PROTOCOL_ERROR and "--frame-timeout" in w.error[1]]
        check(len(cut) == attackers, "all %d attackers are closed by the server (%d)" % (attackers, len(cut)))
        check(len(named) >= attackers * 0.9, "%d of them read the protocol ERROR naming --frame-timeout (%s)"
              % (len(named), cut[0].error if cut else None))
        check(all(w.closed_after >= 7.5 for w in cut), "none before its frame timeout (earliest %.1f s)"
              % min([w.closed_after for w in cut] or [0]))
        time.sleep(1)
        after = limits(server)
        after_rss = rss_kib(pid)
        check(after["frame_bytes_buffered"] == 0 and after["closed_frame_timeout"] >= attackers,
              "afterwards the budget is empty (%d bytes) and %d connections were closed at their frame timeout"
              % (after["frame_bytes_buffered"], after["closed_frame_timeout"]))
        print("RSS: baseline %.1f MiB, peak under attack %.1f MiB, after the attackers are cut off %.1f MiB"
              % (baseline / 1024.0, peak / 1024.0, after_rss / 1024.0), flush=True)

        # A frame that can never fit the budget is refused at once, with the flag's name.
        s = started(address)
        s.sendall(struct.pack(">BBhBi", 4, 0, 9, QUERY, budget_mib * MIB) + b"x" * 1000)
        e = error_of(read_frame(s))
        check(e is not None and e[0] == PROTOCOL_ERROR and "--frame-buffer-mib" in e[1],
              "a frame larger than the budget gets a protocol ERROR naming --frame-buffer-mib (%r)" % (e,))
        w = Watch(s, time.monotonic(), 5)
        w.join(6)
        check(w.closed_after is not None, "and the connection is closed")
        # One beyond the protocol's 256 MiB limit keeps the server's own framing error.
        s = started(address)
        s.sendall(struct.pack(">BBhBi", 4, 0, 9, QUERY, 300 * MIB))
        e = error_of(read_frame(s))
        check(e is not None and e[0] == PROTOCOL_ERROR and "268435456" in e[1],
              "a frame beyond 256 MiB gets the protocol's framing ERROR (%r)" % (e,))
        s.close()
        check_driver(check, client, "after the attack")
        check(server.proc.poll() is None, "routelab serve is still running")
    finally:
        if client:
            client.stop()
        if cluster:
            cluster.shutdown()
        for s, _ in socks:
            s.close()
        server.stop()


def timeouts_run(args, check):
    cap = 12
    server = ServeProcess(args.routelab, args.scenario, duration_s=60,
                          extra_args=["--startup-timeout", "2", "--frame-timeout", "2", "--idle-timeout", "3",
                                      "--max-connections-per-node", str(cap)])
    cluster = client = None
    opened = []
    try:
        address = server.nodes[0][1]
        cluster, client = start_driver(check, address)

        t0 = time.monotonic()
        no_startup = connect(address)
        options_only = connect(address)
        options_only.sendall(frame(OPTIONS, stream=3))
        check(read_frame(options_only)[2] == SUPPORTED, "OPTIONS before STARTUP is answered")
        slow = started(address)
        whole = frame(QUERY, struct.pack(">i", 200) + b"S" * 200 + b"\x00\x01\x00", stream=77)
        slow_started = time.monotonic()
        slow.sendall(whole[:40])
        idle = started(address)
        idle_started = time.monotonic()
        alive = started(address)
        watches = {"no STARTUP": (Watch(no_startup, t0, 10), 2, "--startup-timeout", 0),
                   "OPTIONS only": (Watch(options_only, t0, 10), 2, "--startup-timeout", 0),
                   "half a frame": (Watch(slow, slow_started, 10), 2, "--frame-timeout", 77),
                   "idle": (Watch(idle, idle_started, 10), 3, "--idle-timeout", 0)}
        # `alive` talks every 0.5 s for 6 s, twice the idle timeout.
        alive_ok = True
        for i in range(12):
            alive.sendall(frame(OPTIONS, stream=i + 1))
            reply = read_frame(alive)
            alive_ok = alive_ok and reply is not None and reply[2] == SUPPORTED
            time.sleep(0.5)
        check(alive_ok, "a connection that keeps talking outlives the idle timeout (6 s > 3 s)")
        for what, (w, timeout_s, flag, stream) in watches.items():
            w.join(11)
            check(w.closed_after is not None and w.closed_after >= timeout_s * 0.9,
                  "%s: closed by the server after %s s (timeout %d s)"
                  % (what, "%.1f" % w.closed_after if w.closed_after is not None else "never", timeout_s))
            check(w.error is not None and w.error[0] == PROTOCOL_ERROR and flag in w.error[1],
                  "%s: a protocol ERROR naming %s first (%r)" % (what, flag, w.error))
        # The half-sent frame's ERROR answers its own stream.
        check(any(line.startswith("limit: ") and "--frame-timeout" in line for line in server.lines),
              "the server logs the closes (%s)" % [l for l in server.lines if l.startswith("limit: ")][:1])
        stats = limits(server)
        check(stats["closed_startup_timeout"] >= 2 and stats["closed_frame_timeout"] >= 1 and stats["closed_idle_timeout"] >= 1,
              "GET /limits counts them: %s" % json.dumps(stats))
        check_driver(check, client, "with timeouts of 2-3 s")

        # The connection cap, on the second node (the driver holds one or two connections there).
        node2 = server.nodes[1][1]
        replies = []
        for i in range(cap + 3):
            s = connect(node2)
            s.sendall(frame(STARTUP, string_map({"CQL_VERSION": "3.0.0"}), stream=i + 1))
            replies.append((s, read_frame(s)))
            opened.append(s)
        ready = [s for s, r in replies if r and r[2] == READY]
        refused = [(s, error_of(r)) for s, r in replies if r and r[2] == ERROR]
        check(cap - 3 <= len(ready) <= cap and len(ready) + len(refused) == cap + 3,
              "the cap of %d per node: %d READY, %d refused" % (cap, len(ready), len(refused)))
        check(refused and all(e and e[0] == OVERLOADED and "--max-connections-per-node" in e[1] for _, e in refused),
              "past the cap: an Overloaded ERROR naming --max-connections-per-node (%r)" % (refused[0][1] if refused else None,))
        closes = [Watch(s, time.monotonic(), 5) for s, _ in refused]
        for w in closes:
            w.join(6)
        check(all(w.closed_after is not None for w in closes), "and the refused connections are closed")
        ready[0].close()
        time.sleep(0.3)
        again = connect(node2)
        opened.append(again)
        again.sendall(frame(STARTUP, string_map({"CQL_VERSION": "3.0.0"})))
        reply = read_frame(again)
        check(reply is not None and reply[2] == READY, "a slot freed by a close is usable again")
        check_driver(check, client, "through the cap")
        check(server.proc.poll() is None, "routelab serve is still running")
    finally:
        if client:
            client.stop()
        if cluster:
            cluster.shutdown()
        for s in opened:
            s.close()
        server.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--routelab", required=True)
    parser.add_argument("--scenario", required=True)
    args = parser.parse_args()
    try:
        import cassandra  # noqa: F401
    except ImportError as e:
        print("CANNOT RUN: python3-cassandra is not installed for %s (%s)" % (sys.executable, e))
        return 1
    check = Checks()
    memory_run(args, check)
    timeouts_run(args, check)
    print("%s: %d failed check(s)" % ("FAILED" if check.failures else "PASSED", len(check.failures)), flush=True)
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
