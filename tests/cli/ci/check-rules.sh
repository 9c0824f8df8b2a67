# Every kind of rule in a rules file, once at its limit (holds: exit 0) and
# once just under it (violated: exit 1, one FAIL line naming file:line).
# The limits are independent of check: the JVM's own histograms
# (samples/*.histo.txt), histogram --live checked against the brute-force
# reference (tests/support/hprof-ref.py), the reference's thread counts and
# retained sizes, and what samples/README.md says the programs built.
. "$(dirname "$0")/assert.inc"
wants_python
tl=s/threadlocal-leak.hprof.zst
healthy=s/healthy.hprof.zst
sc=s/static-cache.hprof.zst

# static-cache: 3,000 Long keys, the only Longs (24 bytes, leaves: the
# retained size is the shallow one); healthy: the 256 of Long's cache
longs=$(jcmd_count s/static-cache.histo.txt java.lang.Long)
lbytes=$(jcmd_bytes s/static-cache.histo.txt java.lang.Long)
hlbytes=$(jcmd_bytes s/healthy.histo.txt java.lang.Long)
same "$longs $lbytes $hlbytes" "3000 72000 6144" "java.lang.Long in the jcmd histograms"
cust=$(jcmd_count s/healthy.histo.txt 'Healthy$Customer')
custb=$(jcmd_bytes s/healthy.histo.txt 'Healthy$Customer')
reachable_checked $sc
heap=$R
reachable_checked $healthy
hheap=$R
lgrow=$((lbytes - hlbytes))
# a growth in percent, rounded to 0.1 up (d = 0) or down (d = 1)
pct() {
	awk -v b="$1" -v n="$2" -v d="$3" 'BEGIN { p = 1000 * (n - b) / b; f = int(p);
		if (d == 0 && f < p) f++; if (d == 1 && f == p) f--; printf "%.1f", f / 10 }'
}
tgrow=$((heap - hheap))

# rules LIMIT-ADJUST: the rules, with each limit lowered by the argument
# (0: at the limit; 1: one unit under it; percentages: 0.1 under)
rules() {
	cat <<EOR
# every kind of rule; blank lines and comments are ignored

heap <= $((heap - $1))B
java.lang.Long count <= $((longs - $1))   # a comment after a rule
class java.lang.Long shallow <= $((lbytes - $1))B
java.lang.Long retained <= $((lbytes - $1))B
java.lang.Long <= $((lbytes - $1))B
total +$((tgrow - $1))B
total +$(pct "$hheap" "$heap" "$1")%
class java.lang.Long +$((lgrow - $1))B
	class java.lang.Long +$(pct "$hlbytes" "$lbytes" "$1")%
EOR
}
rules 0 > hold.rules
rules 1 > break.rules
# what the FAIL lines say, from the same sources
lo_pct=$(pct "$hheap" "$heap" 1)
t_msg=$(awk -v b="$hheap" -v n="$heap" -v l="$lo_pct" 'BEGIN { p = 100 * (n - b) / b;
	if (sprintf("%.1f", p) == sprintf("%.1f", l)) printf "measured \\+%.3f%%, limit \\+%.3f%%", p, l;
	else printf "measured \\+%.1f%%, limit \\+%.1f%%", p, l }' | sed 's/\./\\./g')
l_lo=$(pct "$hlbytes" "$lbytes" 1)
l_msg=$(awk -v b="$hlbytes" -v n="$lbytes" -v l="$l_lo" 'BEGIN { p = 100 * (n - b) / b;
	if (sprintf("%.1f", p) == sprintf("%.1f", l)) printf "measured +%.3f%%, limit +%.3f%%", p, l;
	else printf "measured +%.1f%%, limit +%.1f%%", p, l }')
lh=$(human $lbytes)
hlh=$(human $hlbytes)
expect 0 "$HS" check --rules hold.rules --baseline $healthy $sc
hasx out "check $sc: 9 rules, 9 held, 0 violated"
expect 1 "$HS" check --rules break.rules --baseline $healthy $sc
same "$(grep -c '^FAIL ' out)" 9 "FAIL lines"
# the app class loader holds the cache's class, which holds the map of
# 6,376,448 bytes (samples/README.md); it also retains class objects, which
# the reference does not size: its share is checked between the two
mb=$(sed -n 's/^FAIL heap <=.*; biggest: jdk\.internal\.loader\.ClassLoaders\$AppClassLoader retaining \([0-9.]*\) MB$/\1/p' out)
awk -v m="${mb:-0}" -v h="$heap" 'BEGIN { exit !(m * 1048576 >= 6376448 && (m - 0.005) * 1048576 <= h) }' ||
	fail "the app class loader retains '$mb' MB: not between the cache's 6,376,448 bytes and the heap"
hasx out "FAIL heap <= $((heap - 1))B (break.rules:3): measured $(commas $heap) bytes, limit $(commas $((heap - 1))) bytes; biggest: jdk.internal.loader.ClassLoaders\$AppClassLoader retaining $mb MB"
hasx out "FAIL java.lang.Long count <= $((longs - 1)) (break.rules:4): measured $(commas $longs), limit $(commas $((longs - 1)))"
hasx out "FAIL class java.lang.Long shallow <= $((lbytes - 1))B (break.rules:5): measured $(commas $lbytes) bytes, limit $(commas $((lbytes - 1))) bytes; biggest: java.lang.Long ($lh shallow)"
hasx out "FAIL java.lang.Long retained <= $((lbytes - 1))B (break.rules:6): measured $(commas $lbytes) bytes, limit $(commas $((lbytes - 1))) bytes; biggest: java.lang.Long ($lh retained)"
hasx out "FAIL java.lang.Long <= $((lbytes - 1))B (break.rules:7): measured $(commas $lbytes) bytes, limit $(commas $((lbytes - 1))) bytes; biggest: java.lang.Long ($lh retained)"
has out "^FAIL total \+$((tgrow - 1))B \(break\.rules:8\): measured \+$(commas $tgrow) bytes, limit \+$(commas $((tgrow - 1))) bytes; biggest: byte\[\] "
has out "^FAIL total \+$(echo "$lo_pct" | sed 's/\./\\./')% \(break\.rules:9\): $t_msg; biggest: byte\[\] "
hasx out "FAIL class java.lang.Long +$((lgrow - 1))B (break.rules:10): measured +$(commas $lgrow) bytes, limit +$(commas $((lgrow - 1))) bytes; biggest: java.lang.Long $hlh -> $lh retained"
hasx out "FAIL class java.lang.Long +$l_lo% (break.rules:11): $l_msg; biggest: java.lang.Long $hlh -> $lh retained"
hasx out "check $sc: 9 rules, 0 held, 9 violated"

# the same numbers exactly in --json
expect 0 "$HS" check --json --rules hold.rules --baseline $healthy $sc
has out '^  "ok": true,$'
same "$(json_measured out "heap <= ${heap}B")" "$heap" "heap, --json"
same "$(json_measured out "java.lang.Long count <= $longs")" "$longs" "Long count, --json"
same "$(json_measured out "class java.lang.Long shallow <= ${lbytes}B")" "$lbytes" "Long shallow, --json"
same "$(json_measured out "java.lang.Long retained <= ${lbytes}B")" "$lbytes" "Long retained, --json"
same "$(json_measured out "total +${tgrow}B")" "$tgrow" "total growth, --json"
same "$(json_measured out "class java.lang.Long +${lgrow}B")" "$lgrow" "Long growth, --json"

# threadlocal-leak: the threads, the suspect, what each thread holds (a
# HashMap of 2,000 entries retaining 735,648 bytes by construction), a
# class of the program (jcmd: 8 ThreadLocalLeak$Trace? no: count the
# workers' maps' small HashMaps: 8 x 2,000 + the 8 maps + the JDK's)
# the suspect: the 8 workers' 8 x 736,296 bytes of the reachable heap;
# limits just above and just under it, to 0.01%
# (each worker's retained size by the reference, as in check-flags.sh)
reachable_checked $tl
tlheap=$R
ref $tl retained-each 'thread:http-nio-8080-exec-*' > each
same "$(cut -d' ' -f2 each | sort -u | wc -l) $(wc -l < each)" "1 8" "the 8 workers retain alike: $(cat each)"
per=$(sed -n '1s/.* //p' each)
all8=$(human $((8 * per)))
nthreads=$(ref $tl threads)
sp_hi=$(awk -v h="$tlheap" -v r="$per" 'BEGIN { p = 100 * 8 * r / h; printf "%.2f", int(p * 100 + 1) / 100 }')
sp_lo=$(awk -v h="$tlheap" -v r="$per" 'BEGIN { p = 100 * 8 * r / h; printf "%.2f", int(p * 100) / 100 }')
sp_msg=$(awk -v h="$tlheap" -v r="$per" -v l="$sp_lo" 'BEGIN { p = 100 * 8 * r / h;
	if (sprintf("%.1f", p) == sprintf("%.1f", l)) printf "measured %.3f%%, limit %.3f%%", p, l;
	else printf "measured %.1f%%, limit %.1f%%", p, l }')
# the threads: the 8 workers, main and the JVM's (check-flags.sh)
cat > tl-hold.rules <<EOR
threads <= $nthreads
suspect <= $sp_hi%
thread-held <= 735648B
thread-held entries <= 2000
EOR
sed -e "s/^threads <= $nthreads\$/threads <= $((nthreads - 1))/" -e "s/$sp_hi%/$sp_lo%/" -e 's/735648B/735647B/' -e 's/2000$/1999/' tl-hold.rules > tl-break.rules
expect 0 "$HS" check --rules tl-hold.rules $tl
hasx out "check $tl: 4 rules, 4 held, 0 violated"
expect 1 "$HS" check --rules tl-break.rules $tl
hasx out "FAIL threads <= $((nthreads - 1)) (tl-break.rules:1): measured $nthreads, limit $((nthreads - 1)); biggest: 8 threads \"http-nio-8080-exec-*\""
hasx out "FAIL suspect <= $sp_lo% (tl-break.rules:2): $sp_msg; biggest: 8 threads \"http-nio-8080-exec-*\" retaining $all8 (each in a java.util.HashMap of 2,000 entries) through ThreadLocal ThreadLocalLeak\$Trace.CONTEXT"
held=$(human 735648)
hasx out "FAIL thread-held <= 735647B (tl-break.rules:3): measured 735,648 bytes, limit 735,647 bytes; biggest: thread \"http-nio-8080-exec-1\" holds a java.util.HashMap of 2,000 entries retaining $held"
hasx out "FAIL thread-held entries <= 1999 (tl-break.rules:4): measured 2,000, limit 1,999; biggest: thread \"http-nio-8080-exec-1\" holds a java.util.HashMap of 2,000 entries retaining $held"
hasx out "check $tl: 4 rules, 0 held, 4 violated"

# healthy: a class of the program, against jcmd's histogram
printf '%s\n' "Healthy\$Customer count <= $cust" "Healthy\$Customer shallow <= ${custb}B" > h.rules
expect 0 "$HS" check --rules h.rules $healthy
printf '%s\n' "Healthy\$Customer count <= $((cust - 1))" "Healthy\$Customer shallow <= $((custb - 1))B" > h.rules
expect 1 "$HS" check --rules h.rules $healthy
hasx out "check $healthy: 2 rules, 0 held, 2 violated"
finish
