#!/bin/sh
# Install, build and run the whole test suite: once as a normal build, once
# built with AddressSanitizer and UBSan (in a copy of the sources under
# build-asan/, since automake will not configure a second build next to an
# in-tree one).
set -eu
cd "$(dirname "$0")/.."
top=$PWD
sh scripts/install-deps.sh
sh scripts/build.sh
summary() { # the Check summaries and one closing line for CI
	grep -h "^[0-9]*%: Checks:" "$1"/tests/unit/*.log 2>/dev/null || true
	grep -h "^cli: " "$1"/tests/cli/*.log 2>/dev/null || true
}
if ! make -j"$(nproc)" check > build-check.log 2>&1; then
	tail -60 build-check.log
	cat tests/unit/*.log tests/cli/*.log 2>/dev/null | grep -v "^PASS" | tail -80
	exit 1
fi
summary .
if [ "${HS_NO_ASAN:-0}" != 1 ]; then
	rm -rf build-asan
	mkdir -p build-asan/src
	git ls-files -z 2>/dev/null | xargs -0 -I{} cp --parents {} build-asan/src/ 2>/dev/null ||
		tar --exclude=./build-asan --exclude=./.git -cf - . | (cd build-asan/src && tar -xf -)
	(
		cd build-asan/src
		[ -x configure ] || autoreconf -fi > /dev/null 2>&1
		[ -f Makefile ] && make distclean > /dev/null 2>&1 || true
		./configure -q --enable-sanitizers CFLAGS="-O1 -g" > /dev/null
		make -j"$(nproc)" > /dev/null
		if ! HS_SHARED_TOP="$top/.." ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 HS_TEST_SCALE=small \
			make -j"$(nproc)" check > check.log 2>&1; then
			tail -60 check.log
			cat tests/unit/*.log tests/cli/*.log 2>/dev/null | grep -v "^PASS" | tail -80
			exit 1
		fi
		echo "ASan/UBSan build:"
		summary .
	)
fi
echo "tests: all passed"
