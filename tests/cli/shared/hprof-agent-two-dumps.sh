# The JDK 7 hprof agent wrote two heap dumps in one file; MAT shows two
# snapshots with different object counts.  Each dump's instances are
# counted again in its records by tests/support/hprof-ref.py.
[ -n "$SHARED" ] || { echo "no shared folder" >&2; exit 77; }
command -v python3 > /dev/null || { echo "no python3" >&2; exit 77; }
f=$SHARED/oracle_jdk7_21_hprofagent.hprof
python3 "$(dirname "$0")/../../support/hprof-ref.py" "$f" records > rec.txt || exit 1
"$HS" info --fast --json "$f" 2> err.txt | grep -E '"(heap_dumps|heap_dump_analysed)"'
"$HS" info --fast --json --dump 2 "$f" | grep -E '"heap_dump_analysed"'
for k in 1 2; do
	want=$(sed -n "s/^dump $k: .* instance \([0-9]*\) .*/\1/p" rec.txt)
	got=$("$HS" info --fast --json --dump $k "$f" | sed -n 's/^  "instances": \([0-9]*\),$/\1/p')
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		echo "heap dump $k: as many instances as INSTANCE_DUMP records"
	else
		echo "heap dump $k: heapscan $got instances, the records $want"
	fi
	eval "n$k=\$want"
done
[ "$n1" != "$n2" ] && echo "the two heap dumps differ in instances"
grep -c "holds 2 heap dumps" err.txt
