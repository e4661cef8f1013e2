"""Starts `routelab serve` for an interop test and stops it again.

The server prints one line per node, then `control http://127.0.0.1:P/nodes`, then
`ready`. Everything here is bounded: a server that does not become ready within
`ready_timeout_s` is killed and the start fails with what it printed.
"""
import json
import queue
import signal
import subprocess
import threading
import time
import urllib.request


class AddressBusy(RuntimeError):
    pass


BUSY_WAIT_S = 30


class ServeProcess:
    """A running `routelab serve`. If its addresses are taken (exit 3, "Address already in
    use": another test run on this machine is serving on 127.0.0.x:9042 right now), it retries
    for up to BUSY_WAIT_S seconds before failing."""

    def __init__(self, routelab, scenario, duration_s=58, ready_timeout_s=15, extra_args=()):
        deadline = time.monotonic() + BUSY_WAIT_S
        while True:
            try:
                self._start(routelab, scenario, duration_s, ready_timeout_s, extra_args)
                return
            except AddressBusy:
                if time.monotonic() >= deadline:
                    raise
                print("routelab serve: addresses busy (another run?), retrying", flush=True)
                time.sleep(1)

    def _start(self, routelab, scenario, duration_s, ready_timeout_s, extra_args):
        self.lines = []
        self.nodes = []          # (name, address) in address order, as printed
        self.control_port = None
        self._queue = queue.Queue()
        cmd = [routelab, "serve", scenario, "--control-port", "0", "--duration", str(duration_s), *extra_args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()
        deadline = time.monotonic() + ready_timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                raise RuntimeError("routelab serve was not ready within %ss:\n%s" % (ready_timeout_s, self.output()))
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                self.proc.wait(timeout=5)
                self._pump_thread.join(5)
                if self.proc.returncode == 3 and "Address already in use" in self.output():
                    raise AddressBusy(self.output())
                raise RuntimeError("routelab serve exited with %s before it was ready:\n%s"
                                   % (self.proc.returncode, self.output()))
            if line.startswith("node "):
                parts = line.split()
                self.nodes.append((parts[1], parts[2].rsplit(":", 1)[0]))
            elif line.startswith("control "):
                self.control_port = int(line.split(":")[2].split("/")[0])
            elif line == "ready":
                return

    def _pump(self):
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            self.lines.append(line)
            self._queue.put(line)
        self._queue.put(None)

    def wait_output(self, timeout_s=5):
        """After the process ended: waits until everything it printed is in `lines`."""
        self._pump_thread.join(timeout_s)

    def output(self):
        return "\n".join("  | " + line for line in self.lines)

    def http(self, method, path):
        request = urllib.request.Request("http://127.0.0.1:%d%s" % (self.control_port, path), method=method,
                                         data=b"" if method == "POST" else None)
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read().decode())

    def stop(self):
        """SIGTERM, then SIGKILL after 5 s; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return self.proc.returncode
