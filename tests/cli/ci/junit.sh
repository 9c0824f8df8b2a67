# check --junit FILE: one testcase per rule, a failure element in each
# violated one, counts in the testsuite; written whether the rules hold or
# not, alongside the text or --json report.
. "$(dirname "$0")/assert.inc"
sc=s/static-cache.hprof.zst
cat > r.rules <<'EOR'
# 3,000 Longs (samples/README.md)
heap <= 1GB
java.lang.Long count <= 10
java.lang.Long count <= 3000
threads <= 3
EOR
expect 1 "$HS" check --rules r.rules --max-suspect 99 --junit j.xml $sc
same "$(grep -c '^FAIL ' out)" 2 "FAIL lines"
same "$(grep -c '<testsuite ' j.xml)" 1 "testsuites"
hasx j.xml '<testsuite name="heapscan check" tests="5" failures="2" errors="0" skipped="0">'
same "$(grep -c '<testcase ' j.xml)" 5 "testcases"
same "$(grep -c '<failure ' j.xml)" 2 "failures"
# each testcase is the rule as written, escaped; failures in the violated
# ones only
awk '/<testcase / { match($0, / name="[^"]*"/); n = substr($0, RSTART + 7, RLENGTH - 8) }
     /<failure / { print n }' j.xml > failed
printf '%s\n' 'java.lang.Long count &lt;= 10' 'threads &lt;= 3' | cmp -s - failed ||
	fail "the failures are in: $(cat failed)"
# (the options' rules first, then the file's)
grep -o ' name="[^"]*"' j.xml | sed 1d > names
printf ' name="%s"\n' 'suspect &lt;= 99%' 'heap &lt;= 1GB' 'java.lang.Long count &lt;= 10' \
	'java.lang.Long count &lt;= 3000' 'threads &lt;= 3' | cmp -s - names || fail "testcase names: $(cat names)"
hasx j.xml '    <failure type="violation" message="measured 3,000, limit 10">s/static-cache.hprof.zst: java.lang.Long count &lt;= 10 (r.rules:3): measured 3,000, limit 10</failure>'
if command -v xmllint > /dev/null; then
	xmllint --noout j.xml 2> xmlerr || fail "j.xml is not well-formed: $(head -3 xmlerr)"
fi
# all held: no failure element; --json and --junit together
expect 0 "$HS" check --json --max-heap 1GB --junit ok.xml $sc
has out '"ok": true'
hasx ok.xml '<testsuite name="heapscan check" tests="1" failures="0" errors="0" skipped="0">'
hasx ok.xml '  <testcase classname="heapscan.check" name="heap &lt;= 1GB"></testcase>'
same "$(grep -c '<failure' ok.xml)" 0 "failures when all hold"
# cannot write it: an error
expect 2 "$HS" check --max-heap 1GB --junit no/such/dir/j.xml $sc
hasx err "heapscan: no/such/dir/j.xml: cannot write: No such file or directory"
finish
