# Numbers near and beyond what 64 bits hold: a limit of 16,000,000 TB
# (15625 PB, just under 2^64 bytes), a snapshot whose counts read as
# 2^64 - 2 (a damaged or hand-edited one: "-2") or 2^63.  The reports still
# print, at most 16384 PB, differences at most 2^63 - 1 either way; casting
# such a double to an integer, or subtracting such counts cast to int64_t,
# would be undefined (the sanitizer build stops on either).  A limit
# written with an exponent (1e25) is no size: an error, exit 2.
. "$(dirname "$0")/assert.inc"
printf 'heapscan-snapshot\t2\ntotal\t0\t0\t0\t0\t0\nclass\tX\t1\t0\t0\n' > base.snap
printf 'heapscan-snapshot\t2\ntotal\t-2\t1\t0\t0\t0\nclass\tX\t1\t0\t0\nclass\tX\t1\t-2\t0\n' > now.snap
expect 1 "$HS" check --max-growth 10B --baseline base.snap now.snap
hasx out "FAIL total +10B (--max-growth): measured +16384 PB, limit +10 B; biggest: X +16384 PB (0 instances)"
printf 'heap <= 16000000TB\n' > huge.rules
expect 1 "$HS" check --rules huge.rules --max-heap 1KB --junit j.xml now.snap
hasx out "FAIL heap <= 1KB (--max-heap): measured 16384 PB, limit 1.00 KB"
hasx out "FAIL heap <= 16000000TB (huge.rules:1): measured 16384 PB, limit 15625 PB"
hasx j.xml '  <testcase classname="heapscan.check" name="heap &lt;= 16000000TB">'
printf 'heap <= 1e25\n' > huge.rules
expect 2 "$HS" check --rules huge.rules now.snap
printf 'heapscan-snapshot\t2\ntotal\t9223372036854775808\t0\t0\t0\t0\n' > half.snap
expect 0 "$HS" diff half.snap base.snap
hasx out "Reachable heap: 8192 PB -> 0 B (-9,223,372,036,854,775,808 bytes, 0 objects); threads 0 -> 0"
expect 0 "$HS" diff --json base.snap now.snap
hasx out '  "delta_reachable_bytes": 9223372036854775807,'
finish
