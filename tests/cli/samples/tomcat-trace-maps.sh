# The real Tomcat: each worker keeps a trace HashMap through a ThreadLocal
# that is never reset, and each has served a different number of requests.
# The finding says the spread (min to max, average; JSON also the median),
# not the biggest map's size as if all had it.  Truth: the map sizes the
# webapp itself reported just before the dump (tomcat-server.stats.txt).
stats=$SAMPLES/tomcat-server.stats.txt
awk -F '\t' '$1 == "trace-map" { print $3 }' "$stats" | sort -n > sizes
n=$(wc -l < sizes | tr -d ' ')
min=$(head -1 sizes)
max=$(tail -1 sizes)
med=$(sed -n "$(((n + 1) / 2))p" sizes)
avg=$(awk '{ s += $1 } END { printf "%d", (s + int(NR / 2)) / NR }' sizes)
commas() {
	echo "$1" | awk '{ s = $1; o = ""; while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) } print s o }'
}
[ "$n" -ge 10 ] && [ "$min" -lt "$max" ] || { echo "stats: $n workers, $min to $max" >&2; exit 1; }
d=$SAMPLES/tomcat-server.hprof.zst
"$HS" suspects --quiet "$d" > out.txt || exit 1
want="$n threads \"http-nio-18080-exec-*\" each hold a java.util.HashMap of $(commas "$min") to $(commas "$max") entries ($(commas "$avg") on average) through ThreadLocal com.example.payments.TraceFilter.CONTEXT: "
grep -qF "$want" out.txt || { echo "want: $want" >&2; cat out.txt >&2; exit 1; }
"$HS" suspects --quiet --json "$d" > s.json || exit 1
want="\"each\": {\"entries_min\":$min,\"entries_median\":$med,\"entries_max\":$max,\"entries_average\":$avg,"
grep -qF "$want" s.json || { echo "want: $want" >&2; grep -F '"each"' s.json >&2; exit 1; }
# check names the same spread when the group is the biggest suspect
"$HS" check --quiet --max-suspect 10 "$d" > check.txt
[ $? = 1 ] || exit 1
want="biggest: $n threads \"http-nio-18080-exec-*\" retaining "
grep -F "$want" check.txt | grep -qF "(each in a java.util.HashMap of $(commas "$min") to $(commas "$max") entries, $(commas "$avg") on average)" ||
	{ cat check.txt >&2; exit 1; }
