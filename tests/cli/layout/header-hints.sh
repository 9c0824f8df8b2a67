# Layouts the object addresses cannot tell, from other facts in the dump
# (hand-computed sizes: see unsafe_heap and jdk5_heap in
# tests/support/mkdump.c).
# unsafe-nocp: objects far apart, but Unsafe's constants say 24-byte array
# headers and 4-byte references: -XX:-UseCompressedClassPointers with
# compressed oops, a 16-byte header: P { int; Object } 24 bytes, Object[2]
# 32 (the largest layout, taken when nothing else decides, makes them 32
# and 40).
# jdk5-x64: a JDK 5 heap: a class object is a java.lang.Class with two
# hidden references, 176 bytes (not JDK 6's three: 184); a String 40.
"$MKDUMP" unsafe-nocp u.hprof || exit 1
"$MKDUMP" jdk5-x64 j5.hprof || exit 1
for f in u j5; do
	echo "$f: $("$HS" info --fast --json $f.hprof | sed -n 's/^  "layout": {"name":"\([^"]*\)".*/\1/p')"
	"$HS" histogram --top 0 --quiet --csv $f.hprof | grep -v '^java\.lang\.Thread,' || exit 1
done
