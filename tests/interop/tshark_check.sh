#!/usr/bin/env bash
# Interop wire check: capture the loopback traffic of one Python-driver run against
# `routelab serve` (tcp port 9042) and let Wireshark's CQL dissector read it: zero
# malformed packets or expert errors (except the cells of global-table-spec Rows, which
# Wireshark 4.0 misreads — see below), CQL frames decoded, every handshake and
# prepared-statement opcode present.
#
# Usage: tshark_check.sh ROUTELAB SCENARIO PYTHON_TEST
# Exit 0 pass, 1 fail, 1 also when a capture is impossible here (no tshark, not
# root / no capture permission on lo) or the Python driver is missing — with the reason.
# The Python run pins protocol v4: the 4.0 dissector decodes only v3/v4 headers, and the
# driver's negotiation attempts (0x42, 0x41, v5) would read as unknown versions.
set -uo pipefail
routelab="${1:?routelab binary}"
scenario="${2:?scenario}"
python_test="${3:?python interop script}"

skip() { echo "CANNOT RUN: $*"; exit 1; }
command -v tshark >/dev/null || skip "tshark is not installed (Debian package tshark)"
/usr/bin/python3 -c 'import cassandra' 2>/dev/null || skip "the Python driver is not installed (python3-cassandra)"

work=$(mktemp -d)
capture_pid=""
cleanup() {
    [[ -n "$capture_pid" ]] && kill "$capture_pid" 2>/dev/null && wait "$capture_pid" 2>/dev/null
    if [[ -n "${ROUTELAB_KEEP_PCAP:-}" ]]; then cp "$pcap" "$ROUTELAB_KEEP_PCAP" 2>/dev/null; fi
    rm -rf "$work"
}
trap cleanup EXIT
pcap="$work/cql.pcapng"
chmod 777 "$work"   # dumpcap may drop privileges to write the file

# Start the capture and wait until it is live (dumpcap reports "Capturing on ..." on stderr).
timeout 70 tshark -i lo -f "tcp port 9042" -w "$pcap" >"$work/tshark.out" 2>"$work/tshark.err" &
capture_pid=$!
for _ in $(seq 1 100); do
    grep -q "Capturing on" "$work/tshark.err" 2>/dev/null && break
    if ! kill -0 "$capture_pid" 2>/dev/null; then
        skip "cannot capture on lo here: $(tr '\n' ' ' <"$work/tshark.err")"
    fi
    sleep 0.1
done
grep -q "Capturing on" "$work/tshark.err" || skip "tshark did not start capturing within 10 s: $(tr '\n' ' ' <"$work/tshark.err")"

/usr/bin/python3 "$python_test" --routelab "$routelab" --scenario "$scenario" --protocol-version 4 --quick --timeout 40
python_status=$?
sleep 0.5   # let the last packets reach the capture
kill -INT "$capture_pid" 2>/dev/null
wait "$capture_pid" 2>/dev/null
capture_pid=""
if [[ $python_status -ne 0 ]]; then
    echo "FAIL: the Python interop run failed (exit $python_status)"
    exit 1
fi
[[ -s "$pcap" ]] || { echo "FAIL: empty capture"; cat "$work/tshark.err"; exit 1; }

T=(tshark -n -r "$pcap")
# Wireshark 4.0's parse_row() ignores the global-table-spec flag of RESULT Rows, so it
# misreads the cells of every such result (the mock, like ScyllaDB, uses the global spec)
# and marks them malformed. Those are checked only up to their metadata; every other
# frame must dissect with no malformed mark and no expert error.
global_rows='cql.result.rows.flags.global_tables == 1'
packets=$("${T[@]}" 2>/dev/null | wc -l)
cql=$("${T[@]}" -Y cql 2>/dev/null | wc -l)
malformed_all=$("${T[@]}" -Y "_ws.malformed" 2>/dev/null | wc -l)
bad=$("${T[@]}" -Y "(_ws.malformed || _ws.expert.severity >= 0x00800000) && !($global_rows)" 2>/dev/null | wc -l)
global=$("${T[@]}" -Y "$global_rows" 2>/dev/null | wc -l)
global_without_columns=$("${T[@]}" -Y "$global_rows && !(cql.result.rows.column_count > 0)" 2>/dev/null | wc -l)
opcodes=$("${T[@]}" -Y cql -T fields -e cql.opcode 2>/dev/null | tr ',' '\n' | sort -n | uniq -c | awk '{printf "%s×%s ", $2, $1}')
echo "capture: $packets packets, $cql with CQL (opcodes: $opcodes)"
echo "malformed: $malformed_all, of which outside global-spec Rows (or expert errors): $bad; global-spec Rows: $global"
fail=0
if [[ "$bad" -ne 0 ]]; then
    echo "FAIL: malformed CQL frames:"
    "${T[@]}" -Y "(_ws.malformed || _ws.expert.severity >= 0x00800000) && !($global_rows)" -V 2>/dev/null |
        grep -E "^Frame|Opcode|Malformed|Expert" | head -40
    fail=1
fi
if [[ "$global_without_columns" -ne 0 ]]; then
    echo "FAIL: $global_without_columns global-spec Rows results whose metadata did not dissect"
    fail=1
fi
if [[ "$cql" -eq 0 ]]; then
    echo "FAIL: no CQL frame decoded"
    fail=1
fi
for op in 1 5 6 2 9 10 8; do   # STARTUP OPTIONS SUPPORTED READY PREPARE EXECUTE RESULT
    if [[ $("${T[@]}" -Y "cql.opcode == $op" 2>/dev/null | wc -l) -eq 0 ]]; then
        echo "FAIL: no frame with opcode $op"
        fail=1
    fi
done
[[ $fail -eq 0 ]] && echo "PASSED: $cql CQL packets, none malformed outside global-spec Rows"
exit $fail
