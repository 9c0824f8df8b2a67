#!/bin/sh
# Runs the CLI tests: every tests/cli/<group>/<name>.sh, with
#   HS       the heapscan binary         SAMPLES  the samples/ folder
#   SHARED   ../shared/dumps/mat, or empty when absent (tests then exit 77)
#   T        a fresh temporary folder    MKDUMP   the synthetic dump writer
# and compares its exit status with <name>.exit (default 0), its stdout
# with <name>.stdout.exact and its stderr with <name>.stderr.exact when
# those files exist.  Exit status 77 from a test means skipped (the first
# line of its stderr says why).
# HS_NO_SKIP=1 (set by .ci/run): a skipped test fails instead, with one
# exception: the tests of shared/ may skip when the shared folder is
# absent (the reference dumps may not be copied into the project, so a
# runner without them cannot run those tests), unless HS_NEED_SHARED=1
# (scripts/test.sh sets it when the folder exists, so that a build that
# looks for it in the wrong place fails rather than skips).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
HS=${HS:-$PWD/heapscan}
MKDUMP=${MKDUMP:-$PWD/tests/mkdump}
SAMPLES=${SAMPLES:-$top/samples}
# HS_SHARED_TOP: the folder holding shared/ (default: the one above the
# sources; scripts/test.sh sets it for its sanitizer build in a copy)
SHARED=""
shared_top=${HS_SHARED_TOP:-$top/..}
[ -d "$shared_top/shared/dumps/mat" ] && SHARED=$(cd "$shared_top/shared/dumps/mat" && pwd)
export HS MKDUMP SAMPLES SHARED
# state for "the dump may be omitted" stays inside the test run
export XDG_STATE_HOME="${TMPDIR:-/tmp}/hs-cli-state.$$"
# indexes of dumps (DUMP.hsidx) go to one folder for the whole run, not
# beside the samples: a later test on a sample reads the index an earlier
# one wrote, so every test also checks results from a reused index
export HEAPSCAN_INDEX_DIR="${TMPDIR:-/tmp}/hs-cli-index.$$"
export XDG_CACHE_HOME="${TMPDIR:-/tmp}/hs-cli-cache.$$"
mkdir -p "$HEAPSCAN_INDEX_DIR"
pass=0 fail=0 skip=0
for t in "$here"/*/*.sh; do
	[ -f "$t" ] || continue
	name=${t#"$here"/}
	name=${name%.sh}
	T=$(mktemp -d)
	export T
	(cd "$T" && sh "$t" >"$T/.out" 2>"$T/.err")
	rc=$?
	want=0
	[ -f "${t%.sh}.exit" ] && want=$(cat "${t%.sh}.exit")
	ok=1
	why=""
	if [ $rc -eq 77 ]; then
		reason=$(head -1 "$T/.err")
		allowed=0   # a skip HS_NO_SKIP=1 accepts
		case $name in
		shared/*) if [ -z "$SHARED" ] && [ "${HS_NEED_SHARED:-0}" != 1 ]; then
			allowed=1 reason="no shared folder, $shared_top/shared/dumps/mat"
		fi ;;
		esac
		rm -rf "$T"
		if [ "${HS_NO_SKIP:-0}" = 1 ] && [ $allowed = 0 ]; then
			fail=$((fail + 1))
			echo "FAIL: $name: skipped (exit 77), and HS_NO_SKIP=1: ${reason:-no reason given}"
			continue
		fi
		skip=$((skip + 1))
		echo "SKIP: $name: ${reason:-no reason given}"
		continue
	fi
	if [ "$rc" != "$want" ]; then
		ok=0
		why="exit status $rc, expected $want"
	fi
	if [ $ok = 1 ] && [ -f "${t%.sh}.stdout.exact" ] && ! cmp -s "${t%.sh}.stdout.exact" "$T/.out"; then
		ok=0
		why="stdout differs:
$(diff "${t%.sh}.stdout.exact" "$T/.out" | head -20)"
	fi
	if [ $ok = 1 ] && [ -f "${t%.sh}.stderr.exact" ] && ! cmp -s "${t%.sh}.stderr.exact" "$T/.err"; then
		ok=0
		why="stderr differs:
$(diff "${t%.sh}.stderr.exact" "$T/.err" | head -20)"
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "PASS: $name"
	else
		fail=$((fail + 1))
		echo "FAIL: $name: $why"
		echo "  stderr: $(head -5 "$T/.err")"
	fi
	rm -rf "$T"
done
rm -rf "$XDG_STATE_HOME" "$HEAPSCAN_INDEX_DIR" "$XDG_CACHE_HOME"
echo "cli: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
