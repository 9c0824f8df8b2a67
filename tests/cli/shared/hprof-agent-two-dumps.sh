# The JDK 7 hprof agent wrote two heap dumps in one file; MAT shows two
# snapshots with different object counts.
[ -n "$SHARED" ] || { echo "no shared folder" >&2; exit 77; }
f=$SHARED/oracle_jdk7_21_hprofagent.hprof
"$HS" info --fast --json "$f" 2> err.txt | grep -E '"(heap_dumps|heap_dump_analysed|instances)"'
"$HS" info --fast --json --dump 2 "$f" | grep -E '"(heap_dump_analysed|instances)"'
grep -c "holds 2 heap dumps" err.txt
