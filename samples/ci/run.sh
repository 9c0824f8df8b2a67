#!/bin/sh
# heapscan's CI example (README.md, "Use in CI"): runs the order service of
# src/ twice, once clean for the baseline and once with --leak (its response
# cache loses its bound), takes a heap dump of each with jcmd, keeps a
# snapshot of the baseline, and runs `heapscan check` with the rules of
# heapscan.rules on both dumps against that snapshot.  The first check
# passes, the second one fails and says which rules the leak breaks.
#
#   sh samples/ci/run.sh [--no-leak]
#
# --no-leak: the second run is clean too, and its check passes.
# Exit status: the larger of the two checks' (0 every rule held, 1 a rule
# was violated), 2 when the example could not run (no java, javac or jcmd,
# a JVM that did not start, a failed dump).  heapscan is $HEAPSCAN, else the
# one built in the top folder, else heapscan on the PATH.  Needs a JDK 11+
# (java, javac, jcmd); takes a few seconds.  The JVMs are killed and the
# temporary folder removed on exit.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=${TIMEOUT:-60}
leak=--leak
case "${1-}" in
--no-leak) leak="" ;;
"") ;;
*) echo "usage: sh samples/ci/run.sh [--no-leak]" >&2; exit 2 ;;
esac

if [ -n "${HEAPSCAN-}" ]; then
	case $HEAPSCAN in */*) HEAPSCAN=$(cd "$(dirname "$HEAPSCAN")" && pwd)/$(basename "$HEAPSCAN") ;; esac
elif [ -x "$here/../../heapscan" ]; then
	HEAPSCAN=$(cd "$here/../.." && pwd)/heapscan
else
	HEAPSCAN=heapscan
fi
for tool in java javac jcmd timeout "$HEAPSCAN"; do
	command -v "$tool" > /dev/null || { echo "run.sh: $tool not found" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/heapscan-ci.XXXXXX")
jvm=""
cleanup() {
	if [ -n "$jvm" ]; then
		kill -9 "$jvm" 2> /dev/null || true
		wait "$jvm" 2> /dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP PIPE

die() {
	echo "run.sh: $*" >&2
	exit 2
}

javac -d "$work/classes" "$here/src/com/example/orders/OrderService.java" \
	"$here/src/com/example/orders/cache/ResponseCache.java" || die "javac failed"
cp "$here/heapscan.rules" "$work/"
cd "$work"

# dump NAME [ARGS]: runs the service with ARGS, waits for its READY line,
# dumps its heap into NAME.hprof with jcmd and stops it.
dump() {
	name=$1
	shift
	set -- -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp classes \
		com.example.orders.OrderService --max-seconds "$TIMEOUT" "$@"
	echo "\$ java $*"
	mkfifo "$name.out"
	java "$@" > "$name.out" 2> "$name.err" &
	jvm=$!
	# the program's stdout, line by line, up to "READY PID"; end of file
	# means it died (it exits by itself after --max-seconds)
	exec 3< "$name.out"
	pid=""
	while IFS= read -r line <&3; do
		case $line in
		"READY "*) pid=${line#READY }; break ;;
		*) echo "  $line" ;;
		esac
	done
	[ -n "$pid" ] || { cat "$name.err" >&2; die "the service did not get ready"; }
	echo "\$ jcmd $pid GC.heap_dump $name.hprof"
	timeout "$TIMEOUT" jcmd "$pid" GC.heap_dump "$work/$name.hprof" > "$name.jcmd" 2>&1 &&
		grep -q 'Heap dump file created' "$name.jcmd" ||
		{ cat "$name.jcmd" >&2; die "jcmd GC.heap_dump failed"; }
	kill "$jvm" 2> /dev/null || true
	wait "$jvm" 2> /dev/null || true
	jvm=""
	exec 3<&-
}

# check NAME: heapscan check of NAME.hprof, its exit status in $status.
check() {
	echo "\$ heapscan check --rules heapscan.rules --baseline baseline.snap $1.hprof"
	status=0
	"$HEAPSCAN" check --rules heapscan.rules --baseline baseline.snap "$1.hprof" || status=$?
	case $status in
	0) echo "=> exit status 0: every rule holds" ;;
	1) echo "=> exit status 1: a rule is violated" ;;
	*) echo "=> exit status $status: heapscan failed" ;;
	esac
}

echo "== run 1: clean, the baseline"
dump baseline
echo "\$ heapscan snapshot baseline.hprof -o baseline.snap"
"$HEAPSCAN" snapshot baseline.hprof -o baseline.snap 2>&1 || die "heapscan snapshot failed"
check baseline
first=$status
echo
if [ -n "$leak" ]; then
	echo "== run 2: with --leak, the response cache has no bound"
else
	echo "== run 2: clean again"
fi
dump current $leak
check current
second=$status
if [ "$second" = 1 ]; then
	echo
	echo "\$ heapscan diff --top 5 baseline.snap current.hprof"
	"$HEAPSCAN" diff --top 5 baseline.snap current.hprof || die "heapscan diff failed"
fi
[ "$first" -ge 2 ] || [ "$second" -ge 2 ] && exit 2
[ "$first" -gt "$second" ] && exit "$first"
exit "$second"
