#!/bin/sh
# cmp-histo.sh HEAPSCAN_CSV JVM_HISTOGRAM [ALLOWED_REGEX [MIN_PCT [EXACT_REGEX]]]
# Compares `heapscan histogram --csv` with a `jcmd GC.class_histogram` or
# `jmap -histo` file.  Fails (exit 1) when
#   - a class's instance count differs, unless its name matches
#     ALLOWED_REGEX (classes the dumping itself touches), or
#   - the classes whose total bytes agree hold less than 98% of the JVM's
#     bytes (MIN_PCT, default 98), or
#   - a class matching EXACT_REGEX (default: none) differs in bytes, or
#     no class of the JVM's histogram matches it.
# Prints every difference and the share of bytes that agree.
set -eu
csv=$1 histo=$2 allowed=${3:-'^$'} minpct=${4:-98} exact=${5:-}
awk -F, -v allowed="$allowed" -v minpct="$minpct" -v exact="$exact" '
function jname(n,   dims, base, m) {
	dims = ""
	while (substr(n, 1, 1) == "[") { dims = dims "[]"; n = substr(n, 2) }
	if (dims != "") {
		m["Z"] = "boolean"; m["B"] = "byte"; m["C"] = "char"; m["S"] = "short"
		m["I"] = "int"; m["J"] = "long"; m["F"] = "float"; m["D"] = "double"
		if (substr(n, 1, 1) == "L" && substr(n, length(n)) == ";") n = substr(n, 2, length(n) - 2)
		else if (n in m) n = m[n]
	}
	sub(/\/0x/, "+0x", n)   # hidden classes: Foo$$Lambda$19/0x... in jcmd, +0x... in dumps
	return n dims
}
FNR == NR { if (FNR > 1) { cnt[$1] = $2; byt[$1] = $3 } next }
{
	sub(/\r$/, "")
	line = $0
	if (match(line, /^ *[0-9]+: +[0-9]+ +[0-9]+ +[^ ]+/) == 0) next
	split(substr(line, RSTART, RLENGTH), f, " ")
	n = jname(f[4]); c = f[2] + 0; b = f[3] + 0
	if (n ~ /^</) next          # permgen pseudo-classes of old JVMs
	total += b
	if (exact != "" && n ~ exact) nexact++
	if ((n in cnt) && cnt[n] == c && byt[n] == b) { same += b; next }
	mine_c = (n in cnt) ? cnt[n] : 0; mine_b = (n in byt) ? byt[n] : 0
	if (mine_c != c && n !~ allowed) { bad++; printf "COUNT %s: jvm %d instances, heapscan %d\n", n, c, mine_c }
	else if (exact != "" && n ~ exact) { bad++; printf "BYTES %s: jvm %d instances %d bytes, heapscan %d instances %d bytes\n", n, c, b, mine_c, mine_b }
	else printf "bytes %s: jvm %d instances %d bytes, heapscan %d instances %d bytes\n", n, c, b, mine_c, mine_b
}
END {
	pct = total ? 100 * same / total : 0
	printf "bytes that agree: %.2f%% of %d\n", pct, total
	if (exact != "" && !nexact) { bad++; printf "no class in the JVM histogram matches %s\n", exact }
	if (bad || pct < minpct) exit 1
}' "$csv" "$histo"
