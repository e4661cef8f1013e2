"""A minimal CQL v4 client on raw sockets, for tests that need to send exactly the bytes
they mean (bad frames) or that must not depend on a driver. Standard library only."""
import socket
import struct

OPTIONS, STARTUP, QUERY, ERROR, READY, SUPPORTED = 0x05, 0x01, 0x07, 0x00, 0x02, 0x06
PROTOCOL_ERROR = 0x000A


def frame(opcode, body=b"", stream=0, version=0x04, length=None):
    return struct.pack(">BBhBi", version, 0, stream, opcode, len(body) if length is None else length) + body


def string_map(entries):
    out = struct.pack(">H", len(entries))
    for k, v in entries.items():
        out += struct.pack(">H", len(k)) + k.encode() + struct.pack(">H", len(v)) + v.encode()
    return out


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_frame(sock):
    header = read_exact(sock, 9)
    if header is None:
        return None
    version, flags, stream, opcode, length = struct.unpack(">BBhBi", header)
    body = read_exact(sock, length)
    return version, stream, opcode, body


def connect(address):
    sock = socket.create_connection((address, 9042), timeout=5)
    sock.settimeout(5)
    return sock


def started(address):
    sock = connect(address)
    sock.sendall(frame(STARTUP, string_map({"CQL_VERSION": "3.0.0"})))
    reply = read_frame(sock)
    assert reply is not None and reply[2] == READY, "STARTUP should be answered with READY, got %r" % (reply,)
    return sock


def query(sock, text, stream=1, consistency=1):
    """Sends QUERY (no values) and returns (opcode, body) of the answer."""
    body = struct.pack(">i", len(text.encode())) + text.encode() + struct.pack(">HB", consistency, 0)
    sock.sendall(frame(QUERY, body, stream=stream))
    reply = read_frame(sock)
    return (reply[2], reply[3]) if reply else (None, b"")


def error_code(body):
    return struct.unpack(">i", body[:4])[0] if len(body) >= 4 else None
