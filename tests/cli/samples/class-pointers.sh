# -XX:-UseCompressedClassPointers (JDK 17): a 16-byte object header and
# arrays' elements from offset 24, with compressed oops (healthy-nocp) and
# without (healthy-nocp-nocoops).  Every class of jcmd's histogram must
# have heapscan's instance count and bytes, arrays and java.lang.Class
# included, but the three classes the dumping itself touches (int[]
# fillers, cleaners, CallSiteContexts: see histogram-vs-jcmd.sh), whose
# counts may differ; of those, the ones whose counts agree are compared
# too.  Before 16-byte headers were modelled, about 150 classes came out
# 8 bytes short per instance (String 24 bytes, the JVM says 32).
touched='^(int\[\]|jdk\.internal\.ref\.CleanerImpl\$PhantomCleanableRef|java\.lang\.invoke\.MethodHandleNatives\$CallSiteContext)$'
for s in healthy-nocp healthy-nocp-nocoops; do
	"$HS" info --fast --json "$SAMPLES/$s.hprof.zst" > info.json || exit 1
	python3 -c 'import json, sys
l = json.load(open(sys.argv[2]))["layout"]
print("%s: header %d, references %d, array header %d" % (sys.argv[1], l["header"], l["reference"], l["array_header"]))' "$s" info.json
	"$HS" histogram --top 0 --quiet --csv "$SAMPLES/$s.hprof.zst" > h.csv || exit 1
	awk -F, -v s="$s" -v touched="$touched" '
	function jname(n,   dims, m) {
		dims = ""
		while (substr(n, 1, 1) == "[") { dims = dims "[]"; n = substr(n, 2) }
		if (dims != "") {
			m["Z"] = "boolean"; m["B"] = "byte"; m["C"] = "char"; m["S"] = "short"
			m["I"] = "int"; m["J"] = "long"; m["F"] = "float"; m["D"] = "double"
			if (substr(n, 1, 1) == "L" && substr(n, length(n)) == ";") n = substr(n, 2, length(n) - 2)
			else if (n in m) n = m[n]
		}
		sub(/\/0x/, "+0x", n)
		return n dims
	}
	FNR == NR { if (FNR > 1) { cnt[$1] = $2; byt[$1] = $3 } next }
	{
		if (match($0, /^ *[0-9]+: +[0-9]+ +[0-9]+ +[^ ]+/) == 0) next
		split(substr($0, RSTART, RLENGTH), f, " ")
		n = jname(f[4]); c = f[2] + 0; b = f[3] + 0
		mine_c = (n in cnt) ? cnt[n] : 0
		if (mine_c != c) {
			if (n ~ touched) next
			bad++; printf "COUNT %s: jcmd %d, heapscan %d\n", n, c, mine_c; next
		}
		same++
		if (byt[n] != b) { bad++; printf "BYTES %s: jcmd %d, heapscan %d (%d instances)\n", n, b, byt[n], c }
	}
	END {
		r = (same >= 250 && !bad) ? "all" : (same - bad) "/" same
		printf "%s: %s classes with the same count and bytes\n", s, r
		exit bad > 0 || same < 250
	}' h.csv "$SAMPLES/$s.histo.txt" || bad=1
done
exit ${bad:-0}
