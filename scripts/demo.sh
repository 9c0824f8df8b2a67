#!/bin/sh
# Install, build, and show what holds the heap of a bundled sample dump:
# eight Tomcat-like worker threads each keeping a growing HashMap through a
# ThreadLocal (samples/README.md).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/build.sh
dump=samples/threadlocal-leak.hprof.zst
echo "\$ heapscan suspects $dump"
./heapscan suspects "$dump"
echo
echo "\$ heapscan top-retained --by-thread --top 10 $dump"
./heapscan top-retained --by-thread --top 10 "$dump"
echo
echo "\$ heapscan dominators --depth 2 --children 2 --top 3 $dump"
./heapscan dominators --depth 2 --children 2 --top 3 "$dump"
