# The commands built on the summary (snapshot, check, diff) walk the
# dominator tree once for the classes, the prefixes and the class loaders:
# they keep the class and loader sums in the index, the one they write or
# the one they read (added to it), so top-retained --by-class and
# --by-classloader and histogram --retained after them read the sums
# (they learn nothing) and print what they print without an index.  After
# dominators alone, which has no such walk, they compute the sums and add
# them (the control).  A command that finds the sums in the index does
# not add them again.
set -u
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
zstd -q -dc "$SAMPLES/threadlocal-leak.hprof.zst" > tl.hprof || exit 1
cp "$SAMPLES/classloader-leak.hprof.zst" . || exit 1
for d in tl.hprof classloader-leak.hprof.zst; do
	for first in "snapshot -o s.snap" "check --max-heap 1GB" "diff $d" "dominators;snapshot -o s.snap" dominators; do
		rm -rf idx && mkdir idx
		ok=1
		IFS=';'
		for c in $first; do
			IFS=' '
			# shellcheck disable=SC2086
			"$HS" $c --quiet --index-dir idx $d > /dev/null 2> first.err
			[ $? -le 1 ] || { fail "$d: $c: $(head -2 first.err)"; ok=0; }
		done
		IFS=' '
		[ $ok = 1 ] || continue
		while IFS= read -r c; do
			# shellcheck disable=SC2086
			"$HS" $c --quiet --no-index "$d" > no.out 2> no.err || { fail "$d: $c: $(head -2 no.err)"; continue; }
			# shellcheck disable=SC2086
			"$HS" $c --quiet --stats --index-dir idx "$d" > ix.out 2> ix.err ||
				{ fail "$d: $c after $first: $(head -2 ix.err)"; continue; }
			cmp -s no.out ix.out || { fail "$d: $c after $first differs"; diff no.out ix.out | head -5 >&2; }
			case $first in
			dominators)
				# (histogram --retained: the class sums that
				# top-retained --by-class added just before)
				case $c in histogram*) ;; *)
					grep -q '^stats: index: added' ix.err || fail "$d: $c after dominators learned nothing" ;;
				esac ;;
			*)
				! grep -q '^stats: index: added' ix.err || fail "$d: $c after $first had something left to learn" ;;
			esac
		done <<LIST
top-retained --by-class --json
top-retained --by-classloader --json
histogram --retained --json
LIST
		# all in the index already: a snapshot now adds nothing
		[ "$first" = dominators ] && continue
		"$HS" snapshot -o s.snap --quiet --stats --index-dir idx "$d" > /dev/null 2> again.err ||
			fail "$d: snapshot after $first"
		! grep -q '^stats: index: added' again.err || fail "$d: snapshot after $first added to the index"
	done
done
[ "$fails" = 0 ] || exit 1
echo ok
