# diff reports a suspect as grown only above a noise floor: by 1% of what
# it retained and by 64 KB (--min-growth PCT, --min-growth-bytes SIZE).
# The baselines are static-cache's snapshot with its suspect's retained
# size lowered by a known amount: 616 bytes (noise), 70,000 bytes (1.1%:
# above both), 100,000 bytes (1.6%).
. "$(dirname "$0")/assert.inc"
sc=s/static-cache.hprof.zst
"$HS" snapshot --quiet -o sc.snap $sc || fail "snapshot"
zstd -q -dc sc.snap > sc.txt || fail "zstd"
same "$(grep -c '^suspect	' sc.txt)" 1 "suspects in the snapshot"
r=$(awk -F'\t' '$1 == "suspect" { print $4 }' sc.txt)
# base MINUS: the snapshot, its suspect retaining MINUS bytes less (plain
# text: a snapshot need not be compressed)
base() {
	awk -F'\t' -v OFS='\t' -v m="$1" '$1 == "suspect" { $4 -= m } { print }' sc.txt > b$1.snap
}
for m in 616 70000 100000; do base $m; done
grown="^Grown suspect: class loader app \\(jdk\.internal\.loader\.ClassLoaders\\\$AppClassLoader\\) retains "
expect 0 "$HS" diff --quiet b616.snap $sc
! grep -q '^Grown suspect' out || fail "616 bytes reported: $(grep '^Grown' out)"
expect 0 "$HS" diff --quiet --json b616.snap $sc
has out '^  "suspects": \[\],$'
expect 0 "$HS" diff --quiet b70000.snap $sc
has out "$grown"
expect 0 "$HS" diff --quiet --json b70000.snap $sc
has out "\"status\":\"grown\",.*\"delta_retained\":70000,"
# each bound on its own
expect 0 "$HS" diff --quiet --min-growth 0 --min-growth-bytes 0 b616.snap $sc
has out "$grown"
expect 0 "$HS" diff --quiet --min-growth 0 --min-growth-bytes 617B b616.snap $sc
! grep -q '^Grown suspect' out || fail "616 bytes reported over a floor of 617"
expect 0 "$HS" diff --quiet --min-growth 0 --min-growth-bytes 616 b616.snap $sc
has out "$grown"
expect 0 "$HS" diff --quiet --min-growth 2% b100000.snap $sc
! grep -q '^Grown suspect' out || fail "1.6% reported over a floor of 2%"
expect 0 "$HS" diff --quiet --min-growth 1.5 b100000.snap $sc
has out "$grown"
expect 0 "$HS" diff --quiet --min-growth-bytes 100KB b100000.snap $sc
! grep -q '^Grown suspect' out || fail "100,000 bytes reported over a floor of 100 KB"
# bad values
expect 2 "$HS" diff --min-growth 5x b616.snap $sc
hasx err "heapscan: --min-growth takes a percentage from 0 to 100, not '5x'"
expect 2 "$HS" diff --min-growth-bytes lots b616.snap $sc
hasx err "heapscan: --min-growth-bytes takes a size such as 512, 64K, 1.5G, not 'lots'"
finish
