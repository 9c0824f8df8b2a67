# Entry counts of collections (samples/java/CollectionSizes.java: each
# static field holds one collection whose size the program fixes; the
# table below is written from the program, not from heapscan's output).
# Covers sizes that are no field of the object: sets wrapping maps,
# Collections wrappers, a wrapped-around ArrayDeque, a CopyOnWriteArrayList,
# an Object[] with null slots, a ConcurrentHashMap whose count is mostly in
# CounterCells.
dump=$SAMPLES/collection-sizes.hprof.zst
cid=$("$HS" dominators --quiet --top 0 "$dump" | grep ' class CollectionSizes ' | grep -o '0x[0-9a-f]*')
[ -n "$cid" ] || exit 1
"$HS" dominators --quiet --json --from "$cid" --top 0 "$dump" |
	python3 -c 'import json, sys
for r in json.load(sys.stdin)["dominators"]:
    if r["label"] is not None:
        print(r["class"], r["label"])' | sort > got.txt
# CONCURRENT_MAP's count is in CounterCells too, not only in baseCount
"$HS" histogram --top 0 --quiet --csv --match 'ConcurrentHashMap\$CounterCell$' "$dump" | grep -q ',[1-9][0-9]*,' ||
	{ echo "no CounterCells in the dump"; exit 1; }
sort > want.txt <<'END'
java.util.HashMap size=11
java.util.LinkedHashMap size=12
java.util.Hashtable size=13
java.util.TreeMap size=14
java.util.ArrayList size=15
java.util.LinkedList size=16
java.util.Vector size=17
java.util.ArrayDeque size=18
java.util.HashSet size=19
java.util.LinkedHashSet size=20
java.util.TreeSet size=21
java.util.PriorityQueue size=22
java.util.concurrent.CopyOnWriteArrayList size=23
java.util.Collections$UnmodifiableSet size=24
java.util.Collections$SynchronizedMap size=25
java.lang.Object[] size=19
java.util.concurrent.ConcurrentHashMap size=27
END
# the class object also dominates one Object[] of its own (5 entries)
grep -v '^java.lang.Object\[\] size=5$' got.txt > got2.txt
diff want.txt got2.txt || exit 1
