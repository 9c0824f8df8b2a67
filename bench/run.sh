#!/bin/sh
# Benchmark heapscan on generated dumps: every command that builds the
# object graph, with 1 and 2 threads and with its arrays forced to files
# (--max-memory a quarter of the dump), as one table: wall and CPU
# seconds, seconds per GB, peak RSS, RSS as a share of the dump, bytes per
# object; histogram throughput; the index (DUMP.hsidx): its size, what
# writing it adds to the first command, and the second commands that read
# it; then VisualVM's heap library on the dumps up to 1.5 GB for a ratio.
# The runs of the first table build the graph (--no-index).  Not part of
# `make check`.
#
#   sh bench/run.sh [SIZE_MB ...]        default: 100 1000
#
# Dumps are made by bench/make-big-dump.sh and kept in $BENCH_DIR
# (default /tmp/heapscan-bench) for the next run.  Needs OpenJDK 17 and,
# for the comparison, the Debian package visualvm.  BENCH_COMMANDS limits
# the commands (default: all below).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
HS=${HS:-$top/heapscan}
dir=${BENCH_DIR:-/tmp/heapscan-bench}
vvjar=/usr/share/visualvm/visualvm/modules/org-graalvm-visualvm-lib-jfluid-heap.jar
mkdir -p "$dir"
[ -x "$HS" ] || sh "$top/scripts/build.sh"
sizes=${*:-100 1000}
commands=${BENCH_COMMANDS:-dominators suspects snapshot check diff threads path top-retained}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "heapscan: $("$HS" --version)"

# run LABEL CMD...: one measured run; prints "wall cpu rss_kb"
run() {
	/usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "$@" > "$dir/out.txt" 2> "$dir/err.txt" ||
		{ echo "failed: $*" >&2; tail -3 "$dir/err.txt" >&2; return 1; }
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$dir/time.txt"
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
		set -- $(run "$HS" histogram --quiet "$dump")
		best=$(awk -v a="$best" -v b="$1" 'BEGIN {print (b < a) ? b : a}')
		hrss=$3
	done
	awk -v b="$bytes" -v s="$best" -v r="$hrss" 'BEGIN {
		printf "histogram: %.2f s (best of 3), %.0f MB/s, peak RSS %.1f MB\n", s, b/1e6/s, r/1024 }'
	"$HS" dominators --quiet --no-index --stats --top 1 "$dump" > /dev/null 2> "$dir/stats.txt"
	objects=$(sed -n 's/^stats: \([0-9]*\) objects.*/\1/p' "$dir/stats.txt")
	sed -n 's/^stats: object graph/object graph/p' "$dir/stats.txt"
	[ -f "$dir/base-$mb.snap" ] || "$HS" snapshot --quiet --no-index "$dump" -o "$dir/base-$mb.snap" > /dev/null
	tid=$("$HS" top-retained --by-thread --csv --quiet --no-index --top 1 "$dump" | awk -F, 'NR == 2 { print $5 }')
	quarter=$((bytes / 4))
	printf '%-13s %-7s %-5s %7s %7s %6s %9s %6s %8s %8s\n' command threads spill wall_s cpu_s s/GB peak_MB "%dump" B/object "x_dom"
	domwall=""
	for c in $commands; do
		case $c in
		snapshot) args="snapshot -o $dir/out.snap" ;;
		check) args="check --max-suspect 99" ;;
		diff) args="diff $dir/base-$mb.snap" ;;
		path) args="path" ;;
		top-retained) args="top-retained --by-thread" ;;
		*) args=$c ;;
		esac
		extra=""
		[ "$c" = path ] && extra=$tid
		for cfg in "1 off" "2 off" "2 on"; do
			set -- $cfg
			t=$1
			spill=$2
			mm=""
			[ "$spill" = on ] && mm="--max-memory $quarter"
			# shellcheck disable=SC2086
			set -- $(run "$HS" $args --quiet --no-index --threads "$t" $mm "$dump" $extra) || continue
			[ "$c" = dominators ] && [ "$cfg" = "2 off" ] && domwall=$1
			awk -v c="$c" -v t="$t" -v sp="$spill" -v w="$1" -v u="$2" -v r="$3" -v b="$bytes" -v n="$objects" -v d="$domwall" 'BEGIN {
				printf "%-13s %-7s %-5s %7.2f %7.2f %6.2f %9.0f %5.0f%% %8.1f %8s\n", c, t, sp, w, u, w/(b/1e9), r/1024, 100*r*1024/b, r*1024/n,
					(d != "" && sp == "off" && t == 2) ? sprintf("%.2f", w/d) : "" }'
		done
	done
	# the index: written by the first command, read by the next ones
	idx="$dir/idx"
	rm -rf "$idx" && mkdir -p "$idx"
	set -- $(run "$HS" suspects --quiet --no-index "$dump")
	first=$1
	set -- $(run "$HS" suspects --quiet --index-dir "$idx" "$dump")
	isize=$(cat "$idx"/*.hsidx | wc -c)
	awk -v f="$first" -v w="$1" -v s="$isize" -v b="$bytes" 'BEGIN {
		printf "index: %.0f MB, %.1f%% of the dump; suspects writing it %.2f s, without %.2f s (+%.0f%%)\n", s/1e6, 100*s/b, w, f, 100*(w-f)/f }'
	printf '%-32s %7s %7s %9s %6s %8s\n' "second command (index read)" wall_s cpu_s peak_MB "%dump" "x_first"
	for c in "suspects" "threads" "dominators" "dominators --from $tid" "top-retained --by-thread" \
		"top-retained --by-class" "top-retained --by-classloader" "path $tid" "path --include-weak $tid"; do
		# shellcheck disable=SC2086
		set -- $(run "$HS" $c --quiet --index-dir "$idx" "$dump") || continue
		[ "$c" = dominators ] && dom2=$1
		awk -v c="$c" -v w="$1" -v u="$2" -v r="$3" -v b="$bytes" -v f="$first" 'BEGIN {
			printf "%-32s %7.2f %7.2f %9.0f %5.0f%% %8.2f\n", substr(c, 1, 32), w, u, r/1024, 100*r*1024/b, w/f }'
	done
	if [ -f "$vvjar" ] && command -v javac > /dev/null && [ "$bytes" -le 1500000000 ]; then
		mkdir -p "$dir/vv"
		[ -f "$dir/vv/VisualVMRetained.class" ] || javac -cp "$vvjar" -d "$dir/vv" "$top/bench/VisualVMRetained.java"
		# its first run makes cache files beside the dump (DUMP.hwcache),
		# which the second reads: each against heapscan's first and
		# second (index) dominators
		rm -rf "$dump.hwcache"
		set -- $(run java -Xmx16g -cp "$vvjar:$dir/vv" VisualVMRetained "$dump" 5)
		awk -v a="$domwall" -v s="$1" -v r="$3" 'BEGIN {
			printf "visualvm: %.2f s, peak RSS %.0f MB (biggest objects by retained size); heapscan dominators is %.1fx faster\n", s, r/1024, s/a }'
		set -- $(run java -Xmx16g -cp "$vvjar:$dir/vv" VisualVMRetained "$dump" 5)
		awk -v a="${dom2:-0}" -v s="$1" -v r="$3" 'BEGIN {
			printf "visualvm again (its cache files): %.2f s, peak RSS %.0f MB; heapscan dominators reading its index: %.2f s (%.1fx)\n", s, r/1024, a, (a > 0 ? s/a : 0) }'
	else
		echo "visualvm: skipped (apt-get install visualvm; dumps up to 1.5 GB)"
	fi
done
