# Where the index goes and who makes it:
#  - beside the dump by default (DUMP.hsidx), named after the graph's
#    options; --no-index writes and reads none; a dump from stdin has none;
#  - --index-dir DIR and $HEAPSCAN_INDEX_DIR: NAME.HASH.hsidx there;
#  - a dump in a folder heapscan cannot write: the cache folder;
#  - `index` makes it, then says it is up to date; `info` says which;
#  - two commands started at once on a dump without an index both succeed
#    with the right results and leave one whole index and no temporary file.
set -u
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
unset HEAPSCAN_INDEX_DIR
export XDG_CACHE_HOME="$T/cache"
mkdir d idx
zstd -q -dc "$SAMPLES/threadlocal-leak.hprof.zst" > d/a.hprof || exit 1
"$HS" threads --quiet --no-index --json d/a.hprof > want.out || exit 1
[ -z "$(ls d | grep hsidx)" ] || fail "--no-index wrote an index"

"$HS" threads --quiet --json d/a.hprof > got.out && cmp -s want.out got.out || fail "default: other results"
[ -f d/a.hprof.hsidx ] || fail "no index beside the dump: $(ls d)"
"$HS" threads --quiet --json --exclude-weak --keep-unreachable d/a.hprof > /dev/null || fail "exit $?"
[ -f d/a.hprof.exclude-weak.keep-unreachable.hsidx ] || fail "no index of the other graph: $(ls d)"
"$HS" path --quiet --json d/a.hprof 0xfd5e21a0 > /dev/null || fail "path: exit $?"
[ ! -f d/a.hprof.exclude-weak.hsidx ] || fail "path made an index of its own: $(ls d)"
"$HS" info d/a.hprof > info.out || fail "info: exit $?"
grep -q '^Index: *d/a.hprof.hsidx, [0-9,]* bytes (.*): read instead of the dump$' info.out ||
	fail "info: $(grep Index info.out)"
"$HS" info --no-index d/a.hprof | grep -q '^Index: *not used (--no-index)$' || fail "info --no-index"

# index: made, then up to date
rm d/a.hprof.hsidx
"$HS" index d/a.hprof > ix.out || fail "index: exit $?"
grep -Eq '^d/a\.hprof\.hsidx: [0-9,]+ bytes \(.*, [0-9.]+% of the dump\), written$' ix.out || fail "index: $(cat ix.out)"
"$HS" index d/a.hprof > ix.out || fail "index: exit $?"
grep -q ', up to date$' ix.out || fail "index again: $(cat ix.out)"
"$HS" index - < d/a.hprof > ix.out 2> ix.err; rc=$?
[ $rc = 2 ] && grep -q 'no regular file' ix.err || fail "index of stdin: exit $rc, $(cat ix.err)"

# stdin: no index anywhere
"$HS" threads --quiet --json - < d/a.hprof | sed 's/^  "dump": "-",$/  "dump": "d\/a.hprof",/' > got.out &&
	cmp -s want.out got.out || fail "stdin: other results"
[ -z "$(ls "$T" | grep hsidx)" ] && [ ! -d cache/heapscan ] || fail "stdin: an index was written"

# --index-dir and $HEAPSCAN_INDEX_DIR
"$HS" threads --quiet --json --index-dir idx d/a.hprof > got.out && cmp -s want.out got.out || fail "--index-dir"
ls idx | grep -Eq '^a\.hprof\.[0-9a-f]{8}\.hsidx$' || fail "--index-dir: $(ls idx)"
HEAPSCAN_INDEX_DIR=idx "$HS" threads --quiet --json --stats d/a.hprof > got.out 2> got.err &&
	cmp -s want.out got.out && grep -q '^stats: index: read idx/a.hprof' got.err || fail "HEAPSCAN_INDEX_DIR"
"$HS" threads --quiet --index-dir nowhere d/a.hprof > /dev/null 2> err.out; rc=$?
[ $rc = 2 ] && grep -q 'index-dir nowhere' err.out || fail "--index-dir to no folder: exit $rc, $(cat err.out)"

# a folder heapscan cannot write: the cache folder (as root, as nobody)
mkdir ro && cp d/a.hprof ro/ && chmod 755 ro && chmod 644 ro/a.hprof && chmod 777 "$T"
as=""
if [ "$(id -u)" = 0 ]; then
	command -v setpriv > /dev/null && as="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	mkdir -p cache && chmod 777 cache
else
	chmod 555 ro
fi
if [ "$(id -u)" != 0 ] || [ -n "$as" ]; then
	# the other user may not reach the build's folder: a copy of the
	# program in $T, which it can
	cp "$HS" "$T/hs-copy" && chmod 755 "$T/hs-copy" || exit 1
	$as env XDG_CACHE_HOME="$T/cache" "$T/hs-copy" threads --quiet --json "$T/ro/a.hprof" > got.out 2> got.err ||
		fail "read-only folder: exit $?: $(cat got.err)"
	sed "s|^  \"dump\": \"$T/ro/a.hprof\",\$|  \"dump\": \"d/a.hprof\",|" got.out > got2.out
	cmp -s want.out got2.out || fail "read-only folder: other results"
	ls cache/heapscan 2> /dev/null | grep -Eq '^a\.hprof\.[0-9a-f]{8}\.hsidx$' || fail "no index in the cache folder: $(ls -R cache)"
	$as env XDG_CACHE_HOME="$T/cache" "$T/hs-copy" threads --quiet --json --stats "$T/ro/a.hprof" > got.out 2> got.err
	grep -q "^stats: index: read $T/cache/heapscan/a.hprof" got.err || fail "the cached index is not read: $(grep index got.err)"
else
	echo "no setpriv: the read-only folder is not tested" >&2
	exit 77
fi

# two at once, no index yet
rm -f d/a.hprof*.hsidx
"$HS" suspects --quiet --json d/a.hprof > c1.out 2> c1.err & p1=$!
"$HS" suspects --quiet --json d/a.hprof > c2.out 2> c2.err & p2=$!
wait $p1 || fail "first of two: exit $?"
wait $p2 || fail "second of two: exit $?"
"$HS" suspects --quiet --json --no-index d/a.hprof > c0.out
cmp -s c0.out c1.out && cmp -s c0.out c2.out || fail "two at once: other results"
[ "$(ls d)" = "a.hprof
a.hprof.hsidx" ] || fail "two at once left: $(ls d)"
"$HS" suspects --quiet --json --stats d/a.hprof > c3.out 2> c3.err
grep -q '^stats: index: read ' c3.err && cmp -s c0.out c3.out || fail "the index of two at once is not whole"
[ $fails = 0 ] && echo ok
