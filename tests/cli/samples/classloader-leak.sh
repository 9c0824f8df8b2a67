# 50 ClassLoaderLeak$LeakyLoader "plugin-loader-N" each define LeakedPlugin,
# whose instances stay in the static list ClassLoaderLeak.PLUGINS.  The
# numbers come from the JVM's own histogram (samples/*.histo.txt) and the
# program's constants, not from heapscan.
dump=$SAMPLES/classloader-leak.hprof.zst
loaders=$(awk '$4 == "ClassLoaderLeak$LeakyLoader" { print $2 }' "$SAMPLES/classloader-leak.histo.txt")
plugins=$(awk '$4 == "LeakedPlugin" { n += $2 } END { print n }' "$SAMPLES/classloader-leak.histo.txt")
[ "$loaders" = 50 ] && [ "$plugins" = 50 ] || { echo "histogram: $loaders loaders, $plugins plugins"; exit 1; }
"$HS" suspects --quiet "$dump" > out.txt || exit 1
grep -q "^Suspect 1: class ClassLoaderLeak @ 0x[0-9a-f]* retains " out.txt &&
grep -q "^  Accumulates in java.util.ArrayList ($plugins entries) @ 0x[0-9a-f]*, retaining .*, held by static field ClassLoaderLeak.PLUGINS:$" out.txt &&
grep -q "^  Holds 51 objects: $plugins LeakedPlugin " out.txt &&
grep -q "^  Keeps $loaders class loaders alive: $loaders ClassLoaderLeak\$LeakyLoader named \"plugin-loader-\*\", with $plugins classes ($plugins named LeakedPlugin)$" out.txt ||
	{ cat out.txt; exit 1; }
[ "$(grep -c '^Suspect' out.txt)" = 1 ] || { cat out.txt; exit 1; }
"$HS" suspects --quiet --json "$dump" | tr -d ' \n' | grep -o '"class_loaders":{[^}]*}'
# by class loader: each plugin loader is charged with its LeakedPlugin
# instance and the class object it defined (2 objects), for all 50
"$HS" top-retained --by-classloader --csv --quiet --top 1000 "$dump" |
	awk -F, '$5 ~ /^plugin-loader-[0-9]+ \(ClassLoaderLeak\$LeakyLoader\)$/ && $4 == 2' | wc -l | tr -d ' '
