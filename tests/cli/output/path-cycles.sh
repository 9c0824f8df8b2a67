# path --all never passes through an object twice (mkdump path-cycles:
# references loop through the target T = 0x4030; see path_cycles_heap).
# T's referrers are A, C and D, but D is reached only through T itself:
# the loop-free paths are R A T and R2 E B C T, and no other.  A path
# that went through D would come back to T (R A T D T).
"$MKDUMP" path-cycles c.hprof || exit 1
"$HS" path --quiet --all 10 c.hprof 0x4030 > p.txt || exit 1
grep -c '^Path' p.txt
awk '/^Path/ { if (p != "") print p; p = "" } / @ 0x/ { for (i = 1; i <= NF; i++) if ($i == "@") p = p " " $(i + 1) }
	END { print p }' p.txt
# no path names an object twice
awk '/^Path/ { delete seen } / @ 0x/ { for (i = 1; i <= NF; i++) if ($i == "@") { if (seen[$(i + 1)]++) { print "twice: " $(i + 1); bad = 1 } } }
	END { exit bad }' p.txt
