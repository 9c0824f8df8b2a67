# An index is used only while it matches its dump and is whole; anything
# else makes it again, with the results of no index:
#  - the dump changed: other bytes of the same size (with a new
#    modification time, and with the old one put back: its last MiB
#    differs), a note on stderr;
#  - the index cut short, emptied, a byte of it changed, garbage: a note;
#  - an index of another format version: made again without a note.
# Each time the next command reads the index made again.
set -u
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
mkdir idx
zstd -q -dc "$SAMPLES/threadlocal-leak.hprof.zst" > d.hprof && cp d.hprof orig.hprof || exit 1
"$HS" suspects --quiet --no-index --json d.hprof > want.out || exit 1
idx() { ls idx/d.hprof.*.hsidx; }

# cmd: suspects with the index; its output must be want.out
check() {
	what=$1 note=$2
	"$HS" suspects --json --index-dir idx d.hprof > got.out 2> got.err || fail "$what: exit $?"
	cmp -s want.out got.out || fail "$what: other results"
	case $note in
	none) [ ! -s got.err ] || fail "$what: stderr: $(cat got.err)" ;;
	*) grep -q "^heapscan: note: not using the index idx/d.hprof\.[0-9a-f]*\.hsidx: $note; making it again$" got.err ||
		fail "$what: no note '$note': $(cat got.err)" ;;
	esac
	"$HS" suspects --json --index-dir idx --stats d.hprof > got.out 2> got.err || fail "$what: exit $?"
	grep -q '^stats: index: read ' got.err || fail "$what: the index made again is not read"
	cmp -s want.out got.out || fail "$what: other results from the index made again"
}

"$HS" suspects --quiet --index-dir idx d.hprof > /dev/null || exit 1
[ -f "$(idx)" ] || { echo "no index written" >&2; exit 1; }
i=$(idx)
size=$(wc -c < "$i")

# the dump changed, same size: a class name of the same length
LC_ALL=C sed 's/ThreadLocalLeak\$Trace/ThreadLocalLeek$Trace/g' orig.hprof > d.hprof
cmp -s d.hprof orig.hprof && { echo "the dump was not changed" >&2; exit 1; }
[ "$(wc -c < d.hprof)" = "$(wc -c < orig.hprof)" ] || exit 1
"$HS" suspects --quiet --no-index --json d.hprof > want.out || exit 1
grep -q 'ThreadLocalLeek' want.out || fail "the changed name is not in the results"
check "changed dump" "it was made of another version of the dump"
# ... and the time field of its last record (HEAP_DUMP_END) changed with
# its modification time put back: only the hash of its last megabyte tells
touch -r d.hprof t.ref
[ "$(tail -c 9 d.hprof | od -An -tx1 | tr -d ' ')" = 2c0000000000000000 ] || { echo "unexpected end" >&2; exit 1; }
printf '\1' | dd of=d.hprof bs=1 seek=$(($(wc -c < d.hprof) - 7)) conv=notrunc 2> /dev/null
touch -r t.ref d.hprof
check "changed dump, same time" "it was made of another version of the dump"

# the index damaged
head -c $((size / 2)) "$i" > cut && cp cut "$i"
check "index cut short" "it is damaged or cut short"
: > "$i"
check "empty index" "it is damaged or cut short"
size=$(wc -c < "$i")
printf 'X' | dd of="$i" bs=1 seek=$((size - 1000)) conv=notrunc 2> /dev/null
check "a byte of the index changed" "it is damaged or cut short"
head -c 100000 /dev/urandom > "$i"
check "garbage" "it is damaged or cut short"
# another format version (the 32-bit number after the 8-byte magic)
printf '\143\0\0\0' | dd of="$i" bs=1 seek=8 conv=notrunc 2> /dev/null
check "another format" none
# another build of heapscan (the 64-bit number at 16)
printf '\1\2\3\4\5\6\7\10' | dd of="$i" bs=1 seek=16 conv=notrunc 2> /dev/null
check "another build" none
# a header whose checksum does not match
# (every bit of the byte flipped: writing a constant would change
# nothing when the byte already held it)
b=$(od -An -tu1 -j40 -N1 "$i" | tr -d ' ')
printf "\\$(printf %o $((255 - b)))" | dd of="$i" bs=1 seek=40 conv=notrunc 2> /dev/null
[ "$(od -An -tu1 -j40 -N1 "$i" | tr -d ' ')" = $((255 - b)) ] || fail "header byte not changed"
check "header changed" "it is damaged or cut short"

# --strict with a truncated dump fails with the index as without
"$MKDUMP" truncated t.hprof || exit 1
"$HS" suspects --quiet --index-dir idx t.hprof > /dev/null || fail "truncated dump: exit $?"
"$HS" suspects --quiet --strict --no-index t.hprof > s0.out 2> s0.err; r0=$?
"$HS" suspects --quiet --strict --index-dir idx t.hprof > s1.out 2> s1.err; r1=$?
[ "$r0" = 2 ] && [ "$r1" = 2 ] || fail "--strict: exit $r0 and $r1"
cmp -s s0.err s1.err || fail "--strict: other errors: $(cat s0.err) / $(cat s1.err)"
[ $fails = 0 ] && echo ok
