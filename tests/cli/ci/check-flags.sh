# check's flags, each holding and violated, with the exact exit status
# (0 held, 1 violated, 2 error); the limits come from other sources than
# check itself: histogram --live checked against the brute-force reference
# (tests/support/hprof-ref.py, sized by the JVM's histograms), the
# reference's thread counts and retained sizes, and the contents
# samples/README.md gives by construction.
. "$(dirname "$0")/assert.inc"
wants_python
tl=s/threadlocal-leak.hprof.zst
healthy=s/healthy.hprof.zst
sc=s/static-cache.hprof.zst

# --max-heap: the reachable heap, byte for byte
reachable_checked $tl
heap=$R
# what each worker thread retains (the reference: the objects only it
# reaches; by construction 735,784 through threadLocals, samples/README.md,
# plus the Thread, its name and what else is its own)
ref $tl retained-each 'thread:http-nio-8080-exec-*' > each
same "$(wc -l < each)" 8 "worker threads (ThreadLocalLeak.java: a pool of 8)"
same "$(cut -d' ' -f2 each | sort -u | wc -l)" 1 "the 8 workers retain alike: $(cat each)"
per=$(sed -n '1s/.* //p' each)
[ "${per:-0}" -gt 735784 ] || fail "a worker retains $per bytes, not more than its threadLocals (735,784)"
expect 0 "$HS" check --max-heap "${heap}B" $tl
hasx out "check $tl: 1 rule, 1 held, 0 violated"
expect 1 "$HS" check --max-heap "$((heap - 1))" $tl
hasx out "FAIL heap <= $((heap - 1)) (--max-heap): measured $(commas $heap) bytes, limit $(commas $((heap - 1))) bytes; biggest: java.lang.Thread retaining $(human $per)"
hasx out "check $tl: 1 rule, 0 held, 1 violated"
expect 0 "$HS" check --max-heap 7MB $tl
expect 1 "$HS" check --max-heap 6MB $tl
expect 2 "$HS" check --max-heap 6XB $tl
hasx err "heapscan: --max-heap takes a size such as 512, 64K, 1.5G, not '6XB'"

# --max-threads: the threads the threads command lists (the 8 workers,
# main and the JVM's: Reference Handler, Finalizer, Signal Dispatcher,
# Attach Listener, Notification Thread, Common-Cleaner, and the compiler
# threads C1 and C2, which have no thread root): the reachable instances of
# Thread and its subclasses the reference counts
nthreads=$("$HS" threads --csv --top 0 --quiet $tl | sed 1d | wc -l | tr -d " ")
same "$nthreads" "$(ref $tl threads)" "threads of $tl"
expect 0 "$HS" check --max-threads "$nthreads" $tl
expect 1 "$HS" check --max-threads "$((nthreads - 1))" $tl
hasx out "FAIL threads <= $((nthreads - 1)) (--max-threads): measured $nthreads, limit $((nthreads - 1)); biggest: 8 threads \"http-nio-8080-exec-*\""
expect 2 "$HS" check --max-threads 1.5 $tl

# --max-suspect: the 8 threads retain $per bytes each, about 90% of the
# heap; limits just above and just under it, to 0.01%
hi=$(awk -v h="$heap" -v r="$per" 'BEGIN { p = 100 * 8 * r / h; printf "%.2f", int(p * 100 + 1) / 100 }')
lo=$(awk -v h="$heap" -v r="$per" 'BEGIN { p = 100 * 8 * r / h; printf "%.2f", int(p * 100) / 100 }')
p1=$(awk -v h="$heap" -v r="$per" 'BEGIN { printf "%.1f", 100 * 8 * r / h }')
all8=$(human $((8 * per)))
expect 0 "$HS" check --max-suspect "$hi" $tl
expect 1 "$HS" check --max-suspect "$lo" $tl
expect 1 "$HS" check --max-suspect 90% $tl
hasx out "FAIL suspect <= 90% (--max-suspect): measured $p1%, limit 90.0%; biggest: 8 threads \"http-nio-8080-exec-*\" retaining $all8 (each in a java.util.HashMap of 2,000 entries) through ThreadLocal ThreadLocalLeak\$Trace.CONTEXT"
expect 0 "$HS" check --max-suspect 10 $healthy
expect 2 "$HS" check --max-suspect lots $tl

# --max-growth: healthy -> static-cache, from their reachable heaps; the
# class that grew most is byte[], by the 3,000 byte[2048] of the cache
# (StaticCache.java): its reachable arrays by the reference
reachable_checked $healthy
b=$R
reachable_checked $sc
n=$R
grow=$((n - b))
# the growth in percent rounded to 0.1 up (g_hi: holds) and down (g_lo: violated)
g_hi=$(awk -v b="$b" -v n="$n" 'BEGIN { p = 1000 * (n - b) / b; f = int(p); if (f < p) f++; printf "%.1f", f / 10 }')
g_lo=$(awk -v b="$b" -v n="$n" 'BEGIN { p = 1000 * (n - b) / b; f = int(p); if (f == p) f--; printf "%.1f", f / 10 }')
g_msg=$(awk -v b="$b" -v n="$n" -v l="$g_lo" 'BEGIN { p = 100 * (n - b) / b;
	if (sprintf("%.1f", p) == sprintf("%.1f", l)) printf "measured +%.3f%%, limit +%.3f%%", p, l;
	else printf "measured +%.1f%%, limit +%.1f%%", p, l }')
set -- $(ref $healthy live '[B') $(ref $sc live '[B')
bb=$(human $(($6 - $3)))
bn=$(commas $(($5 - $2)))
bgrow="byte[] +$bb (+$bn instances)"
"$HS" snapshot --quiet $healthy -o healthy.snap || fail "snapshot"
for base in $healthy healthy.snap; do
	expect 0 "$HS" check --baseline $base --max-growth "${grow}B" $sc
	expect 1 "$HS" check --baseline $base --max-growth "$((grow - 1))B" $sc
	hasx out "FAIL total +$((grow - 1))B (--max-growth): measured +$(commas $grow) bytes, limit +$(commas $((grow - 1))) bytes; biggest: $bgrow"
	expect 0 "$HS" check --baseline $base --max-growth "$g_hi%" $sc
	expect 1 "$HS" check --baseline $base --max-growth "+$g_lo%" $sc
	hasx out "FAIL total +$g_lo% (--max-growth): $g_msg; biggest: $bgrow"
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
