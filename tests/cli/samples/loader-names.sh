# Class loaders are named by what they are, the same in every run: the
# JDK's by their ClassLoader.name ("app", "platform"), Tomcat's web
# application loader by its context path (/payments: samples/tomcat), a
# loader named by its program ("plugin-loader-N", ClassLoaderLeak.java),
# never by an address.
d=$SAMPLES/tomcat-server.hprof.zst
"$HS" top-retained --by-classloader --csv --quiet "$d" | cut -d, -f5 > l.txt || exit 1
for want in '<bootstrap>' 'app (jdk.internal.loader.ClassLoaders$AppClassLoader)' \
	'platform (jdk.internal.loader.ClassLoaders$PlatformClassLoader)' \
	'webapp /payments (org.apache.catalina.loader.ParallelWebappClassLoader)'; do
	grep -qxF "$want" l.txt || { echo "no '$want'" >&2; cat l.txt >&2; exit 1; }
done
! grep -q '0x[0-9a-f]' l.txt || { cat l.txt >&2; exit 1; }
# no two loaders share a name
[ "$(sort l.txt | uniq -d | wc -l)" = 0 ] || { sort l.txt | uniq -d >&2; exit 1; }
# the webapp's loader where suspects and --by-object name it
"$HS" top-retained --by-object --top 1000 --csv --quiet "$d" > o.csv || exit 1
grep -q '^[^,]*,[^,]*,[^,]*,[^,]*,org.apache.catalina.loader.ParallelWebappClassLoader,0x[0-9a-f]*,loader webapp /payments$' o.csv ||
	{ grep ParallelWebapp o.csv >&2; exit 1; }
"$HS" suspects --quiet --threshold 1 "$d" > s.txt || exit 1
grep -q '^Suspect [0-9]*: class loader webapp /payments (org.apache.catalina.loader.ParallelWebappClassLoader) retains ' s.txt ||
	{ cat s.txt >&2; exit 1; }
# two runs of one program (basic, then basic without compressed oops):
# the same loader names
"$HS" top-retained --by-classloader --csv --quiet "$SAMPLES/basic.hprof.zst" | cut -d, -f5 | sort > a.txt
"$HS" top-retained --by-classloader --csv --quiet "$SAMPLES/basic-nocoops.hprof.zst" | cut -d, -f5 | sort > b.txt
[ "$(wc -l < a.txt)" -ge 3 ] && cmp -s a.txt b.txt || { diff a.txt b.txt >&2; exit 1; }
# the plugin loaders by their names, 1 to 50
"$HS" top-retained --by-classloader --csv --quiet --top 1000 "$SAMPLES/classloader-leak.hprof.zst" |
	cut -d, -f5 | sed -n 's/^plugin-loader-\([0-9]*\) (ClassLoaderLeak\$LeakyLoader)$/\1/p' | sort -n > p.txt
seq 1 50 | cmp -s - p.txt || { cat p.txt >&2; exit 1; }
# on paths: suspects' chains and the path command
grep -q '^    "kafka-producer-network-thread | producer-[0-9]*" (Thread) \.contextClassLoader -> class loader webapp /payments (ParallelWebappClassLoader)$' s.txt ||
	{ cat s.txt >&2; exit 1; }
"$HS" suspects --quiet "$SAMPLES/static-cache.hprof.zst" > sc.txt || exit 1
grep -q '^    class loader app (ClassLoaders\$AppClassLoader) \.classes -> ' sc.txt || { cat sc.txt >&2; exit 1; }
id=$(grep '^  Accumulates in java.util.HashMap' sc.txt | sed 's/.* @ \(0x[0-9a-f]*\),.*/\1/')
"$HS" path --quiet "$SAMPLES/static-cache.hprof.zst" "$id" | grep -q '^  jdk\.internal\.loader\.ClassLoaders\$AppClassLoader @ 0x[0-9a-f]* loader app  (retains ' ||
	{ "$HS" path --quiet "$SAMPLES/static-cache.hprof.zst" "$id" >&2; exit 1; }
