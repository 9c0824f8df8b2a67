# a static HashMap cache of 3,000 byte[2048]: the path names the static field
"$HS" suspects --quiet "$SAMPLES/static-cache.hprof.zst" | grep -o 'class StaticCache$Cache static CACHE -> java.util.HashMap (3,000 entries)'
"$HS" path --quiet --class 'java.util.HashMap' "$SAMPLES/static-cache.hprof.zst" | grep -o 'static CACHE -> java.util.HashMap'
