#!/bin/sh
# Benchmark heapscan on generated dumps: histogram throughput, and the full
# analysis (scan + graph + dominators + retained sizes) with its time, peak
# RSS and bytes of model per object; then VisualVM's heap library on the
# same dump for a ratio.  Not part of `make check`.
#
#   sh bench/run.sh [SIZE_MB ...]        default: 100 1000
#
# Dumps are made by bench/make-big-dump.sh and kept in $BENCH_DIR
# (default /tmp/heapscan-bench) for the next run.  Needs OpenJDK 17 and,
# for the comparison, the Debian package visualvm.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
HS=${HS:-$top/heapscan}
dir=${BENCH_DIR:-/tmp/heapscan-bench}
vvjar=/usr/share/visualvm/visualvm/modules/org-graalvm-visualvm-lib-jfluid-heap.jar
mkdir -p "$dir"
[ -x "$HS" ] || sh "$top/scripts/build.sh"
sizes=${*:-100 1000}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "heapscan: $("$HS" --version)"

measure() { # label, command...: prints wall seconds and peak RSS (KB)
	label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" > "$dir/out.txt" 2> "$dir/err.txt"
	read -r secs rss < "$dir/time.txt"
	echo "$label $secs $rss"
}

for mb in $sizes; do
	dump="$dir/heap-$mb.hprof"
	[ -f "$dump" ] || sh "$top/bench/make-big-dump.sh" "$mb" "$dump" >&2
	bytes=$(stat -c %s "$dump")
	cat "$dump" > /dev/null   # warm page cache
	echo
	echo "== dump of $(awk -v b="$bytes" 'BEGIN {printf "%.2f GB", b/1e9}') ($dump)"
	best=999999
	for i in 1 2 3; do
		set -- $(measure histogram "$HS" histogram --quiet "$dump")
		best=$(awk -v a="$best" -v b="$2" 'BEGIN {print (b < a) ? b : a}')
		hrss=$3
	done
	awk -v b="$bytes" -v s="$best" -v r="$hrss" 'BEGIN {
		printf "histogram:  %.2f s (best of 3), %.0f MB/s, peak RSS %.1f MB\n", s, b/1e6/s, r/1024 }'
	set -- $(measure dominators "$HS" dominators --quiet --stats --top 5 "$dump")
	secs=$2
	rss=$3
	objects=$(sed -n 's/^stats: \([0-9]*\) objects.*/\1/p' "$dir/err.txt")
	awk -v b="$bytes" -v s="$secs" -v r="$rss" -v n="$objects" 'BEGIN {
		printf "dominators: %.2f s (%.1f s/GB), peak RSS %.0f MB = %.0f%% of the dump, %.1f bytes/object (RSS), %d objects\n",
			s, s/(b/1e9), r/1024, 100*r*1024/b, r*1024/n, n }'
	grep '^stats: object graph' "$dir/err.txt" | sed 's/^stats: /            /'
	grep '^stats: time' "$dir/err.txt" | sed 's/^stats: /            /'
	head -6 "$dir/out.txt" | tail -3 | sed 's/^/            | /'
	if [ -f "$vvjar" ] && command -v javac > /dev/null; then
		mkdir -p "$dir/vv"
		[ -f "$dir/vv/VisualVMRetained.class" ] || javac -cp "$vvjar" -d "$dir/vv" "$top/bench/VisualVMRetained.java"
		set -- $(measure visualvm java -Xmx16g -cp "$vvjar:$dir/vv" VisualVMRetained "$dump" 5)
		awk -v a="$secs" -v s="$2" -v r="$3" 'BEGIN {
			printf "visualvm:   %.2f s, peak RSS %.0f MB (biggest objects by retained size); heapscan is %.1fx faster\n", s, r/1024, s/a }'
		sed -n '2,4p' "$dir/out.txt" | sed 's/^/            | /'
	else
		echo "visualvm:   skipped (apt-get install visualvm)"
	fi
done
