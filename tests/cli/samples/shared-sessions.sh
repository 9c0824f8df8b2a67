# 2,000 SharedSessions$Session held both by the static REGISTRY map and by
# the listener list of the thread "event-dispatcher": no object dominates
# them, so they are a group suspect; their shortest paths meet in the
# dispatcher's ArrayList.  2,000 is the JVM's own count (histo.txt).
dump=$SAMPLES/shared-sessions.hprof.zst
n=$(awk '$4 == "SharedSessions$Session" { print $2 }' "$SAMPLES/shared-sessions.histo.txt")
[ "$n" = 2000 ] || { echo "histogram: $n sessions"; exit 1; }
"$HS" suspects --quiet "$dump" > out.txt || exit 1
grep -q '^Suspect 1: 2,000 instances of SharedSessions\$Session together retain ' out.txt &&
grep -q '^  Their paths from the GC roots meet at java.util.ArrayList (2,000 entries) @ 0x[0-9a-f]* (2,000 of 2,000 instances), held by thread event-dispatcher:$' out.txt &&
grep -q '^    "event-dispatcher" (Thread) .target -> SharedSessions\$Dispatcher .listeners -> java.util.ArrayList (2,000 entries)$' out.txt ||
	{ cat out.txt; exit 1; }
"$HS" suspects --quiet --json "$dump" > s.json || exit 1
grep -E '"(kind|members|meet)"' s.json
# what they retain: each a 4,096-byte buffer (a byte[] of 16 + 4,096 bytes)
grep -o '{"class":"byte\[\]","count":2000,"shallow":8224000}' s.json
# two distinct paths to a session: the dispatcher's list and the registry
"$HS" path --quiet --all 5 --class 'SharedSessions$Session' "$dump" > paths.txt || exit 1
grep '^Path [0-9]' paths.txt
grep -q 'static REGISTRY -> java.util.concurrent.ConcurrentHashMap' paths.txt &&
grep -q '\.listeners -> java.util.ArrayList' paths.txt || { cat paths.txt; exit 1; }
