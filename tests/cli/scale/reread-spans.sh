# Reading objects again (labels, paths, thread names) from the spans of a
# plain dump that hold them must give exactly what a whole pass gives:
# every command's output with the spans and with HEAPSCAN_NO_SPANS=1 (one
# whole pass per re-read, as before) must be the same, on real dumps whose
# labels and paths are known by the sample programs.  --stats must show
# that the spans were used, and how little they read.  --no-index: the
# re-reads are what is tested, not an index that saves them.
set -u
for s in threadlocal-leak shared-sessions classloader-leak thread-explosion; do
	zstd -q -dc "$SAMPLES/$s.hprof.zst" > "$s.hprof" || exit 1
	for cmd in "suspects --json" "threads --json" "dominators --json --depth 3 --top 5" \
		"top-retained --by-thread --json" "top-retained --by-object --json --top 30"; do
		# shellcheck disable=SC2086
		"$HS" $cmd --quiet --no-index "$s.hprof" > spans.out 2> spans.err || { cat spans.err; exit 1; }
		# shellcheck disable=SC2086
		HEAPSCAN_NO_SPANS=1 "$HS" $cmd --quiet --no-index "$s.hprof" > whole.out 2> whole.err || { cat whole.err; exit 1; }
		cmp -s spans.out whole.out || { echo "$s: $cmd differs"; diff spans.out whole.out | head; exit 1; }
		[ -s spans.out ] || { echo "$s: $cmd: no output"; exit 1; }
	done
	"$HS" snapshot --quiet --no-index "$s.hprof" -o spans.snap > /dev/null || exit 1
	HEAPSCAN_NO_SPANS=1 "$HS" snapshot --quiet --no-index "$s.hprof" -o whole.snap > /dev/null || exit 1
	cmp -s spans.snap whole.snap || { echo "$s: snapshots differ"; diff spans.snap whole.snap | head; exit 1; }
	# the spans were used: no whole re-read, each read of spans under half
	# the dump (thread-explosion's 1,510 thread names cover most of its 4 MB:
	# one whole pass is the rule there, and the output is the same)
	[ "$s" = thread-explosion ] && continue
	"$HS" suspects --quiet --no-index --stats "$s.hprof" > /dev/null 2> stats.txt || exit 1
	line=$(grep '^stats: read again:' stats.txt) || { cat stats.txt; exit 1; }
	set -- $(echo "$line" | sed 's/^stats: read again: \([0-9]*\) whole passes, \([0-9]*\) reads of spans, \([0-9]*\) bytes in spans$/\1 \2 \3/')
	[ $# = 3 ] && [ "$1" = 0 ] && [ "$2" -ge 1 ] && [ $(($3 * 2)) -lt $(($(wc -c < "$s.hprof") * $2)) ] ||
		{ echo "$s: spans not used: $line"; exit 1; }
done
# the labels in these outputs are real: the worker threads' names
grep -q '"http-nio-8080-exec-1"' spans.out 2> /dev/null || "$HS" threads --quiet threadlocal-leak.hprof | grep -q 'http-nio-8080-exec-1' || exit 1
echo ok
