# diff between two sample dumps (and their snapshots): class deltas checked
# against the JVM's own histograms, --csv and --json field names, --top,
# --match, the totals line, new suspects and new threads by name pattern;
# reachable heaps, thread counts and retained sizes checked against the
# brute-force reference (tests/support/hprof-ref.py).
. "$(dirname "$0")/assert.inc"
wants_python
h=s/healthy.hprof.zst
sc=s/static-cache.hprof.zst
tl=s/threadlocal-leak.hprof.zst
hdr=class,base_instances,new_instances,delta_instances,base_shallow,new_shallow,delta_shallow,base_retained,new_retained,delta_retained

# java.lang.Long: healthy has Long's cache of 256, static-cache its 3,000
# keys only (24 bytes each, leaves: retained = shallow); healthy's
# Customers are gone
hn=$(jcmd_count s/healthy.histo.txt java.lang.Long)
hb=$(jcmd_bytes s/healthy.histo.txt java.lang.Long)
sn=$(jcmd_count s/static-cache.histo.txt java.lang.Long)
sb=$(jcmd_bytes s/static-cache.histo.txt java.lang.Long)
cn=$(jcmd_count s/healthy.histo.txt 'Healthy$Customer')
cb=$(jcmd_bytes s/healthy.histo.txt 'Healthy$Customer')
"$HS" snapshot --quiet $h -o h.snap || fail "snapshot"
for base in $h h.snap; do
	expect 0 "$HS" diff --csv --top 0 --match '^(java\.lang\.Long|Healthy\$Customer)$' $base $sc
	same "$(sed -n 1p out)" "$hdr" "--csv header"
	hasx out "java.lang.Long,$hn,$sn,$((sn - hn)),$hb,$sb,$((sb - hb)),$hb,$sb,$((sb - hb))"
	has out "^Healthy\\\$Customer,$cn,0,-$cn,$cb,0,-$cb,[0-9]+,0,-[0-9]+$"
	same "$(wc -l < out)" 3 "--match rows"
done
# --match: every class of the program, as jcmd lists them
expect 0 "$HS" diff --csv --top 0 --match '^Healthy\$[A-Z]' $h $sc
same "$(sed 1d out | cut -d, -f1 | sort | tr '\n' ' ')" \
	"$(awk '$4 ~ /^Healthy\$[A-Z]/ { print $4 }' s/healthy.histo.txt | sort | tr '\n' ' ')" "Healthy classes"
# --top N: the N rows that grew most, by retained then shallow growth
expect 0 "$HS" diff --csv --top 7 $h $sc
same "$(wc -l < out)" 8 "--top 7 rows"
sed 1d out | awk -F, '{ print $10, $7 }' > growth
sort -s -k1,1nr -k2,2nr growth | cmp -s - growth || fail "--top rows not sorted by growth: $(cat growth)"
expect 0 "$HS" diff --csv --top 0 $h $sc
all=$(($(wc -l < out) - 1))
expect 0 "$HS" diff --top 0 $h $sc
same "$(sed '1,5d' out | grep -c '^ *[-+0]')" "$all" "text rows with --top 0"
expect 2 "$HS" diff --top x $h $sc
expect 2 "$HS" diff --match '(' $h $sc
expect 2 "$HS" diff $h

# --json: the same fields as --csv per class, the totals, suspects, threads
expect 0 "$HS" diff --json --top 2 $h $tl
same "$(grep -o '^    {"class":.*' out | head -1 | grep -o '"[a-z_]*":' | tr -d '":' | tr '\n' ',' | sed 's/,$//')" \
	"$hdr" "--json class fields"
same "$(grep -c '^    {"class":' out)" 2 "--json --top 2 rows"
same "$(grep -o '^  "[a-z_]*":' out | tr -d ' ":' | tr '\n' ' ')" \
	"schema command baseline dump base_reachable_bytes new_reachable_bytes delta_reachable_bytes base_reachable_objects new_reachable_objects delta_reachable_objects base_threads new_threads delta_threads classes suspects thread_patterns " \
	"--json top-level fields"
reachable_checked $h
hb=$R
reachable_checked $tl
tb=$R
hasx out "  \"delta_reachable_bytes\": $((tb - hb)),"
# the 8 workers: the sum of what each retains, by the reference
ref $tl retained-each 'thread:http-nio-8080-exec-*' > each
same "$(wc -l < each)" 8 "worker threads (ThreadLocalLeak.java: a pool of 8)"
w8=$(awk '{ b += $2 } END { print b }' each)
tpct=$(awk -v t="$tb" -v r="$w8" 'BEGIN { printf "%.4f", 100 * r / t }')
hasx out '    {"status":"new","kind":"threads","class":"java.lang.Thread","members":8,"retained":'"$w8"',"retained_pct":'"$tpct"',"base_retained":null,"delta_retained":'"$w8"',"holder":"thread http-nio-8080-exec-1","thread_pattern":"http-nio-8080-exec-*","through":"ThreadLocal ThreadLocalLeak$Trace.CONTEXT"}'
hasx out '    {"thread_pattern":"http-nio-8080-exec-*","base_threads":0,"new_threads":8,"delta_threads":8},'

# the text report: totals from histogram --live, the threads command
# (both checked against the reference)
ht=$("$HS" threads --csv --top 0 --quiet $h | sed 1d | wc -l | tr -d " ")
tt=$("$HS" threads --csv --top 0 --quiet $tl | sed 1d | wc -l | tr -d " ")
same "$ht $tt" "$(ref $h threads) $(ref $tl threads)" "threads of $h and $tl"
expect 0 "$HS" diff --top 3 h.snap $tl
hasx out "Base: h.snap"
hasx out "New:  $tl"
dobj=$(($(reachable_objects $tl) - $(reachable_objects $h)))
hh=$(human $hb)
th=$(human $tb)
hasx out "Reachable heap: $hh -> $th (+$(commas $((tb - hb))) bytes, +$(commas $dobj) objects); threads $ht -> $tt"
w8h=$(human $w8)
w8p=$(awk -v t="$tb" -v r="$w8" 'BEGIN { printf "%.1f", 100 * r / t }')
hasx out "New suspect: 8 threads \"http-nio-8080-exec-*\" retain $w8h ($w8p%), through ThreadLocal ThreadLocalLeak\$Trace.CONTEXT"
hasx out 'New threads: http-nio-8080-exec-* x8 (0 -> 8)'
# the live threads are those `threads` lists (1,500 producers, 3
# schedulers, the JVM's own, the compiler threads with no thread root);
# counts of 1,000 and more with separators, as in the other reports: the
# sample starts 1,500 kafka-producer-network-thread-N (ThreadExplosion.java)
xe=s/thread-explosion.hprof.zst
xt=$("$HS" threads --csv --top 0 --quiet $xe | sed 1d | wc -l | tr -d " ")
same "$xt" "$(ref $xe threads)" "threads of $xe"
# what the live threads retain together, by the reference
reachable_checked $xe
xr=$(ref $xe retained 'thread:*' | cut -d' ' -f2)
xrh=$(human "$xr")
xrp=$(awk -v t="$R" -v r="$xr" 'BEGIN { printf "%.1f", 100 * r / t }')
expect 0 "$HS" diff --top 1 $tl $xe
has out "; threads $tt -> $(commas "$xt")\$"
hasx out "New suspect: $(commas $xt) live threads retain $xrh ($xrp%)"
hasx out 'New threads: kafka-producer-network-thread-* x1,500 (0 -> 1,500)'
hasx out 'New threads: scheduler-* x3 (0 -> 3)'
finish
