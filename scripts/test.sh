#!/bin/sh
# Install, build and run the whole test suite: once as a normal build, once
# built with AddressSanitizer and UBSan (in a copy of the sources under
# build-asan/, since automake will not configure a second build next to an
# in-tree one), then, when clang is installed, run each fuzz target for a
# short while (HS_FUZZ_TIME seconds, default 20; built in build-fuzz/): a
# finding fails the run.  HS_NO_ASAN=1 and HS_NO_FUZZ=1 skip those steps.
set -eu
cd "$(dirname "$0")/.."
top=$PWD
sh scripts/install-deps.sh
sh scripts/build.sh
copy_sources() { # the sources into DIR/src, fresh
	rm -rf "$1"
	mkdir -p "$1/src"
	git ls-files -z 2>/dev/null | xargs -0 -I{} cp --parents {} "$1/src/" 2>/dev/null ||
		tar --exclude=./build-asan --exclude=./build-fuzz --exclude=./.git -cf - . | (cd "$1/src" && tar -xf -)
}
summary() { # the Check summaries and one closing line for CI
	grep -h "^[0-9]*%: Checks:" "$1"/tests/unit/*.log "$1"/tests/fuzz/*.log 2>/dev/null || true
	grep -h "^cli: " "$1"/tests/cli/*.log 2>/dev/null || true
}
if ! make -j"$(nproc)" check > build-check.log 2>&1; then
	tail -60 build-check.log
	cat tests/unit/*.log tests/fuzz/*.log tests/cli/*.log 2>/dev/null | grep -v "^PASS" | tail -80
	exit 1
fi
summary .
if [ "${HS_NO_ASAN:-0}" != 1 ]; then
	copy_sources build-asan
	(
		cd build-asan/src
		[ -x configure ] || autoreconf -fi > /dev/null 2>&1
		[ -f Makefile ] && make distclean > /dev/null 2>&1 || true
		./configure -q --enable-sanitizers CFLAGS="-O1 -g" > /dev/null
		make -j"$(nproc)" > /dev/null
		if ! HS_SHARED_TOP="$top/.." ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 HS_TEST_SCALE=small \
			make -j"$(nproc)" check > check.log 2>&1; then
			tail -60 check.log
			cat tests/unit/*.log tests/fuzz/*.log tests/cli/*.log 2>/dev/null | grep -v "^PASS" | tail -80
			exit 1
		fi
		echo "ASan/UBSan build:"
		summary .
	)
fi
if [ "${HS_NO_FUZZ:-0}" != 1 ] && command -v clang > /dev/null 2>&1; then
	copy_sources build-fuzz
	(
		cd build-fuzz/src
		[ -x configure ] || autoreconf -fi > /dev/null 2>&1
		[ -f Makefile ] && make distclean > /dev/null 2>&1 || true
		./configure -q --enable-fuzz CC=clang CFLAGS="-O1 -g" > /dev/null
		make -j"$(nproc)" tests/fuzz/fuzz-dump tests/fuzz/fuzz-snapshot tests/fuzz/fuzz-rules tests/fuzz/fuzz-index > build.log 2>&1 ||
			{ tail -40 build.log; exit 1; }
		# seeds from the normal build's tools (quicker than instrumented ones)
		HS="$top/heapscan" MKDUMP="$top/tests/mkdump" REDUCE="$top/tests/fuzz/hprof-reduce" \
			sh tests/fuzz/seeds.sh tests/fuzz/corpus > /dev/null
		echo "fuzzing (tests/fuzz/run.sh -t ${HS_FUZZ_TIME:-20}):"
		sh tests/fuzz/run.sh -t "${HS_FUZZ_TIME:-20}"
	)
fi
echo "tests: all passed"
