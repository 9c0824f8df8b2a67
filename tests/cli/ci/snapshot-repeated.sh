# A snapshot holds its heapscan, dump, meta and total records once: a second
# one (two snapshots run together, a bad edit) is an error naming the line,
# not a silent pick (which leaked the first under ASan); nor does a snapshot
# cut short leak.  The sanitizer build runs this with leak detection, where
# a leak turns the exit status from 2.
. "$(dirname "$0")/assert.inc"
command -v zstd > /dev/null || { echo "no zstd" >&2; exit 77; }
expect 0 "$HS" snapshot s/basic.hprof.zst -o b.snap
zstd -dcq b.snap > b.txt || fail "b.snap is not zstd"
for rec in heapscan dump meta total; do
	first=$(awk -F'\t' -v r=$rec '$1 == r { print NR; exit }' b.txt)
	awk -F'\t' -v r=$rec '{ print } $1 == r { print }' b.txt | zstd -q > dup.snap
	expect 2 "$HS" check --max-heap 1GB dup.snap
	hasx err "heapscan: dup.snap: line $((first + 1)): a second '$rec' line (the first is line $first)"
	expect 2 "$HS" diff b.snap dup.snap
	hasx err "heapscan: dup.snap: line $((first + 1)): a second '$rec' line (the first is line $first)"
done
# the snapshot itself reads
expect 0 "$HS" check --max-heap 1GB b.snap
# cut in its second zstd block: the header reads, the rest does not
{ cat b.txt; awk 'BEGIN { for (i = 0; i < 60000; i++) printf "class\tFiller%d\t1\t16\t16\n", i }'; } | zstd -q -1 > big.snap
head -c $(( $(wc -c < big.snap) * 9 / 10 )) big.snap > cut.snap
expect 2 "$HS" check --max-heap 1GB cut.snap
hasx err "heapscan: cut.snap: zstd stream ends early (truncated .zst file)"
finish
