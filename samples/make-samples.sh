#!/bin/sh
# Make the sample heap dumps of samples/ from the Java programs of
# samples/java/ (what each holds: samples/README.md).  For each program it
# starts a JVM, waits for READY, writes the JVM's own histogram of live
# objects (jcmd GC.class_histogram) to samples/NAME.histo.txt, then dumps the
# live heap (jcmd GC.heap_dump) and stores it as samples/NAME.hprof.zst
# (zstd -19).  Basic is also dumped by jcmd in gzip (basic-gz.hprof.gz) and
# run again without compressed oops and with 16-byte object alignment.
# Healthy is also run without compressed class pointers (16-byte object
# headers), with and without compressed oops: healthy-nocp and
# healthy-nocp-nocoops.
#
#   sh samples/make-samples.sh [NAME ...]     default: all of them
#
# NAME: basic threadlocal-leak thread-explosion static-cache
# classloader-leak shared-sessions collection-sizes healthy healthy-nocp
# healthy-nocp-nocoops pileups waste.  Needs OpenJDK 17 (java, javac, jcmd) and zstd.
# Re-runnable: the outputs are overwritten; each step times out after
# $TIMEOUT seconds (default 120) and the JVMs are killed on exit.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=${TIMEOUT:-120}
all="basic threadlocal-leak thread-explosion static-cache classloader-leak shared-sessions collection-sizes healthy healthy-nocp healthy-nocp-nocoops pileups waste"
names=${*:-$all}
for n in $names; do
	case " $all " in *" $n "*) ;; *) echo "make-samples: unknown sample '$n' (one of: $all)" >&2; exit 2 ;; esac
done
for tool in java javac jcmd zstd timeout; do
	command -v $tool > /dev/null || { echo "make-samples: $tool not found" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/heapscan-samples.XXXXXX")
jvms=""      # pids of the JVMs started and not yet stopped
cleanup() {
	for p in $jvms; do
		kill -9 "$p" 2> /dev/null || true
	done
	rm -rf "$work" "$here"/.*.tmp
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

die() {
	echo "make-samples: $*" >&2
	exit 1
}

# Everything into $work: the programs in classes/, the plugin in plugin/,
# off the class path so that ClassLoaderLeak's loaders define it themselves.
javac -d "$work/classes" "$here"/java/*.java
javac -d "$work/plugin" "$here/java/plugin/LeakedPlugin.java"

# start LOG CLASS [JVM flags...] [-- program args...]: starts the JVM in the
# background and sets $pid once it has printed its PID and READY.
start() {
	log=$1 cls=$2
	shift 2
	flags="" pargs=""
	while [ $# -gt 0 ] && [ "$1" != -- ]; do flags="$flags $1"; shift; done
	[ $# -gt 0 ] && shift
	pargs="$*"
	echo "  java$flags -cp CLASSES $cls $pargs"
	# shellcheck disable=SC2086
	java $flags -cp "$work/classes" "$cls" $pargs > "$work/$log.out" 2> "$work/$log.err" &
	pid=$!
	jvms="$jvms $pid"
	ticks=0
	until grep -qx READY "$work/$log.out" 2> /dev/null; do
		if ! kill -0 "$pid" 2> /dev/null; then
			cat "$work/$log.err" >&2
			die "$cls exited before READY"
		fi
		ticks=$((ticks + 1))
		[ $ticks -le $((TIMEOUT * 5)) ] || die "$cls: no READY after $TIMEOUT s"
		sleep 0.2
	done
	printed=$(head -1 "$work/$log.out")
	[ "$printed" = "$pid" ] || die "$cls printed PID '$printed', started as $pid"
}

# stop: kills the JVM started last.
stop() {
	kill "$pid" 2> /dev/null || true
	wait "$pid" 2> /dev/null || true
	rest=""
	for p in $jvms; do [ "$p" = "$pid" ] || rest="$rest $p"; done
	jvms=$rest
}

# jcmd_to FILE COMMAND...: runs jcmd on $pid, its output into FILE.
jcmd_to() {
	out=$1
	shift
	timeout "$TIMEOUT" jcmd "$pid" "$@" > "$out" 2>&1 || { cat "$out" >&2; die "jcmd $pid $* failed"; }
}

# histogram NAME: the JVM's histogram of live objects (a full GC first).
histogram() {
	jcmd_to "$work/$1.histo" GC.class_histogram
	grep -q '^ *num  *#instances  *#bytes  *class name (module)$' "$work/$1.histo" ||
		{ cat "$work/$1.histo" >&2; die "$1: jcmd GC.class_histogram gave no histogram"; }
	grep -q '^Total ' "$work/$1.histo" || die "$1: histogram without its Total line"
	cp "$work/$1.histo" "$here/.$1.histo.txt.tmp"
	mv -f "$here/.$1.histo.txt.tmp" "$here/$1.histo.txt"
}

# dump FILE [options]: jcmd GC.heap_dump of the live objects into FILE.
dump() {
	file=$1
	shift
	rm -f "$file"
	jcmd_to "$work/dump.log" GC.heap_dump "$@" "$file"
	if ! grep -q 'Heap dump file created' "$work/dump.log" || ! [ -s "$file" ]; then
		cat "$work/dump.log" >&2
		die "jcmd GC.heap_dump $* $file failed"
	fi
}

sizes="$work/sizes"
: > "$sizes"
# store NAME RAW OUT: compresses the dump RAW into samples/OUT (zstd -19),
# or copies it when it is compressed already; notes the sizes.
store() {
	tmp=$here/.$3.tmp     # then renamed: no half-written sample when stopped
	case $3 in
	*.zst) timeout "$TIMEOUT" zstd -19 -q -f "$2" -o "$tmp" || die "zstd $2 failed" ;;
	*) cp "$2" "$tmp" ;;
	esac
	chmod 644 "$tmp"      # jcmd writes its dumps 0600
	mv -f "$tmp" "$here/$3"
	case $3 in
	*.gz) raw=$(gzip -dc "$2" | wc -c) ;;
	*) raw=$(wc -c < "$2") ;;
	esac
	echo "$3 $raw $(wc -c < "$here/$3")" >> "$sizes"
	rm -f "$2"
}

# sample NAME CLASS [JVM flags...] [-- program args...]: the usual sample.
sample() {
	name=$1
	echo "$name:"
	shift
	start "$name" "$@"
	histogram "$name"
	dump "$work/$name.hprof"
	stop
	store "$name" "$work/$name.hprof" "$name.hprof.zst"
}

base="-Xmx64m -XX:+UseSerialGC"
# shellcheck disable=SC2086 # $base is split into flags on purpose
for n in $names; do
	case $n in
	basic)
		echo "basic (and basic-gz):"
		start basic Basic $base
		histogram basic
		dump "$work/basic.hprof"
		dump "$work/basic-gz.hprof.gz" -gz=6
		stop
		store basic "$work/basic.hprof" basic.hprof.zst
		store basic-gz "$work/basic-gz.hprof.gz" basic-gz.hprof.gz
		sample basic-nocoops Basic $base -XX:-UseCompressedOops
		sample basic-align16 Basic $base -XX:ObjectAlignmentInBytes=16
		;;
	threadlocal-leak) sample "$n" ThreadLocalLeak $base ;;
	thread-explosion) sample "$n" ThreadExplosion $base -Xss256k ;;
	static-cache) sample "$n" StaticCache $base ;;
	classloader-leak) sample "$n" ClassLoaderLeak $base -- "$work/plugin" ;;
	shared-sessions) sample "$n" SharedSessions $base ;;
	collection-sizes) sample "$n" CollectionSizes $base ;;
	healthy) sample "$n" Healthy $base ;;
	healthy-nocp) sample "$n" Healthy $base -XX:-UseCompressedClassPointers ;;
	healthy-nocp-nocoops)
		sample "$n" Healthy $base -XX:-UseCompressedClassPointers -XX:-UseCompressedOops ;;
	pileups) sample "$n" Pileups $base ;;
	waste) sample "$n" Waste $base ;;
	esac
done

echo
awk 'BEGIN { printf "%-28s %14s %12s\n", "file", "hprof bytes", "file bytes" }
{ printf "%-28s %14d %12d\n", $1, $2, $3; raw += $2; packed += $3 }
END { printf "%-28s %14d %12d\n", "total", raw, packed }' "$sizes"
