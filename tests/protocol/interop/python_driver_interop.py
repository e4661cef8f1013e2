#!/usr/bin/python3
"""Checks our CQL codec against an outside implementation: the DataStax Python driver
(Debian's python3-cassandra 3.25, run with /usr/bin/python3).

1. Responses: cql_interop writes RESULT Rows (a column of every native type, collections,
   tuple, duration; tracing id, warnings and custom payload), Prepared, five error bodies,
   three events and the other response kinds. The driver's own decoders read every frame,
   must consume each body exactly, and must find the values cql_interop wrote.
2. Requests: the driver encodes STARTUP, OPTIONS, QUERY (values of many types serialized
   by the driver's cqltypes, every optional part, tracing and a custom payload), PREPARE,
   EXECUTE, BATCH, REGISTER and AUTH_RESPONSE; cql_interop decodes them and prints one
   canonical line each, which must equal the line expected here.

Usage: python_driver_interop.py PATH_TO_cql_interop
"""
import datetime
import io
import os
import struct
import subprocess
import sys
import tempfile
import uuid
from decimal import Decimal

from cassandra import WriteType, cqltypes, util
from cassandra.protocol import (ProtocolHandler, AuthResponseMessage, BatchMessage, ExecuteMessage, OptionsMessage,
                                PrepareMessage, QueryMessage, RegisterMessage, StartupMessage, _UNSET_VALUE,
                                read_bytesmap, read_stringlist)
from cassandra.query import BatchType

failures = []


def check(name, got, expected):
    if got != expected:
        failures.append("%s: got %r, expected %r" % (name, got, expected))


def frames(data):
    """Splits a byte stream into (version, flags, stream, opcode, body)."""
    at = 0
    while at < len(data):
        version, flags, stream, opcode, length = struct.unpack(">BBhBi", data[at:at + 9])
        yield version, flags, stream, opcode, data[at + 9:at + 9 + length]
        at += 9 + length


def decode(version, flags, stream, opcode, body):
    """The driver's decode_message, but checking that the body is consumed exactly."""
    f = io.BytesIO(body)
    trace_id = uuid.UUID(bytes=f.read(16)) if flags & 0x02 else None
    warnings = read_stringlist(f) if flags & 0x08 else None
    payload = read_bytesmap(f) if flags & 0x04 else None
    msg = ProtocolHandler.message_types_by_opcode[opcode].recv_body(f, version & 0x7F, {}, None)
    left = f.read()
    if left:
        failures.append("stream %d opcode %d: %d bytes left after the driver's decoder" % (stream, opcode, len(left)))
    msg.trace_id, msg.warnings, msg.custom_payload = trace_id, warnings, payload
    return msg


def check_responses(tool, tmp):
    path = os.path.join(tmp, "responses.bin")
    subprocess.run([tool, "write-responses", path], check=True)
    with open(path, "rb") as fh:
        msgs = [decode(*frame) for frame in frames(fh.read())]
    check("response count", len(msgs), 15)

    rows = msgs[0]
    check("rows kind", rows.kind, 2)
    check("rows trace id", rows.trace_id, uuid.UUID("a0a1a2a3-a4a5-11ee-8000-000000000001"))
    check("rows warnings", rows.warnings, ["Aggregation query used without partition key"])
    check("rows payload", rows.custom_payload, {"tablets-routing-v1": b"\x00\x01"})
    check("rows paging state", rows.paging_state, b"\x01\x02")
    check("rows column names", rows.column_names, ["c%d" % i for i in range(22)])
    check("rows column types", [t.cql_parameterized_type() for t in rows.column_types],
          ["int", "bigint", "smallint", "tinyint", "boolean", "double", "float", "varchar", "ascii", "blob", "uuid",
           "inet", "varint", "decimal", "timestamp", "date", "time", "duration", "list<int>", "set<varchar>",
           "map<varchar, bigint>", "frozen<tuple<int, varchar, boolean>>"])
    expected_row = (
        -42, 1234567890123, -7, 5, True, 2.5, -0.25, "h\u00e9llo", "plain", b"\xde\xad\xbe\xef",
        uuid.UUID("550e8400-e29b-41d4-a716-446655440000"), "127.0.0.3", -200, Decimal("123.45"),
        datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=1700000000123),
        util.Date(19000), util.Time(3723000000004), util.Duration(1, 2, 3000), [1, 2, 3], util.SortedSet(["a", "b"]),
        {"k": 9}, (7, "t", None))
    check("row count", len(rows.parsed_rows), 2)
    for i, (got, expected) in enumerate(zip(rows.parsed_rows[0], expected_row)):
        if isinstance(expected, dict):
            got = dict(got)
        check("row 0 column c%d" % i, got, expected)
    check("row 1 (all null)", rows.parsed_rows[1], (None,) * 22)

    prepared = msgs[1]
    check("prepared kind", prepared.kind, 4)
    check("prepared id", prepared.query_id, b"\x0b\xad\xf0\x0d")
    check("prepared pk indexes", prepared.pk_indexes, [1, 0])
    check("prepared bind names", [(c.keyspace_name, c.table_name, c.name, c.type.cql_parameterized_type())
                                  for c in prepared.bind_metadata],
          [("ks", "t", "b", "varchar"), ("ks", "t", "a", "int")])
    check("prepared result columns", [(c[2], c[3].cql_parameterized_type()) for c in prepared.column_metadata],
          [("v", "list<uuid>")])

    check("unavailable", (msgs[2].code, msgs[2].message, msgs[2].info),
          (0x1000, "not enough", {"consistency": 6, "required_replicas": 3, "alive_replicas": 1}))
    check("write timeout", (msgs[3].code, msgs[3].info["consistency"], msgs[3].info["received_responses"],
                            msgs[3].info["required_responses"], msgs[3].info["write_type"]),
          (0x1100, 4, 1, 2, WriteType.BATCH_LOG))
    check("read failure", (msgs[4].code, msgs[4].info["consistency"], msgs[4].info["received_responses"],
                           msgs[4].info["required_responses"], msgs[4].info["failures"], msgs[4].info["data_retrieved"]),
          (0x1300, 5, 2, 3, 1, True))
    check("already exists", (msgs[5].code, msgs[5].info), (0x2400, {"keyspace": "ks", "table": "t"}))
    check("unprepared", (msgs[6].code, msgs[6].info), (0x2500, b"\xca\xfe"))

    check("topology event", (msgs[7].event_type, msgs[7].event_args),
          ("TOPOLOGY_CHANGE", {"change_type": "NEW_NODE", "address": ("127.0.0.2", 9042)}))
    check("status event", (msgs[8].event_type, msgs[8].event_args),
          ("STATUS_CHANGE", {"change_type": "DOWN", "address": ("10.1.2.3", 19042)}))
    schema = msgs[9].event_args
    check("schema event", (msgs[9].event_type, schema["change_type"], schema["target_type"], schema["keyspace"],
                           schema["function"].name, schema["function"].argument_types),
          ("SCHEMA_CHANGE", "CREATED", "FUNCTION", "ks", "fn", ["int", "text"]))
    check("supported", (msgs[10].cql_versions, msgs[10].options),
          (["3.4.5"], {"COMPRESSION": ["lz4"], "SCYLLA_NR_SHARDS": ["4"]}))
    check("authenticate", msgs[11].authenticator, "org.apache.cassandra.auth.PasswordAuthenticator")
    check("auth success", msgs[12].token, "ok")  # the driver reads the token as a UTF-8 [long string]
    check("set keyspace", (msgs[13].kind, msgs[13].new_keyspace), (3, "routelab"))
    check("schema change result", (msgs[14].kind, msgs[14].schema_change_event),
          (5, {"target_type": "TABLE", "change_type": "UPDATED", "keyspace": "ks", "table": "t"}))


def check_requests(tool, tmp):
    t = cqltypes
    # (type name for cql_interop, serialized by the driver, canonical text cql_interop prints)
    typed = [
        ("int", t.Int32Type.serialize(-42, 4), "-42"),
        ("bigint", t.LongType.serialize(1234567890123, 4), "1234567890123"),
        ("smallint", t.ShortType.serialize(-7, 4), "-7"),
        ("tinyint", t.ByteType.serialize(5, 4), "5"),
        ("boolean", t.BooleanType.serialize(True, 4), "true"),
        ("double", t.DoubleType.serialize(2.5, 4), "2.5"),
        ("float", t.FloatType.serialize(-0.25, 4), "-0.25"),
        ("text", t.UTF8Type.serialize("h\u00e9llo", 4), "'h\u00e9llo'"),
        ("ascii", t.AsciiType.serialize("plain", 4), "'plain'"),
        ("blob", t.BytesType.serialize(b"\xde\xad", 4), "0xdead"),
        ("uuid", t.UUIDType.serialize(uuid.UUID("550e8400-e29b-41d4-a716-446655440000"), 4),
         "550e8400e29b41d4a716446655440000"),
        ("inet", t.InetAddressType.serialize("10.0.0.1", 4), "10.0.0.1"),
        ("varint", t.IntegerType.serialize(-200, 4), "varint(0xff38)"),
        ("decimal", t.DecimalType.serialize(Decimal("123.45"), 4), "decimal(2,0x3039)"),
        ("timestamp", t.DateType.serialize(1700000000123, 4), "1700000000123"),
        ("date", t.SimpleDateType.serialize(util.Date(19000), 4), str(2 ** 31 + 19000)),
        ("time", t.TimeType.serialize(util.Time(3723000000004), 4), "3723000000004"),
        ("duration", t.DurationType.serialize(util.Duration(1, -2, 3000), 4), "duration(1,-2,3000)"),
        ("list<int>", t.ListType.apply_parameters([t.Int32Type]).serialize([1, 2, 3], 4), "[1,2,3]"),
        ("set<text>", t.SetType.apply_parameters([t.UTF8Type]).serialize(["a", "b"], 4), "['a','b']"),
        ("map<text, bigint>", t.MapType.apply_parameters([t.UTF8Type, t.LongType]).serialize({"k": 9}, 4), "{'k':9}"),
        ("tuple<int, text, boolean>", t.TupleType.apply_parameters([t.Int32Type, t.UTF8Type, t.BooleanType])
         .serialize((7, "t", None), 4), "(7,'t',null)"),
    ]
    query_text = "TYPES " + ";".join(name for name, _, _ in typed)

    messages = []
    expected = []
    messages.append(StartupMessage(cqlversion="3.0.0", options={"COMPRESSION": "lz4", "DRIVER_NAME": "py"}))
    expected.append("STARTUP COMPRESSION=lz4 CQL_VERSION=3.0.0 DRIVER_NAME=py")
    messages.append(OptionsMessage())
    expected.append("OPTIONS")
    query = QueryMessage(query_text, consistency_level=6, serial_consistency_level=9, fetch_size=5000,
                         paging_state=b"\x01\x02", timestamp=1234567890)
    query.query_params = [v for _, v, _ in typed]
    query.tracing = True
    query.custom_payload = {"routelab-session": b"abc"}
    messages.append(query)
    expected.append("QUERY '%s' cl=6 values=[%s] page_size=5000 paging_state=0x0102 serial=9 timestamp=1234567890 "
                    "tracing payload:routelab-session=0x616263" % (query_text, ",".join(text for _, _, text in typed)))
    messages.append(PrepareMessage("SELECT * FROM ks.t WHERE k = ?"))
    expected.append("PREPARE 'SELECT * FROM ks.t WHERE k = ?'")
    messages.append(ExecuteMessage(query_id=b"\x0b\xad", query_params=[b"\x00\x00\x00\x01", None, _UNSET_VALUE],
                                   consistency_level=1, skip_meta=True, fetch_size=100))
    # Driver 3.25 keeps skip_meta but never sets the skip_metadata flag (0x02) on the wire.
    expected.append("EXECUTE 0x0bad cl=1 values=[0x00000001,null,unset] page_size=100")
    messages.append(BatchMessage(BatchType.UNLOGGED, [(False, "INSERT INTO t (k) VALUES (?)", [b"\x00\x00\x00\x01"]),
                                                      (True, b"\xca\xfe", [None])],
                                 consistency_level=4, serial_consistency_level=8, timestamp=42))
    expected.append("BATCH type=1 [query 'INSERT INTO t (k) VALUES (?)' 0x00000001] [id 0xcafe null] cl=4 serial=8 "
                    "timestamp=42")
    messages.append(RegisterMessage(["TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"]))
    expected.append("REGISTER TOPOLOGY_CHANGE STATUS_CHANGE SCHEMA_CHANGE")
    messages.append(AuthResponseMessage(b"\x00user\x00pass"))
    expected.append("AUTH_RESPONSE 0x" + b"\x00user\x00pass".hex())

    path = os.path.join(tmp, "requests.bin")
    with open(path, "wb") as fh:
        for stream, msg in enumerate(messages):
            fh.write(ProtocolHandler.encode_message(msg, stream, 4, None, False))
    out = subprocess.run([tool, "read-requests", path], check=True, capture_output=True).stdout.decode("utf-8")
    lines = out.splitlines()
    check("request count", len(lines), len(expected))
    for stream, (got, want) in enumerate(zip(lines, expected)):
        check("request %d" % stream, got, "stream=%d v=4 %s" % (stream, want))


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        check_responses(sys.argv[1], tmp)
        check_requests(sys.argv[1], tmp)
    for f in failures:
        print("FAIL " + f)
    if failures:
        return 1
    print("python driver interop: 15 responses and 8 requests agree with cassandra-driver %s"
          % __import__("cassandra").__version__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
