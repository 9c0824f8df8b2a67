# Counts in text output: the singular for 1, the plural otherwise, and
# thousands separators from 1,000 up, in every report and message.  The
# truth is mkdump's "counts N": N Items in an Object[N] a Holder holds,
# one Item no root reaches, 4 classes: N + 6 reachable objects, 1 not, and
# a path of 1 reference from the root to the array.
. "$(dirname "$0")/../ci/assert.inc"
for n in 1 2 1000 2000; do
	"$MKDUMP" counts c$n.hprof $n || exit 1
done

# N = 1: one of everything
expect 0 "$HS" info c1.hprof
has out '^Reachable: +7 objects, [0-9,]+ bytes$'
has out '^Unreachable: +1 object, [0-9,]+ bytes \(left out'
expect 0 "$HS" histogram --top 0 --match '^Item$' c1.hprof
has out ' Total \(1 class\)$'
expect 0 "$HS" histogram --top 0 c1.hprof
has out ' Total \(3 classes\)$'
expect 0 "$HS" suspects c1.hprof
has out '^Reachable heap: 7 objects, .*; unreachable \(left out\): 1 object, [0-9]+ bytes$'
has out '^  Holds 1 object: 1 Item \('
expect 0 "$HS" threads c1.hprof
has out '^Reachable heap: 7 objects, '
expect 0 "$HS" path 0x8000 c1.hprof
hasx out 'Path 1 (1 reference), from a GC root (JNI global):'
expect 0 "$HS" check --max-heap 1GB c1.hprof
hasx out 'check c1.hprof: 1 rule, 1 held, 0 violated'
printf 'Item count <= 0\n' > item.rules
expect 1 "$HS" check --rules item.rules c1.hprof
hasx out 'check c1.hprof: 1 rule, 0 held, 1 violated'
expect 0 "$HS" snapshot c1000.hprof -o c1000.snap
has err '^heapscan: wrote c1000\.snap: 4 classes, 0 threads, 1 suspect; reachable heap [^(]* \(1,006 objects\)$'
# a change of one object, both ways
expect 0 "$HS" diff c1.hprof c2.hprof
has out '^Reachable heap: .* \(\+[0-9,]+ bytes, \+1 object\); threads 0 -> 0$'
expect 0 "$HS" diff c2.hprof c1.hprof
has out '^Reachable heap: .* \(-[0-9,]+ bytes, -1 object\); threads 0 -> 0$'

# N = 1,000 and 2,000: separators
expect 0 "$HS" info c1000.hprof
has out '^Instances: +1,002$'
has out '^Reachable: +1,006 objects, [0-9]{2},[0-9]{3} bytes$'
expect 0 "$HS" histogram --top 0 c1000.hprof
has out '^1 +1,001 +[0-9]{2},[0-9]{3}  Item$'
expect 0 "$HS" suspects c1000.hprof
has out '^Reachable heap: 1,006 objects, '
has out '^  Accumulates in java\.lang\.Object\[\] \(1,000 entries\) @ 0x8000, '
has out '^  Holds 1,000 objects: 1,000 Item \('
expect 1 "$HS" check --rules item.rules c1000.hprof
hasx out 'FAIL Item count <= 0 (item.rules:1): measured 1,000, limit 0'
expect 0 "$HS" diff c2000.hprof c1.hprof
has out '^Reachable heap: .* \(-[0-9]{2},[0-9]{3} bytes, -1,999 objects\); threads 0 -> 0$'
has out '^ +-[0-9]{2},[0-9]{3} +-[0-9]{2},[0-9]{3} +-1,999 +2,000 +1  Item$'
finish
