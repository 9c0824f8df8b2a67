#!/bin/sh
# Replays what fuzzing found, tests/fuzz/regressions/TARGET/* (one input
# per file, named after the bug it showed), through the fuzz targets built
# without libFuzzer (tests/fuzz/replay-TARGET): a crash, a sanitizer
# report or a broken invariant fails.  Run by `make check`, which sets
#   FUZZ_BUILD  the folder of the replay programs
#   FUZZ_SRC    tests/fuzz in the sources
set -u
here=$(cd "$(dirname "$0")" && pwd)
FUZZ_BUILD=${FUZZ_BUILD:-$PWD/tests/fuzz}
FUZZ_SRC=${FUZZ_SRC:-$here}
status=0
for t in dump snapshot rules index; do
	d=$FUZZ_SRC/regressions/$t
	[ -d "$d" ] || continue
	if ! "$FUZZ_BUILD/replay-$t" "$d"; then
		echo "FAIL: $FUZZ_BUILD/replay-$t $d" >&2
		status=1
	fi
done
exit $status
