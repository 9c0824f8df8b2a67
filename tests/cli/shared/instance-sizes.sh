# The size model against jmap on the reference dumps of older JVMs (JDK 5 and
# 6, 32- and 64-bit, compressed oops on and off).  jmap counted its heap at
# another moment than the dump (and MAT's own test compares sizes the same
# way), so:
# - for every instance class of jmap's histogram that has instances in the
#   dump (counted in its records by tests/support/hprof-ref.py), the
#   instance size (bytes / count) must be the same, and heapscan must have
#   instances of exactly those classes;
# - for every array class whose arrays the records count as jmap does,
#   heapscan must count them alike and have jmap's bytes.
# Permgen pseudo-classes (<...Klass>) are left out.  java.lang.Class is in:
# on these JVMs a class object is a plain instance with three hidden
# references, its static fields live in the permgen, so jmap's bytes /
# count is the size of every class object.
# One array class is let off: byte[] of sun_jdk5_13_x32, 16 arrays in both,
# jmap 43,536 bytes, the dump's 16 lengths 43,544 with its 12-byte array
# header (the one every other array class of that dump agrees with, 19 of
# them byte for byte): one array was 8 bytes shorter when jmap counted it.
[ -n "$SHARED" ] || { echo "no shared folder" >&2; exit 77; }
command -v python3 > /dev/null || { echo "no python3" >&2; exit 77; }
ref=$(dirname "$0")/../../support/hprof-ref.py
for pair in sun_jdk5_13_x32.hprof:histogram_sun_jdk5_13_x32.txt \
	    sun_jdk6_18_x32.hprof:histogram_sun_jdk6_18_x32.txt \
	    sun_jdk6_30_x64_compressedOops.hprof:sun_jdk6_30_x64_compressedOops.notes.txt \
	    sun_jdk6_30_x64_nocompressedOops.hprof:sun_jdk6_30_x64_nocompressedOops.notes.txt; do
	dump=${pair%%:*} truth=${pair#*:}
	"$HS" histogram --top 0 --quiet --csv "$SHARED/$dump" > h.csv || exit 1
	python3 "$ref" "$SHARED/$dump" counts > counts.txt || exit 1
	awk -v name="$dump" -v letoff="sun_jdk5_13_x32.hprof [B" '
	function jname(n,   dims, m) {   # [Ljava.lang.String; -> java.lang.String[]
		dims = ""
		while (substr(n, 1, 1) == "[") { dims = dims "[]"; n = substr(n, 2) }
		if (dims != "") {
			m["Z"] = "boolean"; m["B"] = "byte"; m["C"] = "char"; m["S"] = "short"
			m["I"] = "int"; m["J"] = "long"; m["F"] = "float"; m["D"] = "double"
			if (substr(n, 1, 1) == "L" && substr(n, length(n)) == ";") n = substr(n, 2, length(n) - 2)
			else if (n in m) n = m[n]
		}
		return n dims
	}
	FILENAME == ARGV[1] { if (FNR > 1) { split($0, v, ","); cnt[v[1]] = v[2]; byt[v[1]] = v[3] } next }
	FILENAME == ARGV[2] { recs[$1] = $2; next }
	{
		sub(/\r$/, "")   # the jmap files have CRLF line ends
		if (match($0, /^ *([0-9]+: +)?[0-9]+ +[0-9]+ +[^ ]+/) == 0) next
		n = split($0, f, " ")
		if (f[1] ~ /:$/) { c = f[2]; b = f[3]; k = f[4] } else { c = f[1]; b = f[2]; k = f[3] }
		if (k ~ /^</) next
		if (k ~ /^\[/) {
			if (recs[k] != c) next
			arrays++
			j = jname(k)
			if (cnt[j] != c) { abad++; printf "%s: %s: %d arrays in jmap and in the records, heapscan %d\n", name, k, c, cnt[j] }
			else if (byt[j] != b && name " " k != letoff) { abad++; printf "%s: %s: jmap %d bytes, heapscan %d\n", name, k, b, byt[j] }
			next
		}
		if (recs[k] + 0 == 0) { if (k in cnt) { bad++; printf "%s: %s: no instance in the records, heapscan %d\n", name, k, cnt[k] } next }
		checked++
		if (!(k in cnt)) { bad++; printf "%s: %s: %d instances in the records, none in heapscan\n", name, k, recs[k]; next }
		if (b / c != byt[k] / cnt[k]) { bad++; printf "%s: %s: jmap %d bytes, heapscan %d\n", name, k, b / c, byt[k] / cnt[k] }
	}
	END {
		printf "%s: %d instance classes, %d array classes with jmap'\''s count\n", name, checked, arrays > "/dev/stderr"
		printf "%s: %d instance classes differ, %d array classes differ\n", name, bad, abad
		exit bad > 0 || abad > 0 || checked < 100 || arrays < 3
	}' h.csv counts.txt "$SHARED/$truth" || exit 1
done
