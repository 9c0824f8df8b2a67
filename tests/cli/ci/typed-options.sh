# The options of diff, check, snapshot and index are typed: an invalid
# value is an error before any dump is read (exit 2, one line naming the
# option, nothing on stdout).  The dumps named do not exist, so an error
# about them would mean they were opened first.
. "$(dirname "$0")/assert.inc"
bad() {
	msg=$1
	shift
	expect 2 "$HS" "$@"
	[ -s out ] && fail "$*: stdout not empty: $(head -2 out)"
	hasx err "$msg"
}
bad "heapscan: --top takes a whole number from 0 to 4294967295, not 'x'" diff --top x no-base.hprof no-new.hprof
bad "heapscan: --top takes a whole number from 0 to 4294967295, not '-1'" diff --top -1 no-base.hprof no-new.hprof
bad "heapscan: --min-growth takes a percentage from 0 to 100, not '101'" diff --min-growth 101 no-base.hprof no-new.hprof
bad "heapscan: --min-growth-bytes takes a size such as 512, 64K, 1.5G, not '1e3'" diff --min-growth-bytes 1e3 no-base.hprof no-new.hprof
has err "^heapscan: --min-growth-bytes"
expect 2 "$HS" diff --match '(' no-base.hprof no-new.hprof
[ -s out ] && fail "diff --match '(': stdout not empty"
has err "^heapscan: --match '\(': "
bad "heapscan: --max-heap takes a size such as 512, 64K, 1.5G, not 'big'" check --max-heap big no.hprof
bad "heapscan: --max-suspect takes a percentage from 0 to 100, not '200%'" check --max-suspect 200% no.hprof
bad "heapscan: --max-threads takes a whole number from 0 to 18446744073709551615, not '1.5'" check --max-threads 1.5 no.hprof
bad "heapscan: --max-growth 10: a percentage or a size? write 10% or 10MB (10B for bytes)" check --max-growth 10 --baseline no-base.hprof no.hprof
bad "heapscan: --max-growth +7: a percentage or a size? write 7% or 7MB (7B for bytes)" check --max-growth +7 --baseline no-base.hprof no.hprof
bad "heapscan: --max-growth takes a growth in percent (10%) or a size (50MB, 10B), not '10%%'" check --max-growth 10%% --baseline no-base.hprof no.hprof
bad "heapscan: --threads takes a whole number from 0 to 1024, not '2000'" snapshot --threads 2000 -o s.snap no.hprof
[ -e s.snap ] && fail "snapshot wrote s.snap"
bad "heapscan: --max-memory takes a size such as 512, 64K, 1.5G, not 'lots'" index --max-memory lots no.hprof
# valid values of the same options get as far as the dump
expect 2 "$HS" check --max-growth +603.7% --max-suspect 5% --max-heap 1.5G --baseline no-base.hprof no.hprof
hasx err "heapscan: no.hprof: cannot open: No such file or directory"
expect 2 "$HS" diff --top 0 --min-growth 5% --min-growth-bytes 1.5K no-base.hprof no-new.hprof
hasx err "heapscan: no-base.hprof: cannot open: No such file or directory"
finish
