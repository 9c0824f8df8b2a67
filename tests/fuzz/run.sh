#!/bin/sh
# Runs the fuzz targets one after the other, each for SECONDS (default
# 20) under nice, on its corpus tests/fuzz/corpus/TARGET (seeds.sh makes
# it when missing; what a run adds stays for the next).  A finding (crash,
# leak, sanitizer report, timeout, out of memory) stops its target and is
# kept as tests/fuzz/findings/TARGET/{crash,leak,timeout,oom}-*, the log as
# tests/fuzz/findings/TARGET.log; the exit status is then 1.
#
# Usage, from the top of a build configured with --enable-fuzz CC=clang:
#   sh tests/fuzz/run.sh [-t SECONDS] [TARGET...]    TARGET: dump snapshot rules index
# HS_FUZZ_FLAGS adds libFuzzer flags (-runs=N, -seed=N, ...).  One fuzzer
# process at a time: no -jobs or -workers.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
secs=20
while getopts t: o; do
	case $o in
	t) secs=$OPTARG ;;
	*) echo "usage: sh tests/fuzz/run.sh [-t SECONDS] [dump] [snapshot] [rules] [index]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
targets=${*:-dump snapshot rules index}
corpus=tests/fuzz/corpus
findings=tests/fuzz/findings
for t in $targets; do
	if [ ! -x "tests/fuzz/fuzz-$t" ]; then
		echo "run.sh: no tests/fuzz/fuzz-$t here: ./configure --enable-fuzz CC=clang && make" >&2
		exit 2
	fi
done
[ -d "$corpus/dump" ] || sh "$here/seeds.sh" "$corpus"
status=0
for t in $targets; do
	case $t in
	dump) flags="-max_len=524288" ;;
	snapshot) flags="-max_len=262144 -dict=$here/snapshot.dict" ;;
	rules) flags="-max_len=16384 -dict=$here/rules.dict" ;;
	index) flags="-max_len=1048576" ;;
	esac
	mkdir -p "$corpus/$t" "$findings/$t"
	log=$findings/$t.log
	# shellcheck disable=SC2086
	if nice -n 15 "tests/fuzz/fuzz-$t" $flags -max_total_time="$secs" -timeout=30 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$findings/$t/" ${HS_FUZZ_FLAGS:-} "$corpus/$t" > "$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "fuzz-$t: ${runs:-?} executions in ${secs} s, corpus $(ls "$corpus/$t" | wc -l) inputs, no finding"
	else
		echo "fuzz-$t: FOUND A BUG (log $log, input in $findings/$t/):" >&2
		grep -A30 -m1 "^==[0-9]*==ERROR\|^heapscan fuzz:\|runtime error\|ALARM\|out-of-memory" "$log" | head -40 >&2 ||
			tail -40 "$log" >&2
		status=1
	fi
done
exit $status
