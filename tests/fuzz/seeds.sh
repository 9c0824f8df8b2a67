#!/bin/sh
# Builds the seed corpora of the fuzz targets (README.md, "Fuzzing"):
#   OUT/dump      the synthetic dumps of tests/mkdump, one per name (the
#                 big ones cut down by hprof-reduce), a small one gzip'd
#                 and zstd'd, and the samples cut down by hprof-reduce to
#                 the 100 and the 1,000 objects nearest their GC roots (and
#                 3,000 for those whose leak needs more to show)
#   OUT/snapshot  tests/cli/ci/*.snap and the snapshots heapscan writes of
#                 the dumps above, each also as plain text
#   OUT/rules     samples/ci/heapscan.rules, the README's rules, those of
#                 the CLI tests, a rule of every kind, each line of the
#                 first, second and last alone
#   OUT/index     the indexes heapscan writes of the dumps above (of the
#                 graph, and of the graph without weak references)
# Usage, from the top of a build: sh tests/fuzz/seeds.sh [OUT]
# OUT defaults to tests/fuzz/corpus (ignored by git; nothing here is
# committed).  It needs heapscan, tests/mkdump and tests/fuzz/hprof-reduce
# built there (make heapscan tests/mkdump tests/fuzz/hprof-reduce), or HS,
# MKDUMP and REDUCE naming them, and zstd and gzip.  Files already in OUT
# stay: a corpus that grew keeps what it found.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-tests/fuzz/corpus}
HS=${HS:-$PWD/heapscan}
MKDUMP=${MKDUMP:-$PWD/tests/mkdump}
REDUCE=${REDUCE:-$PWD/tests/fuzz/hprof-reduce}
for p in "$HS" "$MKDUMP" "$REDUCE"; do
	if [ ! -x "$p" ]; then
		echo "seeds.sh: no $p: make heapscan tests/mkdump tests/fuzz/hprof-reduce" >&2
		exit 2
	fi
done
mkdir -p "$out/dump" "$out/snapshot" "$out/rules" "$out/index"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME="$tmp/state"   # heapscan remembers its dumps there

# dumps
max=1048576
for n in small truncated segments empty not-hprof bad-version idsize5 bad-subtag huge-length \
	big-instance two-dumps android big-array chain contended; do
	"$MKDUMP" "$n" "$tmp/$n.hprof"
	if [ "$(wc -c < "$tmp/$n.hprof")" -le $max ]; then
		cp "$tmp/$n.hprof" "$out/dump/mkdump-$n.hprof"
	else
		"$REDUCE" -n 2000 "$tmp/$n.hprof" "$out/dump/mkdump-$n-reduced.hprof"
	fi
	rm -f "$tmp/$n.hprof"
done
gzip -9 -c "$out/dump/mkdump-small.hprof" > "$out/dump/mkdump-small.hprof.gz"
zstd -q -c "$out/dump/mkdump-segments.hprof" > "$out/dump/mkdump-segments.hprof.zst"
for s in "$top"/samples/*.hprof.zst; do
	[ -f "$s" ] || continue
	b=$(basename "$s")
	b=${b%.hprof.*}
	case $s in
	*.zst) zstd -q -d -c "$s" > "$tmp/$b.hprof" ;;
	*) gzip -d -c "$s" > "$tmp/$b.hprof" ;;
	esac
	"$REDUCE" -n 100 "$tmp/$b.hprof" "$out/dump/$b-100.hprof"
	"$REDUCE" -n 1000 "$tmp/$b.hprof" "$out/dump/$b-1000.hprof"
	case $b in   # where a leak suspect needs more of the heap
	*leak* | static-cache | shared-sessions | collection-sizes)
		"$REDUCE" -n 3000 "$tmp/$b.hprof" "$out/dump/$b-3000.hprof" ;;
	esac
	rm -f "$tmp/$b.hprof"
done

# snapshots
for f in "$top"/tests/cli/ci/*.snap; do
	[ -f "$f" ] || continue
	b=$(basename "$f" .snap)
	cp "$f" "$out/snapshot/ci-$b.snap"
	zstd -q -d -c "$f" > "$out/snapshot/ci-$b.txt"
done
for d in "$out"/dump/*-1000.hprof "$out"/dump/*-3000.hprof "$out"/dump/mkdump-*.hprof; do
	b=$(basename "$d" .hprof)
	"$HS" snapshot --quiet --index-dir "$out/index" "$d" -o "$out/snapshot/$b.snap" > /dev/null 2>&1 || continue
	zstd -q -d -c "$out/snapshot/$b.snap" > "$out/snapshot/$b.txt"
done
# indexes: those of the snapshots above, and of the graph without weak
# references of the smaller dumps
for d in "$out"/dump/*-100.hprof "$out"/dump/mkdump-small.hprof "$out"/dump/mkdump-chain*.hprof; do
	[ -f "$d" ] && "$HS" index --quiet --exclude-weak --index-dir "$out/index" "$d" > /dev/null 2>&1
done

# rules
cp "$top/samples/ci/heapscan.rules" "$out/rules/ci-example.rules"
awk '/^### Rules/ { on = 1 } on && /^```$/ { n++; next } on && n == 1' "$top/README.md" > "$out/rules/readme.rules"
# the rules files of the CLI tests (their quoted here-documents)
for f in "$top"/tests/cli/ci/*.sh; do
	awk -v out="$out/rules/test-$(basename "$f" .sh)" '
		/<<.EOR.$/ && /rules/ { n++; on = 1; next }
		/^EOR$/ { on = 0 }
		on { print > (out "-" n ".rules") }' "$f"
done
cat > "$out/rules/every-kind.rules" <<'EOR'
# every kind of rule
heap <= 2GB
threads <= 500
suspect <= 30%
thread-held <= 100MB
thread-held entries <= 100000
com.example.cache.* <= 200MB
class com.example.cache.Cache$Entry (loader plugin-1) retained <= 1KB
java.lang.Thread count <= 500
java.util.HashMap* shallow <= 1MB
*[] <= 10KB
total +10%
total +1MB
class com.example.* +5MB
class java.lang.Long +50%
EOR
i=0
cat "$out/rules/ci-example.rules" "$out/rules/readme.rules" "$out/rules/every-kind.rules" |
	grep -v '^#' | grep . | while IFS= read -r line; do
		i=$((i + 1))
		printf '%s\n' "$line" > "$out/rules/line-$i.rules"
	done
echo "seeds.sh: $(ls "$out/dump" | wc -l) dumps, $(ls "$out/snapshot" | wc -l) snapshots," \
	"$(ls "$out/rules" | wc -l) rules files, $(ls "$out/index" | wc -l) indexes in $out"
