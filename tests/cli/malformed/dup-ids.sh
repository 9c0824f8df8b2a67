# Records whose object id an earlier record has: with the object graph,
# the first record is the object and the others are counted, once on
# stderr and in `info`; `histogram` without --live reads no ids and counts
# every record.
"$MKDUMP" dup-ids d.hprof && "$HS" info --quiet d.hprof | grep -E "^(Instances|Object arrays|Primitive arrays|Duplicate|Reachable|Unreachable)" &&
	"$HS" histogram --top 0 --live d.hprof && "$HS" histogram d.hprof
