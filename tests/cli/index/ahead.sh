# `heapscan index` computes ahead of time what later commands would add to
# the index (the shortest-path trees, the retained sizes by class, package
# and loader, the suspects' labels): after it, those commands read the
# index, learn nothing (it is not rewritten; but the labels of the steps
# of a path to an object asked about, in a compressed dump), and print
# what they print without an index.
set -u
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
zstd -q -dc "$SAMPLES/threadlocal-leak.hprof.zst" > tl.hprof || exit 1
cp "$SAMPLES/shared-sessions.hprof.zst" . || exit 1
for d in tl.hprof shared-sessions.hprof.zst; do
	rm -rf idx && mkdir idx
	"$HS" index --quiet --index-dir idx "$d" > index.out 2> index.err || { fail "$d: index: $(cat index.err)"; continue; }
	grep -q "written$" index.out || fail "$d: index not written: $(cat index.out)"
	id=$("$HS" dominators --json --top 1 --quiet --no-index "$d" |
		python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["dominators"][0]["id"])') || exit 1
	while IFS= read -r c; do
		# shellcheck disable=SC2086
		"$HS" $c --quiet --no-index "$d" > no.out 2> no.err || { fail "$d: $c: $(head -2 no.err)"; continue; }
		# shellcheck disable=SC2086
		"$HS" $c --quiet --stats --index-dir idx "$d" > ix.out 2> ix.err || { fail "$d: $c with the index: $(head -2 ix.err)"; continue; }
		cmp -s no.out ix.out || { fail "$d: $c differs with the index"; diff no.out ix.out | head -5 >&2; }
		grep -q '^stats: index: read ' ix.err || fail "$d: $c did not read the index"
		# (a path's steps in a compressed dump: their labels, read by
		# inflating it, are kept then for the object asked about)
		case "$d $c" in *.zst\ path*) continue ;; esac
		! grep -q '^stats: index: added' ix.err || fail "$d: $c had something left to learn"
	done <<LIST
suspects --json
path --json $id
path --json --include-weak $id
top-retained --by-class --json
top-retained --by-package --json
top-retained --by-classloader --json
histogram --retained --json
LIST
done
[ "$fails" = 0 ] || exit 1
echo ok
