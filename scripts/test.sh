#!/bin/sh
# Install, build and run the whole test suite: once as a normal build, once
# built with AddressSanitizer and UBSan (in build-asan/).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/build.sh
make -j"$(nproc)" check || { cat tests/*.log tests/*/*.log 2>/dev/null | tail -200; exit 1; }
if [ "${HS_NO_ASAN:-0}" != 1 ]; then
	mkdir -p build-asan
	(
		cd build-asan
		[ -f Makefile ] || ../configure -q --enable-sanitizers CFLAGS="-O1 -g"
		make -j"$(nproc)" >/dev/null
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 HS_TEST_SCALE=small \
			make -j"$(nproc)" check || { cat tests/*.log tests/*/*.log 2>/dev/null | tail -200; exit 1; }
	)
fi
