# The real Tomcat has more than 1,000 live threads: 1,250 producer threads
# (one per send, tomcat-server.stats.txt) and the server's own.  The
# thread-count finding must not count again the bytes of the thread groups
# found already (the producers and the workers' trace maps are suspects of
# their own): its retained size is what the other threads retain, by
# `heapscan threads` (another code path).  It says what the producers have
# in common (their class, the frames of Sender.run's park loop, the byte[]
# each holds) and estimates their native stacks at 1 MiB each.
d=$SAMPLES/tomcat-server.hprof.zst
stats=$SAMPLES/tomcat-server.stats.txt
producers=$(awk -F '\t' '$1 == "producer-threads" { print $2 }' "$stats")
[ "$producers" -gt 1000 ] || exit 1
"$HS" suspects --quiet --json "$d" > s.json || exit 1
"$HS" threads --quiet --json --no-stacks --top 0 "$d" > t.json || exit 1
total=$(sed -n 's/^  "threads_total": \([0-9]*\),$/\1/p' t.json)
# what the threads retain outside the two thread-group findings
beyond=$(python3 -c '
import json, re, sys
t = json.load(open(sys.argv[1]))["threads"]
print(sum(x["retained"] for x in t
          if not re.match(r"^(kafka-producer-network-thread \| producer-[0-9]+|http-nio-18080-exec-[0-9]+)$", x["thread"])))' t.json)
awk '/"kind": "thread-count"/,/"groups"/' s.json > tc.json
grep -qx "      \"members\": $total," tc.json || { echo "members, want $total" >&2; cat tc.json >&2; exit 1; }
grep -qx "      \"retained\": $beyond," tc.json || { echo "retained, want $beyond" >&2; cat tc.json >&2; exit 1; }
grep -qx "      \"native_stack_estimate\": $((total * 1048576))," tc.json || { cat tc.json >&2; exit 1; }
grep -qF "{\"pattern\":\"kafka-producer-network-thread | producer-*\",\"count\":$producers," s.json || exit 1
grep -F '"pattern":"kafka-producer-network-thread | producer-*"' s.json |
	grep -qF "\"class\":\"java.lang.Thread\",\"of_class\":$producers,\"frames\":\"Thread.run -> Sender.run -> LockSupport.park -> Unsafe.park\",\"holds\":\"byte[]\",\"holding\":$producers,\"in_findings\":$producers," ||
	{ grep -F kafka s.json >&2; exit 1; }
"$HS" suspects --quiet "$d" > out.txt || exit 1
n=$(grep -c '^Suspect ' out.txt)
grep -q "^Suspect $n: [0-9,]* live threads (more than 1,000), retaining .* beyond the other findings$" out.txt || { cat out.txt >&2; exit 1; }
grep -q "^  Outside the heap their stacks reserve about 1\.[0-9]* GB (an estimate: 1\.00 MB each, " out.txt || { cat out.txt >&2; exit 1; }
# the producers' finding is named by its number
p=$(sed -n 's/^Suspect \([0-9]*\): [0-9,]* threads "kafka-producer-network-thread | producer-\*" each hold .*/\1/p' out.txt)
grep -qF "kafka-producer-network-thread | producer-* (java.lang.Thread), all at Thread.run -> Sender.run -> LockSupport.park -> Unsafe.park, each holding a byte[] (all in suspect $p)" out.txt ||
	{ cat out.txt >&2; exit 1; }
