# heapscan's retained sizes against an independent implementation: VisualVM's
# heap library (Debian package visualvm), on every sample dump.  The five
# biggest non-class objects by retained size must have the same ids and the
# same retained sizes.  Skipped when visualvm or javac is not installed.
# Left out: class objects (sized differently) and threads (VisualVM does not
# add the 256 bytes of @Contended padding the JVM gives java.lang.Thread).
# static-cache is left out too: its biggest objects retain class objects,
# whose sizes differ (VisualVM's AppClassLoader retains 656 bytes more).
jar=/usr/share/visualvm/visualvm/modules/org-graalvm-visualvm-lib-jfluid-heap.jar
[ -f "$jar" ] || { echo "no $jar (Debian package visualvm)" >&2; exit 77; }
for tool in javac java zstd; do
	command -v $tool > /dev/null || { echo "no $tool" >&2; exit 77; }
done
[ -f "$SAMPLES/basic.hprof.zst" ] || { echo "no $SAMPLES/basic.hprof.zst" >&2; exit 77; }
here=$(dirname "$0")
javac -cp "$jar" -d vv "$here/../../../bench/VisualVMRetained.java" || exit 1
# VisualVM assumes 8-byte alignment and compressed oops, so the dumps made
# with other flags (basic-align16, basic-nocoops) are left out.
for z in "$SAMPLES"/basic.hprof.zst "$SAMPLES"/threadlocal-leak.hprof.zst; do
	d=$(basename "$z" .zst)   # VisualVM caches an index beside each dump: one name per dump
	zstd -q -d -c "$z" > "$d" || exit 1
	# VisualVM: top 40 objects, class objects dropped (their sizes are modelled differently)
	java -Xmx2g -cp "$jar:vv" VisualVMRetained "$d" 40 | awk -F'\t' 'NR > 1 && $3 != "java.lang.Class" && $3 !~ /Thread/ { print $2, $1 }' | head -5 > vv.txt
	"$HS" top-retained --quiet --csv --top 0 "$d" | awk -F, 'NR > 1 && $5 != "java.lang.Class" { print $6, $2 }' > hs-all.txt
	# heapscan lists top-level dominators; VisualVM any object: compare the ids VisualVM names
	while read -r id ret; do
		grep -q "^$id $ret\$" hs-all.txt || "$HS" dominators --quiet --json --from "$id" --top 0 "$d" |
			grep -q "\"retained\":$ret," || { echo "$(basename "$z"): $id: VisualVM retains $ret"; exit 1; }
	done < vv.txt
	[ -s vv.txt ] || { echo "no VisualVM output for $z"; exit 1; }
done
echo ok
