# The worked example of samples/ci: the order service run clean, then with
# its cache leaking; check passes on the first dump (exit 0) and fails on
# the second (exit 1) with the violated rules.  Needs a JDK: skipped
# without java, javac or jcmd.  About 3 s.
for tool in java javac jcmd; do
	command -v $tool > /dev/null || { echo "no $tool: skipped" >&2; exit 77; }
done
. "$(dirname "$0")/assert.inc"
mkdir tmp
HEAPSCAN=$HS TMPDIR=$T/tmp sh s/ci/run.sh > out 2> err
status=$?
same "$status" 1 "run.sh exit status ($(tail -3 err))"
# run 1 passes, run 2 fails, in that order
grep -E '^(== run|=> exit status)' out > steps
printf '%s\n' '== run 1: clean, the baseline' '=> exit status 0: every rule holds' \
	'== run 2: with --leak, the response cache has no bound' '=> exit status 1: a rule is violated' |
	cmp -s - steps || fail "the steps: $(cat steps)"
hasx out 'check baseline.hprof: 7 rules, 7 held, 0 violated'
hasx out 'check current.hprof: 7 rules, 2 held, 5 violated'
# the leak, by construction: 3,000 cached responses of 1,024 bytes
# (byte[1024]: 1,040 bytes), each with its ResponseCache$Entry (32),
# LinkedHashMap$Entry (40) and key String (24) with its bytes ("order-N":
# 24 bytes up to N = 99, 32 from 100), plus the map's table (4,096 slots:
# 16,400), the map (64) and the ResponseCache (24): 3,519,688 bytes,
# 3.36 MB
cache=$((3000 * (1040 + 32 + 40 + 24) + 100 * 24 + 2900 * 32 + 16400 + 64 + 24))
same "$cache" 3519688 "the cache by construction"
hasx out 'FAIL com.example.orders.cache.* <= 512KB (heapscan.rules:16): measured 3.36 MB, limit 512 KB; biggest: com.example.orders.cache.ResponseCache (3.36 MB retained)'
hasx out 'FAIL com.example.orders.cache.ResponseCache$Entry count <= 500 (heapscan.rules:17): measured 3,000, limit 500'
has out '^FAIL suspect <= 50% \(heapscan\.rules:21\): measured 8[0-9]\.[0-9]%, limit 50\.0%; biggest: class com\.example\.orders\.OrderService retaining 3\.[0-9]+ MB in a com\.example\.orders\.cache\.ResponseCache\$1 of 3,000 entries, held by static field com\.example\.orders\.OrderService\.responses$'
has out '^FAIL total \+25% \(heapscan\.rules:25\): measured \+[0-9.]+%, limit \+25\.0%; biggest: byte\[\] '
has out '^FAIL class com\.example\.\* \+256KB \(heapscan\.rules:26\): measured \+3\.[0-9]+ MB, limit \+256 KB; biggest: com\.example\.orders\.cache\.ResponseCache\$1 '
has out '^Grown suspect: class com\.example\.orders\.OrderService retains '
# the JVMs are gone, and the temporary folder
for pid in $(sed -n 's/^\$ jcmd \([0-9]*\) .*/\1/p' out); do
	! kill -0 "$pid" 2> /dev/null || fail "JVM $pid still runs"
done
same "$(ls tmp)" "" "left in TMPDIR"
finish
