# a static HashMap cache of 3,000 byte[2048]: the path names the static field
"$HS" suspects --quiet "$SAMPLES/static-cache.hprof.zst" | grep -o 'class StaticCache$Cache static CACHE -> java.util.HashMap (3,000 entries)'
"$HS" path --quiet --class 'java.util.HashMap' "$SAMPLES/static-cache.hprof.zst" | grep -o 'static CACHE -> java.util.HashMap'
# who holds it and what it holds: ENTRIES (3,000) Long keys and byte[2048] values
n=$(sed -n 's/.*static final int ENTRIES = \([0-9]*\);.*/\1/p' "$SAMPLES/java/StaticCache.java")
"$HS" suspects --quiet "$SAMPLES/static-cache.hprof.zst" > s.txt || exit 1
grep -q "^  Accumulates in java.util.HashMap (3,000 entries) @ 0x[0-9a-f]*, retaining 6.08 MB, held by static field StaticCache\$Cache.CACHE:$" s.txt || { cat s.txt; exit 1; }
"$HS" suspects --quiet --json "$SAMPLES/static-cache.hprof.zst" | tr -d ' \n' | sed -n 's/.*\("elements_total":[0-9]*,"elements":\[{.*}\]\),"class_loaders".*/\1/p'
echo; echo "$n"
