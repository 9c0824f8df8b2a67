# The whole heap against the JVM's own total: for every sample dump (basic-gz
# with basic's histogram), the reachable plus the unreachable bytes of
# `heapscan info` are the Total bytes of jcmd GC.class_histogram exactly,
# class objects included.  The objects agree too, once the classes the
# dumping touches are taken out of both counts: the dump replaces the
# cleaners and CallSiteContexts the attach frees with int[] fillers of the
# same bytes (cmp-histo.sh, histogram-vs-jcmd.sh), so their number differs
# but not their size.
# tomcat-server, the real server (G1, where the other samples run with
# SerialGC), is compared without those classes' bytes and without
# java.lang.Class: its fillers do not add up to what was freed, and jcmd
# also counts the mirrors of CDS classes the server never loaded, which
# the dump does not have (samples/README.md).
touched='^(int\[\]|\[I|jdk\.internal\.ref\.CleanerImpl\$PhantomCleanableRef|java\.lang\.invoke\.MethodHandleNatives\$CallSiteContext)$'
n=0 bad=0
for h in "$SAMPLES"/*.histo.txt; do
	for d in "${h%.histo.txt}.hprof.zst" "${h%.histo.txt}-gz.hprof.gz"; do
		[ -f "$d" ] || continue
		name=$(basename "$d")
		count_out=$touched bytes_out='^$'
		case $name in
		tomcat-server.*)
			count_out=$(echo "$touched" | sed 's/)\$$/|java\\.lang\\.Class)$/')
			bytes_out=$count_out ;;
		esac
		"$HS" info --quiet --json "$d" > info.json || { echo "$name: info failed"; exit 1; }
		"$HS" histogram --top 0 --quiet --csv "$d" > h.csv || { echo "$name: histogram failed"; exit 1; }
		# heapscan: reachable + unreachable, less its rows of the classes taken out
		hs=$(awk -F'[:,]' '/^  "(reachable|unreachable)_objects"/ { n += $2 } /^  "(reachable|unreachable)_bytes"/ { b += $2 }
			END { print n, b }' info.json)
		# (the patterns through the environment: awk -v would read their backslashes)
		export count_out bytes_out
		hs_out=$(awk -F, 'NR > 1 && $1 ~ ENVIRON["count_out"] { n += $2 } NR > 1 && $1 ~ ENVIRON["bytes_out"] { b += $3 }
			END { print n + 0, b + 0 }' h.csv)
		# jcmd: its Total line, less its rows of the same classes
		jv=$(awk '$1 == "Total" { print $2, $3 }' "$h")
		jv_out=$(awk '$1 ~ /:$/ && $4 ~ ENVIRON["count_out"] { n += $2 } $1 ~ /:$/ && $4 ~ ENVIRON["bytes_out"] { b += $3 }
			END { print n + 0, b + 0 }' "$h")
		set -- $hs $hs_out $jv $jv_out
		[ $# = 8 ] || { echo "$name: no totals: $hs / $jv"; exit 1; }
		if [ $(($2 - $4)) != $(($6 - $8)) ]; then
			echo "$name: heapscan $2 bytes reachable and unreachable, jcmd $6"
			bad=$((bad + 1))
		fi
		if [ $(($1 - $3)) != $(($5 - $7)) ]; then
			echo "$name: heapscan $1 objects reachable and unreachable ($3 of the classes the dumping touches), jcmd $5 ($7)"
			bad=$((bad + 1))
		fi
		n=$((n + 1))
	done
done
[ $n -ge 15 ] || { echo "only $n sample dumps"; exit 1; }
[ $bad = 0 ]
