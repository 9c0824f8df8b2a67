# A snapshot of a dump cut short records the cut ("truncated OFFSET WHAT"),
# and check and diff warn when they read it (with --strict it is an
# error, as the dump itself is); a growth in percent over a baseline heap
# of 0 bytes is an error rather than "+0%", and the growth in percent of
# classes that retained 0 bytes in the baseline is violated (Nothing*, which
# matches no class, is optional: it holds).
"$MKDUMP" cut-in-heap cut.hprof && "$MKDUMP" small d.hprof || exit 1
"$HS" snapshot -o cut.snap cut.hprof 2>&1; echo "snapshot: exit $?"
zstd -dc cut.snap | grep '^truncated'
"$HS" check --baseline cut.snap --max-heap 1GB d.hprof 2>&1; echo "check: exit $?"
"$HS" check --strict --baseline cut.snap --max-heap 1GB d.hprof 2>&1; echo "check --strict: exit $?"
"$HS" check --quiet --baseline cut.snap --max-growth 10% d.hprof 2>&1; echo "total +10%: exit $?"
"$HS" check --quiet --baseline cut.snap --max-growth 1KB d.hprof 2>&1; echo "total +1KB: exit $?"
printf 'class Node +10%%\noptional class Nothing* +10%%\nclass int* +10MB\n' > grow.rules
"$HS" check --quiet --baseline cut.snap --rules grow.rules --junit grow.xml d.hprof 2>&1
echo "class growth: exit $?"
grep -o 'message="[^"]*"' grow.xml
"$HS" check --quiet --json --baseline cut.snap --rules grow.rules d.hprof 2>&1; echo "--json: exit $?"
"$HS" diff cut.snap d.hprof 2>&1 > /dev/null; echo "diff: exit $?"
# a whole dump's snapshot has no such line
"$HS" snapshot -o d.snap d.hprof 2> /dev/null && echo "whole: $(zstd -dc d.snap | grep -c '^truncated') truncated lines"
