# --keep-unreachable: the objects no GC root reaches join the tree under the
# virtual root; the header still says how many there are, the same as the
# count left out without the option, and the totals add up.
dump=$SAMPLES/healthy.hprof.zst
"$HS" dominators --quiet --top 1 "$dump" | sed -n 2p | tr -d , > plain.txt
"$HS" dominators --quiet --keep-unreachable --top 1 "$dump" | sed -n 2p | tr -d , > kept.txt
set -- $(sed -n 's/^Reachable heap: \([0-9]*\) objects .* (\([0-9]*\) bytes); unreachable (left out): \([0-9]*\) objects \([0-9]*\) bytes$/\1 \2 \3 \4/p' plain.txt)
[ $# = 4 ] && [ "$3" -gt 0 ] || { cat plain.txt; exit 1; }
grep -qx "Heap analysed: $(($1 + $3)) objects .* ($(($2 + $4)) bytes) of which unreachable from the GC roots (kept under the virtual root): $3 objects $4 bytes" kept.txt ||
	{ cat plain.txt kept.txt; exit 1; }
