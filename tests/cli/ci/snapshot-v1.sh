# Snapshots of version 1 (heapscan before the prefix rows; healthy-v1.snap
# was written by it from samples/healthy.hprof.zst) are still read: the
# same results as the dump, except the retained size of a pattern matching
# several classes, which version 1 cannot give, and the bytes of
# java.lang.Class objects: that heapscan sized the static fields of class
# objects 8 bytes short on 14 classes (112 bytes of this heap), fixed since,
# and the number of threads: that heapscan counted only the threads of
# thread roots, 16, not the JVM's two compiler threads, which have none.
. "$(dirname "$0")/assert.inc"
v1=$ci/healthy-v1.snap
d=s/healthy.hprof.zst
cat > v1.rules <<'EOR'
heap <= 1MB
threads <= 18
suspect <= 10%
Healthy$Customer count <= 250
Healthy$* shallow <= 1MB
java.util.HashMap retained <= 1MB
total +0%
EOR
expect 0 "$HS" check --rules v1.rules --baseline "$v1" "$v1"
hasx out "check $v1: 7 rules, 7 held, 0 violated"
"$HS" check --json --rules v1.rules --baseline "$v1" "$v1" | sed 1,5d | grep -v '"rule":"\(heap <= 1MB\|threads <= 18\)"' > v1.json
"$HS" check --json --rules v1.rules --baseline "$d" "$d" | sed 1,5d | grep -v '"rule":"\(heap <= 1MB\|threads <= 18\)"' > dump.json
# the heap: the dump's, less the 112 bytes of the old class object sizes
vh=$("$HS" check --json --max-heap 1MB "$v1" | sed -n 's/.*"measured":\([0-9]*\),.*/\1/p')
dh=$("$HS" check --json --max-heap 1MB "$d" | sed -n 's/.*"measured":\([0-9]*\),.*/\1/p')
same "$((dh - vh))" 112 "heap of the v1 snapshot and of the dump"
# the threads: 16 in the v1 snapshot, 18 in the dump
vt=$("$HS" check --json --max-threads 100 "$v1" | sed -n 's/.*"measured":\([0-9]*\).*/\1/p')
dt=$("$HS" check --json --max-threads 100 "$d" | sed -n 's/.*"measured":\([0-9]*\).*/\1/p')
same "$vt $dt" "16 18" "threads of the v1 snapshot and of the dump"
cmp -s v1.json dump.json || fail "check --json differs between the v1 snapshot and the dump:
$(diff v1.json dump.json | head -6)"
echo 'java.util.* <= 1GB' > multi.rules
expect 2 "$HS" check --rules multi.rules "$v1"
hasx err "heapscan: multi.rules:1: 'java.util.* <= 1GB': $v1 is a version 1 snapshot, which keeps retained sizes per class only, and 'java.util.*' matches 50 classes: make the snapshot again"
expect 0 "$HS" diff --csv --top 0 "$v1" "$d"
same "$(awk -F, 'NR > 1 && $1 != "java.lang.Class" && ($4 != 0 || $7 != 0 || $10 != 0)' out | head -3)" "" "diff of the v1 snapshot and its dump"
same "$(awk -F, '$1 == "java.lang.Class" { print $4, $7 }' out)" "0 112" "java.lang.Class in the diff of the v1 snapshot and its dump"
# a snapshot of a version 1 snapshot stays version 1
expect 0 "$HS" snapshot --quiet "$v1" -o again.snap
expect 2 "$HS" check --rules multi.rules again.snap
has err "is a version 1 snapshot"
# a version this heapscan does not know
printf 'heapscan-snapshot\t3\n' > v3.snap
expect 2 "$HS" check --max-heap 1GB v3.snap
hasx err "heapscan: v3.snap: snapshot version 3 is not supported (this heapscan reads versions 1 to 2)"
finish
