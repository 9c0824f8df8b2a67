# Classes that several class loaders define keep one row per loader, named
# "NAME (loader LOADER)" after ClassLoader.name (stable from run to run,
# unlike ids), in top-retained --by-class, snapshots, diff and check; a
# pattern without "(loader" matches all of them.  classloader-leak: 50
# loaders "plugin-loader-N" each define LeakedPlugin, one instance each (the
# JVM's histogram has the 50 rows too).
. "$(dirname "$0")/assert.inc"
d=s/classloader-leak.hprof.zst
same "$(awk '$4 == "LeakedPlugin" && $2 == 1' s/classloader-leak.histo.txt | wc -l | tr -d ' ')" 50 "LeakedPlugin rows in jcmd's histogram"
expect 0 "$HS" top-retained --by-class --csv --quiet --top 0 $d
awk -F, '$5 ~ /^LeakedPlugin / { print $4, $5 }' out | sort > rows
seq 1 50 | awk '{ print "1 LeakedPlugin (loader plugin-loader-" $1 ")" }' | sort > want
cmp -s want rows || fail "LeakedPlugin rows: $(diff want rows | head -5)"
# no other class of the dump has a loader suffix
same "$(grep -c '(loader ' out)" 50 "rows with a loader suffix"
expect 0 "$HS" snapshot --quiet $d -o c.snap
cat > ok.rules <<'EOR'
LeakedPlugin count <= 50
LeakedPlugin (loader plugin-loader-7) count <= 1
LeakedPlugin retained <= 600KB
LeakedPlugin* retained <= 600KB
EOR
cat > bad.rules <<'EOR'
LeakedPlugin count <= 49
LeakedPlugin (loader plugin-loader-7) count <= 0
LeakedPlugin    (loader plugin-loader-7)  count <= 0
EOR
for x in $d c.snap; do
	expect 0 "$HS" check --quiet --rules ok.rules $x
	hasx out "check $x: 4 rules, 4 held, 0 violated"
	expect 1 "$HS" check --quiet --rules bad.rules $x
	hasx out "FAIL LeakedPlugin count <= 49 (bad.rules:1): measured 50, limit 49; biggest: LeakedPlugin (loader plugin-loader-50) (1 instance)"
	hasx out "FAIL LeakedPlugin (loader plugin-loader-7) count <= 0 (bad.rules:2): measured 1, limit 0"
	# any number of spaces before "(loader" (three left a stray word)
	hasx out "FAIL LeakedPlugin (loader plugin-loader-7) count <= 0 (bad.rules:3): measured 1, limit 0"
done
# the retained size of all 50 together: the sum of their rows (disjoint)
"$HS" top-retained --by-class --csv --quiet --top 0 $d | awk -F, '$5 ~ /^LeakedPlugin / { s += $2 } END { print s }' > sum
"$HS" check --quiet --json --rules ok.rules c.snap > j
has j "\"rule\":\"LeakedPlugin retained <= 600KB\",.*\"measured\":$(cat sum),"
# diff by class and loader: healthy has none of them, the leak 50 new rows
expect 0 "$HS" diff --quiet --csv --top 0 s/healthy.hprof.zst c.snap
same "$(grep -c '^LeakedPlugin (loader plugin-loader-[0-9]*),0,1,1,' out)" 50 "new LeakedPlugin rows in the diff"
finish
