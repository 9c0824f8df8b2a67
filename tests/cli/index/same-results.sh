# Every command gives the same output with no index (--no-index), with
# the index it writes itself (a fresh one) and with that index read back
# (a reused one), and with the index that run left (one that learned what
# the commands before searched or fetched), on real dumps (plain, zstd, gzip) and synthetic ones,
# for the default graph and for the graphs of --exclude-weak and
# --keep-unreachable, which have indexes of their own.  The index is
# really read the second time (--stats says so) and is far smaller than
# the dump.
set -u
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
mkdir idx
zstd -q -dc "$SAMPLES/threadlocal-leak.hprof.zst" > threadlocal-leak.hprof || exit 1
cp "$SAMPLES/shared-sessions.hprof.zst" "$SAMPLES/basic-gz.hprof.gz" "$SAMPLES/classloader-leak.hprof.zst" . || exit 1
"$MKDUMP" chain chain.hprof 2000 && "$MKDUMP" dup-ids dup-ids.hprof && "$MKDUMP" two-dumps two-dumps.hprof &&
	"$MKDUMP" truncated truncated.hprof && "$MKDUMP" unknown-classes unknown.hprof || exit 1

# run NAME ARGS...: the command three ways; all outputs equal
run3() {
	name=$1
	shift
	"$HS" "$@" --quiet --no-index > no.out 2> no.err; rc0=$?
	"$HS" "$@" --quiet --index-dir idx > fresh.out 2> fresh.err; rc1=$?
	"$HS" "$@" --quiet --index-dir idx --stats > reused.out 2> reused.err; rc2=$?
	[ "$rc0 $rc1 $rc2" = "$rc0 $rc0 $rc0" ] || fail "$name: exit $rc0 $rc1 $rc2: $*"
	[ "$rc0" -le 1 ] || fail "$name: exit $rc0: $* ($(head -2 no.err))"
	cmp -s no.out fresh.out || { fail "$name: fresh index differs: $*"; diff no.out fresh.out | head -5 >&2; }
	cmp -s no.out reused.out || { fail "$name: reused index differs: $*"; diff no.out reused.out | head -5 >&2; }
	# the index as the reused run left it: with what that run learned
	"$HS" "$@" --quiet --index-dir idx > learned.out 2> learned.err; rc3=$?
	[ "$rc3" = "$rc0" ] || fail "$name: exit $rc3 with a learned index: $*"
	cmp -s no.out learned.out || { fail "$name: learned index differs: $*"; diff no.out learned.out | head -5 >&2; }
	[ -s no.out ] || [ "$rc0" != 0 ] || fail "$name: no output: $*"
	if [ "$rc0" = 0 ] && ! grep -q '^stats: index: read ' reused.err; then
		fail "$name: the index was not read the second time: $*"
	fi
}

for d in threadlocal-leak.hprof shared-sessions.hprof.zst basic-gz.hprof.gz classloader-leak.hprof.zst \
	chain.hprof dup-ids.hprof two-dumps.hprof truncated.hprof unknown.hprof; do
	rm -f idx/*
	# an object to ask about: the biggest retainer below the root
	id=$("$HS" dominators --json --top 1 --quiet --no-index "$d" |
		python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["dominators"][0]["id"])' 2>/dev/null)
	[ -n "$id" ] || { fail "$d: no object id"; continue; }
	# every command and graph on two real dumps; the main ones on the rest
	case $d in
	threadlocal-leak.hprof|shared-sessions.hprof.zst) graphs='"" --exclude-weak --keep-unreachable' all=1 ;;
	*) graphs='""' all=0 ;;
	esac
	eval "set -- $graphs"
	for g in "$@"; do
		# shellcheck disable=SC2086
		{
		run3 "$d" suspects --json $g "$d"
		run3 "$d" threads --json $g "$d"
		run3 "$d" dominators --json --depth 3 --top 5 $g "$d"
		run3 "$d" top-retained --by-object --json --top 30 $g "$d"
		run3 "$d" top-retained --by-thread --json $g "$d"
		run3 "$d" check --max-heap 1GB --max-suspect 99 --json $g "$d"
		[ $all = 1 ] || continue
		run3 "$d" suspects $g "$d"
		run3 "$d" dominators --from "$id" --depth 2 $g "$d"
		run3 "$d" top-retained --by-class --csv $g "$d"
		run3 "$d" top-retained --by-classloader --json $g "$d"
		run3 "$d" top-retained --by-package --json $g "$d"
		run3 "$d" histogram --live --json $g "$d"
		run3 "$d" diff --json $g "$d" "$d"
		}
	done
	run3 "$d" path --json "$d" "$id"
	[ $all = 1 ] && run3 "$d" path --include-weak --all 3 "$d" "$id"
	"$HS" snapshot --quiet --no-index -o snap.no "$d" && "$HS" snapshot --quiet --index-dir idx -o snap.reused "$d" &&
		cmp -s snap.no snap.reused || fail "$d: snapshots differ"
	# info: the same but for the index line
	"$HS" info --json --quiet --no-index "$d" | python3 -c 'import json,sys; r=json.load(sys.stdin); r.pop("index"); print(json.dumps(r, sort_keys=True))' > i0
	"$HS" info --json --quiet --index-dir idx "$d" | python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["index"]["state"] == "read", r["index"]; r.pop("index"); print(json.dumps(r, sort_keys=True))' > i1 ||
		fail "$d: info does not say the index was read"
	cmp -s i0 i1 || fail "$d: info differs"
	# small: a fifth of the plain dump at most (5% on the bench dumps of
	# bench/; this one is small, and its strings weigh more)
	if [ "$d" = threadlocal-leak.hprof ]; then
		f=$(ls idx | grep -E '^threadlocal-leak\.hprof\.[0-9a-f]{8}\.hsidx$')
		i=$(cat "idx/$f" | wc -c) && [ "$i" -gt 0 ] && [ $((i * 5)) -lt "$(wc -c < "$d")" ] ||
			fail "$d: index of $i bytes, over a fifth of the dump"
	fi
	# nothing but whole indexes is left behind
	for f in idx/*; do
		case $f in *.hsidx) ;; *) fail "$d: left in the index folder: $f" ;; esac
	done
done
# an index in blocks of 64 nodes (the samples fit in one block of the
# default 8192): a command that asks of a few nodes reads their blocks
# (dominators --from, threads, path), one that passes over all reads them
# all, on two threads or one; the same outputs
export HEAPSCAN_INDEX_BLOCK=64
for d in threadlocal-leak.hprof shared-sessions.hprof.zst chain.hprof; do
	rm -f idx/*
	id=$("$HS" dominators --json --top 1 --quiet --no-index "$d" |
		python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["dominators"][0]["id"])' 2>/dev/null)
	[ -n "$id" ] || { fail "$d: no object id"; continue; }
	run3 "$d/64" dominators --from "$id" --depth 3 --json "$d"
	run3 "$d/64" threads --json "$d"
	run3 "$d/64" path --json "$d" "$id"
	run3 "$d/64" top-retained --by-thread --json "$d"
	run3 "$d/64" dominators --json --depth 3 --top 5 "$d"
	run3 "$d/64" suspects --json "$d"
	run3 "$d/64" suspects --json --threads 1 "$d"
	run3 "$d/64" histogram --live --json "$d"
	run3 "$d/64" top-retained --by-class --json --threads 1 "$d"
	# written on two threads whatever the machine: the first sections
	# while the dominators run, the tree beside the command, whose
	# thread joins in (many blocks)
	rm -f idx/*
	run3 "$d/64" dominators --json --depth 3 --top 5 --threads 2 "$d"
	rm -f idx/*
	run3 "$d/64" suspects --json --threads 2 "$d"
	"$HS" path --json --quiet --index-dir idx --stats "$d" "$id" > /dev/null 2> p.err
	grep -q '^stats: index: read ' p.err || fail "$d/64: the index was not read"
done
unset HEAPSCAN_INDEX_BLOCK
[ $fails = 0 ] && echo ok
