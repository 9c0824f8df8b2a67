# What the reports show first needs nothing from the dump once its index
# is made: the labels of threads, of the biggest objects the root
# dominates and of the tree three levels below them are in it, and the
# names of the class loaders: of all of them in a plain dump, in a
# compressed one those the first command named (here dominators, which
# names the loaders of class objects), since each field read there
# inflates the whole file.  On a gzip dump the second command then reads
# the dump not at all.
set -u
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
cp "$SAMPLES/basic-gz.hprof.gz" d.hprof.gz || exit 1
zstd -q -dc "$SAMPLES/threadlocal-leak.hprof.zst" > t.hprof || exit 1
# writing the index of a plain dump (labels, loader names) reads only
# spans of it: no whole pass
"$HS" suspects --quiet --stats --index-dir . t.hprof > /dev/null 2> err || exit 1
grep -q '^stats: read again: 0 whole passes, ' err || fail "writing the index of t.hprof: $(grep 'read again' err)"
rm -f ./*.hsidx
for d in d.hprof.gz t.hprof; do
	"$HS" dominators --quiet --index-dir . "$d" > /dev/null || exit 1
	for c in "dominators" "dominators --depth 3" "top-retained --by-object" "top-retained --by-thread"; do
		# shellcheck disable=SC2086
		"$HS" $c --quiet --stats --index-dir . "$d" > /dev/null 2> err || fail "$d: $c: exit"
		grep -q '^stats: index: read ' err || fail "$d: $c: no index read"
		grep -qx 'stats: read again: 0 whole passes, 0 reads of spans, 0 bytes in spans' err ||
			fail "$d: $c: $(grep 'read again' err)"
	done
done
[ $fails = 0 ] && echo ok
