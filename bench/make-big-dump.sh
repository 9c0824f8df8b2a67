#!/bin/sh
# Write a big, Tomcat-like heap dump for the benchmarks: runs
# samples/java/Big.java, which builds about SIZE_MB megabytes of live objects
# (200 threads http-nio-11010-exec-N keeping requests through a ThreadLocal,
# some 54 bytes per object), and dumps it with jcmd GC.heap_dump, uncompressed,
# into OUT.  The dump comes out about 1.4 times SIZE_MB.
#
#   sh bench/make-big-dump.sh SIZE_MB OUT.hprof
#
# Needs OpenJDK 17 (java, javac, jcmd).  JVM flags: -Xmx(2 SIZE_MB + 256)m
# -XX:+UseSerialGC, or $JVM_FLAGS when set (e.g. "-Xmx6g -XX:+UseG1GC":
# a G1 heap spread over regions, whose sparse ids a compact serial heap
# does not have).  Times out after $TIMEOUT seconds per step (default
# 300 + SIZE_MB / 2); the JVM is killed on exit.
set -eu
[ $# -eq 2 ] || { echo "usage: sh bench/make-big-dump.sh SIZE_MB OUT.hprof" >&2; exit 2; }
mb=$1
case $mb in '' | *[!0-9]*) echo "make-big-dump: SIZE_MB must be a whole number: $mb" >&2; exit 2 ;; esac
[ "$mb" -gt 0 ] || { echo "make-big-dump: SIZE_MB must be above 0" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
outdir=$(cd "$(dirname "$2")" && pwd) || { echo "make-big-dump: no folder for $2" >&2; exit 2; }
out=$outdir/$(basename "$2")     # absolute: jcmd writes relative to the JVM's folder
TIMEOUT=${TIMEOUT:-$((300 + mb / 2))}

work=$(mktemp -d "${TMPDIR:-/tmp}/heapscan-big.XXXXXX")
pid=""
cleanup() {
	[ -z "$pid" ] || kill -9 "$pid" 2> /dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
die() {
	echo "make-big-dump: $*" >&2
	exit 1
}

javac -d "$work" "$top/samples/java/Big.java"
xmx=$((2 * mb + 256))
flags=${JVM_FLAGS:--Xmx${xmx}m -XX:+UseSerialGC}
echo "java $flags Big $mb" >&2
# shellcheck disable=SC2086
java $flags -cp "$work" Big "$mb" > "$work/out" 2> "$work/err" &
pid=$!
ticks=0
until grep -qx READY "$work/out" 2> /dev/null; do
	kill -0 "$pid" 2> /dev/null || { cat "$work/err" >&2; pid=""; die "Big exited before READY"; }
	ticks=$((ticks + 1))
	[ $ticks -le $((TIMEOUT * 5)) ] || die "no READY from Big after $TIMEOUT s"
	sleep 0.2
done
cat "$work/err" >&2
[ "$(head -1 "$work/out")" = "$pid" ] || die "Big printed PID $(head -1 "$work/out"), started as $pid"
timeout "$TIMEOUT" jcmd "$pid" GC.heap_dump -overwrite "$out" > "$work/jcmd" 2>&1 || { cat "$work/jcmd" >&2; die "jcmd GC.heap_dump failed"; }
if ! grep -q 'Heap dump file created' "$work/jcmd" || ! [ -s "$out" ]; then
	cat "$work/jcmd" >&2
	die "jcmd GC.heap_dump failed"
fi
kill "$pid" 2> /dev/null || true
wait "$pid" 2> /dev/null || true
pid=""
echo "$out: $(wc -c < "$out") bytes" >&2
