# 1,500 parked kafka-producer-network-thread-N threads: a thread-count finding
"$HS" suspects --quiet --json "$SAMPLES/thread-explosion.hprof.zst" > s.json || exit 1
grep -A8 '"kind": "thread-count"' s.json | grep -E '"members"'
grep -o '"pattern":"kafka-producer-network-thread-\*","count":[0-9]*' s.json
grep -c '"kind"' s.json
