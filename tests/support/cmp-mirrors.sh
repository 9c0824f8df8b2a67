#!/bin/sh
# cmp-mirrors.sh MIRROR_SIZES [JVM flags...]
# Compares heapscan's size of every class object with the JVM's own: runs
# MirrorProbe.java (a -javaagent printing Instrumentation.getObjectSize of
# every loaded class, then dumping the heap) with the given flags, and
# MIRROR_SIZES (tests/mirror-sizes, built by `make check`) on that dump.
# Prints the classes whose sizes differ; fails when one does.  Needs a JDK
# (java, javac, jar) and takes a few seconds, so `make check` does not run
# it: run it by hand after changing the size model, e.g.
#   sh tests/support/cmp-mirrors.sh tests/mirror-sizes -XX:-UseCompressedOops
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ms=$1
shift
w=$(mktemp -d "${TMPDIR:-/tmp}/cmp-mirrors.XXXXXX")
trap 'rm -rf "$w"' EXIT
javac -d "$w" "$here/MirrorProbe.java"
printf 'Premain-Class: MirrorProbe\n' > "$w/manifest"
(cd "$w" && jar cfm probe.jar manifest ./*.class)
# -Xint: see MirrorProbe.java
java -Xint "$@" -javaagent:"$w/probe.jar" -cp "$w/probe.jar" MirrorProbe "$w/jvm.txt" "$w/dump.hprof" > /dev/null
# hidden classes: Foo$$Lambda$14/0x... for the JVM, +0x... in heapscan's names
"$ms" "$w/dump.hprof" | sed 's|+0x|/0x|' | sort > "$w/hs.txt"
sort "$w/jvm.txt" > "$w/jvm.sorted"
join "$w/jvm.sorted" "$w/hs.txt" | awk '
	{ n++; if ($2 == $3) same++; else printf "%s: jvm %d bytes, heapscan %d\n", $1, $2, $3 }
	END { printf "%d of %d class objects the same size\n", same, n; exit n == 0 || same != n }'
