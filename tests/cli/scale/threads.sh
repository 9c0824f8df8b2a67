# --threads 2 reads and decompresses in a second thread while the first
# parses, and on a plain file the scan hands its object records to a
# second thread and the graph's two passes are each read by two threads
# (the heap records split in halves): every output and every error
# must be those of --threads 1, on plain, gzip and zstd dumps (each pass
# from the start reads ahead; skips over big arrays pass through what was
# read ahead; re-reads seek), on dumps cut short, and on dumps of several
# heap dumps (--dump 2 skips the first).
set -u
zstd -q -dc "$SAMPLES/threadlocal-leak.hprof.zst" > tl.hprof || exit 1
gzip -1 -c tl.hprof > tl.hprof.gz || exit 1
cp "$SAMPLES/threadlocal-leak.hprof.zst" tl.hprof.zst
"$MKDUMP" chain chain.hprof || exit 1
"$MKDUMP" two-dumps two.hprof || exit 1
head -c 5000000 tl.hprof > cut.hprof
head -c 2000000 tl.hprof.gz > cut.hprof.gz
head -c 1000000 tl.hprof.zst > cut.hprof.zst
same() { # what, command...: the same stdout, stderr and status with 1 and 2 threads
	# (no index: the second run would read what the first wrote)
	what=$1
	shift
	"$HS" "$@" --no-index --threads 1 > one.out 2> one.err
	r1=$?
	"$HS" "$@" --no-index --threads 2 > two.out 2> two.err
	r2=$?
	[ $r1 = $r2 ] && cmp -s one.out two.out && cmp -s one.err two.err ||
		{ echo "$what: --threads 1 and 2 differ (exit $r1, $r2)"; diff one.out two.out | head -5; diff one.err two.err | head -5; exit 1; }
}
for d in tl.hprof tl.hprof.gz tl.hprof.zst chain.hprof; do
	same "$d suspects" suspects --json --quiet "$d"
	same "$d dominators" dominators --json --depth 3 --quiet "$d"
	same "$d threads" threads --json --quiet "$d"
	same "$d histogram" histogram --top 0 --csv --quiet "$d"
done
same "top-retained" top-retained --by-thread --json --quiet tl.hprof.gz
# idom[] made again from the tree's children (it goes once they are
# made: in the build with two threads, when first asked with one)
same "dominators --immediate" dominators --immediate java.util.HashMap --top 0 --json --quiet tl.hprof
# retained sizes of groups: the dominator tree's preorder and the passes
# over it split between the threads
for by in class package classloader; do
	same "top-retained --by-$by" top-retained --by-$by --json --quiet tl.hprof
done
# ... split even on small graphs (HEAPSCAN_PASS_SPLIT=1), into as many
# parts as the root has children or 3 (a chain's root has one child), and
# from an index: the same as one thread
cp "$SAMPLES/basic-gz.hprof.gz" basic.hprof.gz
mkdir sidx
for d in tl.hprof chain.hprof basic.hprof.gz; do
	"$HS" dominators --quiet --index-dir sidx "$d" > /dev/null || exit 1
	for by in class package classloader; do
		"$HS" top-retained --by-$by --json --quiet --no-index --threads 1 "$d" > one.out || exit 1
		HEAPSCAN_PASS_SPLIT=1 "$HS" top-retained --by-$by --json --quiet --no-index --threads 3 "$d" > three.out || exit 1
		cmp -s one.out three.out || { echo "$d --by-$by: split walks differ"; diff one.out three.out | head -5; exit 1; }
		rm -rf sidx2 && cp -r sidx sidx2
		HEAPSCAN_PASS_SPLIT=1 "$HS" top-retained --by-$by --json --quiet --index-dir sidx2 --threads 3 "$d" > three.out || exit 1
		cmp -s one.out three.out || { echo "$d --by-$by: split walks from an index differ"; exit 1; }
	done
done
"$HS" snapshot --quiet --no-index --threads 1 tl.hprof -o one.snap > /dev/null || exit 1
HEAPSCAN_PASS_SPLIT=1 "$HS" snapshot --quiet --no-index --threads 3 tl.hprof -o three.snap > /dev/null || exit 1
cmp -s one.snap three.snap || { echo "snapshots with split walks differ"; exit 1; }
"$HS" snapshot --quiet --no-index --threads 1 tl.hprof.zst -o one.snap > /dev/null || exit 1
"$HS" snapshot --quiet --no-index --threads 2 tl.hprof.zst -o two.snap > /dev/null || exit 1
cmp -s one.snap two.snap || { echo "snapshots differ"; exit 1; }
for d in cut.hprof cut.hprof.gz cut.hprof.zst; do
	same "$d suspects" suspects --json "$d"
	same "$d strict" histogram --top 0 --strict "$d"
	[ -s one.err ] || { echo "$d: no error for a cut dump"; exit 1; }
done
same "two dumps" histogram --top 0 --csv --dump 2 two.hprof
grep -q '^Node,' one.out || { cat one.out; exit 1; }
# the plain dumps' graphs were read by two threads (--stats says so), and
# the chain's second dump, after a STRING record, is split as well; their
# scans handed the object records to a second thread, a compressed dump's
# did not (its second thread decompresses)
for d in tl.hprof chain.hprof; do
	"$HS" dominators --quiet --no-index --stats --threads 2 "$d" 2> st.err > /dev/null || exit 1
	grep -q "passes read by 2 threads" st.err || { echo "$d: not split"; cat st.err; exit 1; }
	grep -q "time: scan [0-9.]* s (2 threads)" st.err || { echo "$d: scan by one thread"; cat st.err; exit 1; }
	"$HS" dominators --quiet --no-index --stats --threads 1 "$d" 2> st.err > /dev/null || exit 1
	grep -q "passes read by 1 thread)" st.err || { echo "$d: split with one thread"; cat st.err; exit 1; }
	grep -q "time: scan [0-9.]* s (1 thread)" st.err || { echo "$d: scan by two threads"; cat st.err; exit 1; }
done
"$HS" dominators --quiet --no-index --stats --threads 2 tl.hprof.zst 2> st.err > /dev/null || exit 1
grep -q "time: scan [0-9.]* s (1 thread)" st.err || { echo "zstd: scan by two threads"; cat st.err; exit 1; }
"$MKDUMP" chain-string cs.hprof || exit 1
HEAPSCAN_ONE_READER=1 "$HS" dominators --quiet --no-index --stats --threads 2 chain.hprof 2> st.err > /dev/null || exit 1
grep -q "passes read by 1 thread)" st.err || { echo "HEAPSCAN_ONE_READER: still split"; cat st.err; exit 1; }
grep -q "time: scan [0-9.]* s (1 thread)" st.err || { echo "HEAPSCAN_ONE_READER: scan by two threads"; cat st.err; exit 1; }
# the same with the scan by one thread and the graph by two
HEAPSCAN_ONE_READER=1 "$HS" dominators --json --depth 3 --quiet --no-index --threads 2 tl.hprof > one.out 2> one.err || exit 1
"$HS" dominators --json --depth 3 --quiet --no-index --threads 2 tl.hprof > two.out 2> two.err || exit 1
cmp -s one.out two.out && cmp -s one.err two.err || { echo "HEAPSCAN_ONE_READER: other results"; exit 1; }
same "second dump" dominators --json --depth 3 --quiet --dump 2 cs.hprof
same "second dump suspects" suspects --json --quiet --dump 2 cs.hprof
"$HS" dominators --quiet --no-index --stats --threads 2 --dump 2 cs.hprof 2> st.err > /dev/null || exit 1
grep -q "passes read by 2 threads" st.err || { echo "cs.hprof --dump 2: not split"; cat st.err; exit 1; }
"$MKDUMP" big-array big.hprof || exit 1
same "big array" dominators --json big.hprof
grep -q '"retained":20971568,' one.out || { cat one.out; exit 1; }
"$HS" histogram --top 0 --threads 0 tl.hprof 2> err.txt && exit 1
grep -q "^heapscan: --threads takes a number from 1 to 1024, not '0'$" err.txt || { cat err.txt; exit 1; }
echo ok
