# path takes DUMP and OBJID in either order, the dump also as - (standard
# input, from a pipe too), as the manual says.  "small" (tests/mkdump): a
# JNI global holds Node 0x2000 -> 0x2010 -> 0x2020.  A dump whose name
# reads as hexadecimal ("cafe") is told from the id by being a file.
"$MKDUMP" small d.hprof && cp d.hprof cafe || exit 1
run() { # run ARGS...: the path, without the Dump: line that names the file
	"$HS" path --quiet "$@" | sed 1d
}
run d.hprof 0x2020 > want || exit 1
cat want
for args in "0x2020 d.hprof" "2020 d.hprof" "0x2020 --all 1 d.hprof" "cafe 0x2020" "0x2020 cafe"; do
	run $args > got && cmp -s want got || { echo "differs: path $args"; cat got; }
done
run 0x2020 - < d.hprof > got && cmp -s want got || echo "differs: path 0x2020 - (stdin)"
run - 0x2020 < d.hprof > got && cmp -s want got || echo "differs: path - 0x2020 (stdin)"
cat d.hprof | run 0x2020 - > got && cmp -s want got || echo "differs: path 0x2020 - (a pipe)"
# neither an id: the second is named
"$HS" path --quiet d.hprof nothex 2>&1
echo "exit $?"
