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
# a snapshot keeps the suspects above 10%: below that it cannot tell
"$HS" snapshot --quiet -o h.snap $h || fail "snapshot"
expect 2 "$HS" check --max-suspect 3 h.snap
hasx err "heapscan: --max-suspect: 'suspect <= 3%': h.snap keeps only the suspects above 10% of the heap: check the dump itself"
expect 0 "$HS" check --max-suspect 50 h.snap
finish
