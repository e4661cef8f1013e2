#!/bin/sh
# Wireshark's CQL dissector reads the frames our encoder writes: zero malformed packets,
# zero expert errors, and the opcodes, stream ids and a few field values it decodes are
# the ones we wrote. Usage: tshark_check.sh WRITE_PCAP_BINARY
set -u
if ! command -v tshark >/dev/null 2>&1; then echo "tshark is not installed (scripts/setup.sh installs it)"; exit 1; fi
pcap=$(mktemp /tmp/routelab-tshark-XXXXXX.pcap)
trap 'rm -f "$pcap"' EXIT
"$1" "$pcap" || { echo "write_pcap failed"; exit 1; }
T="tshark -n -r $pcap -d tcp.port==9042,cql"
# The last frame carries a global table spec, whose cells Wireshark 4.0 misreads (its
# parse_row() ignores the flag): only its header and metadata are checked.
last=$($T 2>/dev/null | wc -l)
malformed=$($T -Y "(_ws.malformed || _ws.expert.severity >= 0x00800000) && frame.number != $last" 2>/dev/null | wc -l)
global_meta=$($T -Y "frame.number == $last" -T fields -e cql.result.rows.flags.global_tables -e cql.result.rows.column_count -e cql.result.rows.column_name -e cql.result.rows.row_count 2>/dev/null)
cells=$($T -Y 'cql.result.kind == 2 && cql.stream == 3' -T fields -e cql.bigint -e cql.varchar 2>/dev/null)
cql=$($T -Y cql 2>/dev/null | wc -l)
opcodes=$($T -Y cql -T fields -e cql.opcode 2>/dev/null | tr '\n' ' ')
streams=$($T -Y cql -T fields -e cql.stream 2>/dev/null | tr '\n' ' ')
query=$($T -Y 'cql.opcode == 7' -T fields -e cql.string 2>/dev/null | head -1)
rows=$($T -Y 'cql.result.kind == 2 && cql.stream == 3' -T fields -e cql.result.rows.row_count 2>/dev/null)
error_codes=$($T -Y 'cql.opcode == 0' -T fields -e cql.error_code 2>/dev/null | tr '\n' ' ')
echo "packets with CQL: $cql, malformed or expert errors: $malformed"
echo "opcodes: $opcodes"
echo "streams: $streams"
echo "query: $query"
echo "rows: $rows; cells: $cells; error codes: $error_codes"
echo "global-spec frame: $global_meta"
fail=0
[ "$malformed" -eq 0 ] || { echo "FAIL: malformed packets"; $T -Y '_ws.malformed || _ws.expert.severity >= 0x00800000' -V 2>/dev/null | head -60; fail=1; }
[ "$cql" -eq 29 ] || { echo "FAIL: expected 29 CQL packets"; fail=1; }
[ "$opcodes" = "5 6 1 2 11 2 7 8 9 8 10 8 13 0 7 8 7 8 10 0 10 0 7 0 12 12 12 7 8 " ] || { echo "FAIL: opcodes"; fail=1; }
case "$streams" in "0 0 1 1 2 2 3 3 4 4 5 5 6 6 7 7 8 8 9 9 10 10 11 11 -1 -1 -1 12 12 ") ;; *) echo "FAIL: streams"; fail=1 ;; esac
case "$cells" in "42,7	hi"*) ;; *) echo "FAIL: cell values"; fail=1 ;; esac
case "$global_meta" in "1	1	k"*"	1") ;; *) echo "FAIL: global-spec metadata"; fail=1 ;; esac
case "$query" in *"SELECT k, v FROM ks.kv WHERE k = ?"*) ;; *) echo "FAIL: query text"; fail=1 ;; esac
[ "$rows" = "2" ] || { echo "FAIL: row count"; fail=1; }
[ "$error_codes" = "4352 4096 9472 4608 " ] || { echo "FAIL: error codes"; fail=1; }
[ $fail -eq 0 ] && echo "tshark: 1 passed, 0 failed"
exit $fail
