# check --max-suspect PCT (the rule "suspect <= PCT%") below the suspects'
# usual threshold (10%) finds the suspects down to PCT, as suspects
# --threshold PCT does: healthy's LRU cache (samples/java/Healthy.java)
# keeps 200 entries of byte[128] under Integer keys 400..599, at least
# 64 (the cache) + 200 x (40 + 144 + 16) bytes, about 4% of its heap.
. "$(dirname "$0")/assert.inc"
h=s/healthy.hprof.zst
heap=$(reachable $h)
entry=$(jcmd_bytes s/healthy.histo.txt 'java.util.LinkedHashMap$Entry')
cache=$(jcmd_bytes s/healthy.histo.txt 'Healthy$LruCache')
same "$entry $cache" "8000 64" "the LRU cache's entries and itself in the jcmd histogram"
lb=$((cache + entry + 200 * (16 + 128) + 200 * 16))
pct=$(awk -v b=$lb -v h=$heap 'BEGIN { printf "%.2f", 100 * b / h }')
for limit in 3 4; do
	expect 1 "$HS" check --json --max-suspect $limit $h
	m=$(json_measured out "suspect <= $limit%")
	awk -v m="$m" -v p="$pct" 'BEGIN { exit !(m + 0 >= p + 0) }' ||
		fail "--max-suspect $limit: measured $m%, but the cache alone is $pct%"
done
printf 'suspect <= 3%%\n' > s.rules
expect 1 "$HS" check --rules s.rules $h
has out '^FAIL suspect <= 3% \(s.rules:1\): measured [0-9.]+%, limit 3.0%'
# a lower limit hides no suspect: shared-sessions' 2,000 sessions, each
# with its byte[4096] (samples/java/SharedSessions.java), are one suspect
# of their class, which a search for the objects above 1% of the heap
# alone would not see (each is 0.05%)
ss=s/shared-sessions.hprof.zst
sess=$(( $(jcmd_bytes s/shared-sessions.histo.txt 'SharedSessions$Session') + 2000 * (16 + 4096) ))
spct=$(awk -v b=$sess -v h=$(reachable $ss) 'BEGIN { printf "%.2f", 100 * b / h }')
for limit in 50 1 0.1; do
	expect 1 "$HS" check --json --max-suspect $limit $ss
	m=$(json_measured out "suspect <= $limit%")
	awk -v m="$m" -v p="$spct" 'BEGIN { exit !(m + 0 >= p + 0) }' ||
		fail "--max-suspect $limit: measured $m%, but the sessions alone are $spct%"
done
# the same on a synthetic dump (tests/mkdump thread-subclasses): the 5
# TaskThreads, 6% of the heap each, are 30% together; a search for the
# objects above 5% alone would find each on its own, and Unrelated's 16%
"$MKDUMP" thread-subclasses t.hprof || fail "mkdump"
tt=$("$HS" histogram --top 0 --live --quiet --csv t.hprof | awk -F, '$1 == "TaskThread" { print $3 }')
"$HS" check --quiet --json --max-heap 1B t.hprof > heap.json
th=$(json_measured heap.json 'heap <= 1B')   # with the class objects
tpct=$(awk -v b="$tt" -v h="$th" 'BEGIN { printf "%.4f", 100 * b / h }')
same "$tt $tpct" "120 30.0000" "TaskThread's bytes and share of the heap"
expect 1 "$HS" check --json --max-suspect 5 t.hprof
same "$(json_measured out 'suspect <= 5%')" 30 "--max-suspect 5 on the thread-subclasses dump"
expect 2 "$HS" check --max-suspect 0.05 $ss
hasx err "heapscan: --max-suspect: suspect takes a percentage from 0.1% to 100%: 'suspect <= 0.05%' (see RULES in heapscan(1))"
# a snapshot keeps the suspects above 10%: below that it cannot tell
"$HS" snapshot --quiet -o h.snap $h || fail "snapshot"
expect 2 "$HS" check --max-suspect 3 h.snap
hasx err "heapscan: --max-suspect: 'suspect <= 3%': h.snap keeps only the suspects above 10% of the heap: check the dump itself"
expect 0 "$HS" check --max-suspect 50 h.snap
finish
