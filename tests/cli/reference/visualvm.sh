# heapscan's retained sizes against an independent implementation: VisualVM's
# heap library (Debian package visualvm), on every sample dump.  The five
# biggest non-class objects by retained size must have the same ids and the
# same retained sizes.  Skipped when visualvm or javac is not installed.
jar=/usr/share/visualvm/visualvm/modules/org-graalvm-visualvm-lib-jfluid-heap.jar
[ -f "$jar" ] && command -v javac > /dev/null && command -v zstd > /dev/null || exit 77
ls "$SAMPLES"/*.hprof.zst > /dev/null 2>&1 || exit 77
here=$(dirname "$0")
javac -cp "$jar" -d vv "$here/../../../bench/VisualVMRetained.java" || exit 1
for z in "$SAMPLES"/*.hprof.zst; do
	zstd -q -d -c "$z" > d.hprof || exit 1
	# VisualVM: top 40 objects, class objects dropped (their sizes are modelled differently)
	java -Xmx2g -cp "$jar:vv" VisualVMRetained d.hprof 40 | awk -F'\t' 'NR > 1 && $3 != "java.lang.Class" { print $2, $1 }' | head -5 > vv.txt
	"$HS" top-retained --quiet --csv --top 0 d.hprof | awk -F, 'NR > 1 && $5 != "java.lang.Class" { print $6, $2 }' > hs-all.txt
	# heapscan lists top-level dominators; VisualVM any object: compare the ids VisualVM names
	while read -r id ret; do
		grep -q "^$id $ret\$" hs-all.txt || "$HS" dominators --quiet --json --from "$id" --top 0 d.hprof |
			grep -q "\"retained\": $ret," || { echo "$(basename "$z"): $id: VisualVM retains $ret"; exit 1; }
	done < vv.txt
	[ -s vv.txt ] || { echo "no VisualVM output for $z"; exit 1; }
done
echo ok
