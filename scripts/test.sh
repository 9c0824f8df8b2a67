#!/bin/sh
# Install, build and run the whole test suite: once as a normal build, once
# built with AddressSanitizer and UBSan (in a copy of the sources under
# build-asan/, since automake will not configure a second build next to an
# in-tree one), then, when clang is installed, run each fuzz target for a
# short while (HS_FUZZ_TIME seconds, default 20; built in build-fuzz/): a
# finding fails the run.  HS_NO_ASAN=1 and HS_NO_FUZZ=1 skip those steps.
# Tests skip when what they need is missing (a JDK, VisualVM, python3, the
# reference dumps of ../shared): the closing summary names each one.
# HS_NO_SKIP=1 (.ci/run) makes a skipped test fail instead; only the tests
# of the reference dumps may still skip, and only when the shared folder
# does not exist (tests/cli/run.sh).
set -eu
cd "$(dirname "$0")/.."
top=$PWD
# the folder holding shared/dumps/mat, the same for both builds; when it
# exists, its tests must find it in each (HS_NEED_SHARED)
HS_SHARED_TOP=$(cd "${HS_SHARED_TOP:-$top/..}" 2> /dev/null && pwd || echo "${HS_SHARED_TOP:-$top/..}")
export HS_SHARED_TOP
if [ -d "$HS_SHARED_TOP/shared/dumps/mat" ]; then
	export HS_NEED_SHARED=1
fi
sh scripts/install-deps.sh
sh scripts/build.sh
copy_sources() { # the sources into DIR/src, fresh
	rm -rf "$1"
	mkdir -p "$1/src"
	git ls-files -z 2>/dev/null | xargs -0 -I{} cp --parents {} "$1/src/" 2>/dev/null ||
		tar --exclude=./build-asan --exclude=./build-fuzz --exclude=./.git -cf - . | (cd "$1/src" && tar -xf -)
}
summary() { # the Check summaries, the CLI tests' line and every skipped test
	grep -h "^[0-9]*%: Checks:" "$1"/tests/unit/*.log "$1"/tests/fuzz/*.log 2>/dev/null || true
	grep -h "^cli: " "$1"/tests/cli/*.log 2>/dev/null || true
	grep -h "^SKIP: " "$1"/tests/cli/*.log 2>/dev/null | sed 's/^SKIP: /skipped: cli: /' || true
	for trs in "$1"/tests/*/*.trs; do # a whole test program that exited 77
		grep -q "^:test-result: SKIP" "$trs" 2>/dev/null && echo "skipped: ${trs#"$1"/}" | sed 's/\.trs$//'
	done
	return 0
}
# no_skips DIR: with HS_NO_SKIP=1, fail when a whole test program skipped
# (tests/cli/run.sh fails on a skipped CLI test itself)
no_skips() {
	[ "${HS_NO_SKIP:-0}" = 1 ] || return 0
	if summary "$1" | grep "^skipped: " | grep -v "^skipped: cli: shared/.*: no shared folder"; then
		echo "tests skipped, and HS_NO_SKIP=1: install what they need (HS_WITH_JDK=1 HS_WITH_VISUALVM=1 sh scripts/install-deps.sh)" >&2
		return 1
	fi
}
if ! make -j"$(nproc)" check > build-check.log 2>&1; then
	tail -60 build-check.log
	cat tests/unit/*.log tests/fuzz/*.log tests/cli/*.log 2>/dev/null | grep -v "^PASS" | tail -80
	exit 1
fi
summary .
no_skips .
if [ "${HS_NO_ASAN:-0}" != 1 ]; then
	copy_sources build-asan
	(
		cd build-asan/src
		[ -x configure ] || autoreconf -fi > /dev/null 2>&1
		[ -f Makefile ] && make distclean > /dev/null 2>&1 || true
		./configure -q --enable-sanitizers CFLAGS="-O1 -g" > /dev/null
		make -j"$(nproc)" > /dev/null
		if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 HS_TEST_SCALE=small \
			make -j"$(nproc)" check > check.log 2>&1; then
			tail -60 check.log
			cat tests/unit/*.log tests/fuzz/*.log tests/cli/*.log 2>/dev/null | grep -v "^PASS" | tail -80
			exit 1
		fi
		echo "ASan/UBSan build:"
		summary .
		no_skips .
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
