# heapscan's histogram against the JVM's own (jcmd GC.class_histogram taken
# right before jcmd GC.heap_dump), for every sample dump, basic-gz with
# basic's histogram: the same instance count for every class but the ones
# the dumping touches or that are counted differently (filler int[] arrays;
# cleaners and CallSiteContexts the dump allocates/frees), the same bytes
# for classes holding at least 98% of the JVM's bytes, and the same bytes
# for java.lang.Class: every class object sized as HotSpot lays out its
# static fields (a mirror 8 bytes off on one class in fifty made 2-8% of
# a small heap disagree), and for the JDK classes padded for @Contended
# (Thread, ForkJoinPool: 80 bytes of 336 without the padding, a few
# hundred bytes in a heap, which the 98% would not notice).
here=$(dirname "$0")
exact='^java\.lang\.(Class|Thread)$|^java\.util\.concurrent\.(ForkJoinPool|ForkJoinPool\$WorkQueue|ConcurrentHashMap\$CounterCell|Exchanger\$Node|atomic\.Striped64\$Cell|SubmissionPublisher\$BufferedSubscription)$'
n=0
for h in "$SAMPLES"/*.histo.txt; do
	for d in "${h%.histo.txt}.hprof.zst" "${h%.histo.txt}-gz.hprof.gz"; do
		[ -f "$d" ] || continue
		"$HS" histogram --top 0 --quiet --csv "$d" > h.csv || exit 1
		allowed='^int\[\]$|^jdk\.internal\.ref\.CleanerImpl\$PhantomCleanableRef$|^java\.lang\.invoke\.MethodHandleNatives\$CallSiteContext$'
		ex=$exact min=98
		case $d in
		*/tomcat-server.hprof.zst)
			# the real server: jcmd also counts the mirrors of ~120 CDS-archived
			# classes never loaded, which the dump does not have (MEASURED.md);
			# those 2.9% of its bytes are java.lang.Class
			allowed="$allowed|^java\.lang\.Class\$"
			ex=$(echo "$exact" | sed 's/Class|//') min=95 ;;
		esac
		sh "$here/../../support/cmp-histo.sh" h.csv "$h" "$allowed" "$min" "$ex" > cmp.txt ||
			{ echo "$(basename "$d"):"; cat cmp.txt; exit 1; }
		n=$((n + 1))
	done
done
[ $n -ge 9 ] || { echo "only $n sample dumps"; exit 1; }
