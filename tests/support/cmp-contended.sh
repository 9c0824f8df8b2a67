#!/bin/sh
# cmp-contended.sh HEAPSCAN [JVM flags...]
# Compares heapscan's instance sizes of the JDK's @Contended classes (and
# of subclasses of them) with the JVM's own: runs ContendedProbe.java (a
# -javaagent printing Instrumentation.getObjectSize of such objects, then
# dumping the heap) with the given flags, and `HEAPSCAN histogram` on that
# dump.  Prints every class with both sizes; fails when one differs.
# Needs a JDK (java, javac, jar; JAVA_HOME picks another one) and takes a
# few seconds, so `make check` does not run it: run it by hand after
# changing the size model, e.g.
#   sh tests/support/cmp-contended.sh ./heapscan
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 sh tests/support/cmp-contended.sh ./heapscan
# OpenJDK 17 agrees on every class (compressed oops on and off, 8 and 16-byte
# alignment); Temurin 25 on all but Thread and its subclasses, 8 to 16 bytes
# short there: fields that JDK injects into Thread, which heapscan does not
# model yet.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
hs=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
bin=${JAVA_HOME:+$JAVA_HOME/bin/}
w=$(mktemp -d "${TMPDIR:-/tmp}/cmp-contended.XXXXXX")
trap 'rm -rf "$w"' EXIT
"${bin}javac" -d "$w" "$here/ContendedProbe.java"
printf 'Premain-Class: ContendedProbe\n' > "$w/manifest"
(cd "$w" && "${bin}jar" cfm probe.jar manifest ./*.class)
"${bin}java" -Xint "$@" --add-opens java.base/java.util.concurrent=ALL-UNNAMED \
	--add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED \
	-javaagent:"$w/probe.jar" -cp "$w/probe.jar" ContendedProbe "$w/jvm.txt" "$w/dump.hprof" > /dev/null
"$hs" histogram --quiet --csv "$w/dump.hprof" > "$w/hs.csv"
sort -u "$w/jvm.txt" | awk -v csv="$w/hs.csv" '
	BEGIN { FS = ","; while ((getline l < csv) > 0) { split(l, f, ","); if (f[2] > 0) size[f[1]] = f[3] / f[2] } FS = " " }
	{ n++; hs = ($1 in size) ? size[$1] : 0; if (hs == $2) same++; else printf "DIFF "
	  printf "%s: jvm %d bytes, heapscan %d\n", $1, $2, hs }
	END { printf "%d of %d classes the same size\n", same, n; exit n == 0 || same != n }'
