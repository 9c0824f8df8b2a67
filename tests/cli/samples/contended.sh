# @Contended padding (the table in src/graph/layout.c) against jcmd's
# histogram of the same JVM (OpenJDK 17): ForkJoinPool's ctl is
# @Contended("fjpctl"), 336 bytes with the padding, 80 without; Thread's
# "tlr" group, 368 bytes, 112 without.
for pair in threadlocal-leak:java.util.concurrent.ForkJoinPool \
	    threadlocal-leak:java.lang.Thread thread-explosion:java.lang.Thread; do
	s=${pair%%:*} c=${pair#*:}
	"$HS" histogram --top 0 --quiet --csv "$SAMPLES/$s.hprof.zst" > h.csv || exit 1
	hs=$(awk -F, -v c="$c" '$1 == c { print $2, $3 }' h.csv)
	jvm=$(awk -v c="$c" '$4 == c { print $2, $3 }' "$SAMPLES/$s.histo.txt")
	echo "$s $c: heapscan ${hs:-none}, jcmd ${jvm:-none}"
	[ -n "$hs" ] && [ "$hs" = "$jvm" ] || bad=1
done
exit ${bad:-0}
