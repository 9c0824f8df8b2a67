# The size model against jmap on the reference dumps of older JVMs (JDK 5 and
# 6, 32- and 64-bit, compressed oops on and off): for every instance class
# in jmap's histogram that the dump also holds, the instance size
# (bytes / count) must be the same.  jmap counted its heap at another moment
# than the dump (and MAT's own test compares sizes the same way), so counts
# are not compared; arrays and permgen pseudo-classes are left out.
# java.lang.Class is in: on these JVMs a class object is a plain instance
# with three hidden references, its static fields live in the permgen, so
# jmap's bytes / count is the size of every class object.
[ -n "$SHARED" ] || { echo "no shared folder" >&2; exit 77; }
for pair in sun_jdk5_13_x32.hprof:histogram_sun_jdk5_13_x32.txt \
	    sun_jdk6_18_x32.hprof:histogram_sun_jdk6_18_x32.txt \
	    sun_jdk6_30_x64_compressedOops.hprof:sun_jdk6_30_x64_compressedOops.notes.txt \
	    sun_jdk6_30_x64_nocompressedOops.hprof:sun_jdk6_30_x64_nocompressedOops.notes.txt; do
	dump=${pair%%:*} truth=${pair#*:}
	"$HS" histogram --quiet --csv "$SHARED/$dump" > h.csv || exit 1
	awk -F, -v name="$dump" '
	FNR == NR { if (FNR > 1 && $2 > 0) size[$1] = $3 / $2; next }
	{
		sub(/\r$/, "")   # the jmap files have CRLF line ends
		if (match($0, /^ *([0-9]+: +)?[0-9]+ +[0-9]+ +[^ ]+/) == 0) next
		n = split($0, f, " ")
		if (f[1] ~ /:$/) { c = f[2]; b = f[3]; k = f[4] } else { c = f[1]; b = f[2]; k = f[3] }
		if (k ~ /^[<[]/ || !(k in size)) next
		checked++
		if (b / c != size[k]) { bad++; printf "%s: %s: jmap %d bytes, heapscan %d\n", name, k, b / c, size[k] }
	}
	END { printf "%s: %d instance classes, %d differ\n", name, checked, bad; exit bad > 0 || checked < 100 }' h.csv "$SHARED/$truth" || exit 1
done
