# heapscan's histogram against the JVM's own (jcmd GC.class_histogram taken
# right before jcmd GC.heap_dump), for every sample dump: same instance count
# for every class but the ones the dumping touches or that are counted
# differently (filler int[] arrays; cleaners and
# CallSiteContexts the dump allocates/frees), and the same bytes for classes
# holding at least 98% of the JVM's bytes.  Where java.lang.Class mirrors
# are a large share of a small heap (basic: 97.99%; the 1 MB samples:
# 90-94%) only the counts are compared: heapscan's mirror sizes are 0.1%
# off jcmd's (about 8 bytes on one class in fifty), a known gap.
here=$(dirname "$0")
n=0
for h in "$SAMPLES"/*.histo.txt; do
	d=${h%.histo.txt}.hprof.zst
	[ -f "$d" ] || continue
	"$HS" histogram --quiet --csv "$d" > h.csv || exit 1
	case $(basename "$d") in
	basic.hprof.zst|classloader-leak*|healthy*|thread-explosion*) min=0 ;;
	*) min=98 ;;
	esac
	sh "$here/../../support/cmp-histo.sh" h.csv "$h" \
		'^int\[\]$|^jdk\.internal\.ref\.CleanerImpl\$PhantomCleanableRef$|^java\.lang\.invoke\.MethodHandleNatives\$CallSiteContext$' "$min" > cmp.txt ||
		{ echo "$(basename "$d"):"; cat cmp.txt; exit 1; }
	n=$((n + 1))
done
[ $n -ge 5 ] || { echo "only $n sample dumps"; exit 1; }
