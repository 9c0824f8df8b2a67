# A class object is named as the class it is, with the static field that
# holds most of what it retains, never as "java.lang.Class".  Basic's
# statics (samples/README.md) hold, by construction, MAP: 20,000 entries
# of a HashMap$Node (32 bytes), a key String (24) with its byte[] (24) and
# an Integer (16), plus the HashMap (48) and its Node[32768] (131,088):
# 2,051,136 bytes; then CHAIN_HEAD, 100,000 Nodes of 16 bytes: 1,600,000;
# the rest far less.  So MAP is the static field that holds most.
d=$SAMPLES/basic.hprof.zst
"$HS" top-retained --by-object --top 1 --csv --quiet "$d" > o.csv || exit 1
grep -q '^[0-9.]*,[0-9]*,[0-9]*,[0-9]*,class Basic,0x[0-9a-f]*,static MAP$' o.csv || { cat o.csv >&2; exit 1; }
"$HS" suspects --quiet "$d" > s.txt || exit 1
grep -q '^  Accumulates in class Basic (static MAP) @ 0x[0-9a-f]*, retaining ' s.txt || { cat s.txt >&2; exit 1; }
! grep -q 'java\.lang\.Class @' s.txt || { cat s.txt >&2; exit 1; }
"$HS" check --quiet --max-suspect 10 "$d" > c.txt
[ $? = 1 ] || exit 1
grep -q '; biggest: class Basic (static MAP) retaining [0-9.]* MB, held by ' c.txt || { cat c.txt >&2; exit 1; }
! grep -q 'java\.lang\.Class' c.txt || { cat c.txt >&2; exit 1; }
# dominators says the same of the row, and names the loader that holds
# StaticCache's classes (the JDK's app loader, ClassLoader.name "app")
"$HS" dominators --top 1 --quiet "$d" | grep -q '^ *[0-9.]*% .*  class Basic  *0x[0-9a-f]*  static MAP$' ||
	{ "$HS" dominators --top 1 --quiet "$d" >&2; exit 1; }
"$HS" dominators --top 1 --json --quiet "$SAMPLES/static-cache.hprof.zst" | grep -q '"label":"loader app"' || exit 1
