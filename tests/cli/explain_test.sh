#!/bin/sh
# `routelab explain` on the fixed ring of scenarios/explain_two_dc.toml: the plans for
# failover off/on, rack preference, LWT (twice: the order must not change) and a down
# node must match the reviewed golden output exactly; bad arguments exit 2.
set -u
bin=$1
src=$2
E="$bin explain $src/scenarios/explain_two_dc.toml --keyspace routelab --table kv --token 150"
actual=$( { $E; $E --policy-option permit_dc_failover=true; $E --policy-option local_rack=r2 --policy-option permit_dc_failover=true;
            $E --lwt --serial-consistency SERIAL --policy-option permit_dc_failover=true --repeat 2;
            $E --down dc1-r2 --policy-option permit_dc_failover=true; } 2>&1 )
if [ "$actual" != "$(cat "$src/tests/cli/golden/explain_two_dc.txt")" ]; then
  echo "explain output differs from tests/cli/golden/explain_two_dc.txt:"
  echo "$actual" | diff "$src/tests/cli/golden/explain_two_dc.txt" - || true
  exit 1
fi
$bin explain "$src/scenarios/explain_two_dc.toml" --keyspace nope --table kv --token 1 >/dev/null 2>&1
[ $? -eq 2 ] || { echo "unknown keyspace should exit 2"; exit 1; }
# Without --key and --token the request has no token: no replica comes first.
tokenless=$($bin explain "$src/scenarios/explain_two_dc.toml" --keyspace routelab --table kv 2>&1)
case "$tokenless" in *"for no token in routelab.kv"*) ;; *) echo "token-less request: $tokenless"; exit 1 ;; esac
echo "$tokenless" | grep -q replica && { echo "a token-less plan names replicas: $tokenless"; exit 1; }
# A profile's options and consistency apply; an unknown profile is refused.
by_profile=$($E --profile failover_rack)
by_flags=$($E --policy-option local_rack=r2 --policy-option permit_dc_failover=true)
[ "$(echo "$by_profile" | tail -n +2)" = "$(echo "$by_flags" | tail -n +2)" ] || { echo "profile plan differs: $by_profile"; exit 1; }
case "$by_profile" in *"(consistency LOCAL_QUORUM)"*) ;; *) echo "profile consistency not used: $by_profile"; exit 1 ;; esac
$E --profile nope >/dev/null 2>&1
[ $? -eq 2 ] || { echo "unknown profile should exit 2"; exit 1; }
json=$($E --format json)
case "$json" in
  '{"scenario":"explain-two-dc"'*'"reason":"local replica"'*) ;;
  *) echo "unexpected json: $json"; exit 1 ;;
esac
echo "explain: 1 passed, 0 failed"
