#!/bin/sh
# Bootstrap, configure and build heapscan in the source tree.
set -eu
cd "$(dirname "$0")/.."
[ -x configure ] || autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
[ -f Makefile ] || ./configure -q CFLAGS="${CFLAGS:--O2 -g}"
make -j"$(nproc)" >/dev/null
