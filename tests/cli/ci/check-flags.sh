# check's flags, each holding and violated, with the exact exit status
# (0 held, 1 violated, 2 error); the limits come from other sources than
# check itself: histogram --live, the threads command, and the contents
# samples/README.md gives by construction.
. "$(dirname "$0")/assert.inc"
tl=s/threadlocal-leak.hprof.zst
healthy=s/healthy.hprof.zst
sc=s/static-cache.hprof.zst

# --max-heap: the reachable heap, byte for byte
heap=$(reachable $tl)
same "$heap" 6538504 "reachable heap of $tl"
expect 0 "$HS" check --max-heap "${heap}B" $tl
hasx out "check $tl: 1 rule, 1 held, 0 violated"
expect 1 "$HS" check --max-heap "$((heap - 1))" $tl
has out "^FAIL heap <= $((heap - 1)) \(--max-heap\): measured $(commas $heap) bytes, limit $(commas $((heap - 1))) bytes; biggest: java\.lang\.Thread retaining 719 KB$"
hasx out "check $tl: 1 rule, 0 held, 1 violated"
expect 0 "$HS" check --max-heap 7MB $tl
expect 1 "$HS" check --max-heap 6MB $tl
expect 2 "$HS" check --max-heap 6XB $tl
has err "^heapscan: --max-heap: heap takes a size: 'heap <= 6XB'"

# --max-threads: the threads the threads command lists (17: the 8 workers,
# main and the JVM's 8: Reference Handler, Finalizer, Signal Dispatcher,
# Attach Listener, Notification Thread, Common-Cleaner, and the compiler
# threads C1 and C2, which have no thread root)
nthreads=$("$HS" threads --no-stacks --quiet $tl | grep -c '^"')
same "$nthreads" 17 "threads of $tl"
expect 0 "$HS" check --max-threads "$nthreads" $tl
expect 1 "$HS" check --max-threads "$((nthreads - 1))" $tl
hasx out 'FAIL threads <= 16 (--max-threads): measured 17, limit 16; biggest: 8 threads "http-nio-8080-exec-*"'
expect 2 "$HS" check --max-threads 1.5 $tl

# --max-suspect: the 8 threads retain 736,296 bytes each (samples/README.md:
# 735,784 through threadLocals, plus the Thread and its name): 90.09%;
# limits just above and just under it, to 0.01%
pct=$(awk -v h="$heap" 'BEGIN { printf "%.2f", 100 * 8 * 736296 / h }')
same "$pct" 90.09 "suspect percentage by construction"
hi=$(awk -v h="$heap" 'BEGIN { p = 100 * 8 * 736296 / h; printf "%.2f", int(p * 100 + 1) / 100 }')
lo=$(awk -v h="$heap" 'BEGIN { p = 100 * 8 * 736296 / h; printf "%.2f", int(p * 100) / 100 }')
expect 0 "$HS" check --max-suspect "$hi" $tl
expect 1 "$HS" check --max-suspect "$lo" $tl
expect 1 "$HS" check --max-suspect 90% $tl
hasx out 'FAIL suspect <= 90% (--max-suspect): measured 90.1%, limit 90.0%; biggest: 8 threads "http-nio-8080-exec-*" retaining 5.62 MB (each in a java.util.HashMap of 2,000 entries) through ThreadLocal ThreadLocalLeak$Trace.CONTEXT'
expect 0 "$HS" check --max-suspect 10 $healthy
expect 2 "$HS" check --max-suspect lots $tl

# --max-growth: healthy -> static-cache, from their reachable heaps
b=$(reachable $healthy)
n=$(reachable $sc)
grow=$((n - b))
gpct=$(awk -v b="$b" -v n="$n" 'BEGIN { printf "%.1f", 100 * (n - b) / b }')
same "$b $n $grow $gpct" "984136 6925688 5941552 603.7" "reachable heaps"
"$HS" snapshot --quiet $healthy -o healthy.snap || fail "snapshot"
for base in $healthy healthy.snap; do
	expect 0 "$HS" check --baseline $base --max-growth "${grow}B" $sc
	expect 1 "$HS" check --baseline $base --max-growth "$((grow - 1))B" $sc
	hasx out "FAIL total +$((grow - 1))B (--max-growth): measured +$(commas $grow) bytes, limit +$(commas $((grow - 1))) bytes; biggest: byte[] +5.77 MB (+287 instances)"
	expect 0 "$HS" check --baseline $base --max-growth 603.9% $sc
	expect 1 "$HS" check --baseline $base --max-growth +603.7% $sc
	hasx out "FAIL total +603.7% (--max-growth): measured +603.733%, limit +603.700%; biggest: byte[] +5.77 MB (+287 instances)"
	expect 0 "$HS" check --baseline $base --max-growth 0% $healthy
done
# a bare number: percent or bytes?  An error, not a guess
expect 2 "$HS" check --baseline healthy.snap --max-growth 10 $sc
hasx err "heapscan: --max-growth 10: a percentage or a size? write 10% or 10MB (10B for bytes)"
# growth needs a baseline
expect 2 "$HS" check --max-growth 10% $sc
hasx err "heapscan: --max-growth: growth rule 'total +10%' needs --baseline BASE"
# no rule at all
expect 2 "$HS" check $sc
has err "^heapscan: no rules: "
finish
