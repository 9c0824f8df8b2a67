# Repeated GC roots and roots with id 0 are left out and counted: the dump
# keeps 9 of 3,001 roots per 1,000 repetitions (a Java local in another
# frame is another root), and `info` says how many it left out.
"$MKDUMP" roots d.hprof 1000 && "$HS" info --fast d.hprof | grep -E "^(Threads|GC roots|  ROOT)" &&
	"$HS" info --json --fast d.hprof | grep -E '"(gc_roots|gc_roots_duplicate|gc_roots_null|threads_total)"' &&
	"$MKDUMP" roots big.hprof 300000 && "$HS" info --fast big.hprof | grep -E "^GC roots"
