# Beyond --max-memory the graph's arrays go to files in --tmpdir: the
# results must be exactly those of a run in memory, on a synthetic dump
# (a chain a million deep) and on a real one, and no file may be left.
# Then, where this machine lets root make a memory cgroup, a limit of
# 32 MB: the default, which reads the cgroup's limit, finishes with the
# same output.  A run told it has memory to spare (--max-memory 64G)
# keeps the references in memory through the dominators (~39 MB for the
# graph of the chain) and is killed; should it finish, then with the
# same output.
# In between, a budget (30M) that holds the chain's arrays but not the
# dominators' temporaries with them: the references spend the dominator
# phase in a file (the only bytes in files, no array spilled), and the
# results are the same.
set -u
"$MKDUMP" chain chain.hprof || exit 1
zstd -q -dc "$SAMPLES/threadlocal-leak.hprof.zst" > tl.hprof || exit 1
mkdir spill
# spilled WHAT PATTERN ARGS...: heapscan ARGS (with --stats and --tmpdir
# spill) gives mem.out's output, prints the --stats line PATTERN, and
# leaves nothing in --tmpdir
spilled() {
	what=$1 pat=$2
	shift 2
	"$HS" "$@" > file.out 2> file.err || { cat file.err; exit 1; }
	cmp -s mem.out file.out || { echo "$what: differs"; exit 1; }
	grep -q "$pat" file.err || { echo "$what: no '$pat'"; grep 'graph arrays' file.err; exit 1; }
	[ -z "$(ls -A spill)" ] || { echo "files left in --tmpdir: $(ls spill)"; exit 1; }
}
for d in chain.hprof tl.hprof; do
	last=0x100000   # the chain's head; in tl.hprof: the first thread
	[ "$d" = tl.hprof ] && last=$("$HS" top-retained --by-thread --csv --quiet --top 1 tl.hprof | awk -F, 'NR == 2 { print $5 }')
	for cmd in "dominators --json --depth 3" "suspects --json" "top-retained --by-thread --json" \
		"threads --json" "path --json"; do
		arg=""
		[ "$cmd" = "path --json" ] && arg=$last
		# shellcheck disable=SC2086
		"$HS" $cmd --quiet --max-memory 64G "$d" $arg > mem.out 2> mem.err || { cat mem.err; exit 1; }
		# from the index the first run wrote: only the arrays the
		# command asks for are read (threads of a dump without any: none)
		# shellcheck disable=SC2086
		"$HS" $cmd --quiet --max-memory 1k --tmpdir spill "$d" $arg > file.out 2> file.err ||
			{ cat file.err; exit 1; }
		cmp -s mem.out file.out || { echo "$d: $cmd differs with the index's arrays in files"; exit 1; }
		# shellcheck disable=SC2086
		spilled "$d: $cmd with the arrays in files" \
			'^stats: graph arrays: at most 0 bytes in memory (--max-memory 1024), [1-9][0-9]* in files ([1-9][0-9]* arrays)$' \
			$cmd --quiet --stats --no-index --max-memory 1k --tmpdir spill "$d" $arg
	done
done
"$HS" dominators --json --depth 3 --quiet --no-index --max-memory 64G chain.hprof > mem.out || exit 1
spilled "chain.hprof: dominators with the references in a file" \
	'^stats: graph arrays: at most [1-9][0-9]* bytes in memory (--max-memory 31457280), [1-9][0-9]* in files (0 arrays)$' \
	dominators --json --depth 3 --quiet --no-index --stats --max-memory 30M --tmpdir spill chain.hprof
# Without a limit, the shortest-path search's two arrays of 4 bytes an
# object (8,000,040 bytes for the chain's 1,000,005 nodes and the root)
# take the memory of two dominator temporaries freed before them, whose
# pages are made already: at least that many bytes are given out again.
"$HS" suspects --quiet --no-index --stats --max-memory 64G chain.hprof > /dev/null 2> file.err || { cat file.err; exit 1; }
reused=$(sed -n 's/^stats: graph arrays: \([0-9]*\) bytes given out again from freed ones .*/\1/p' file.err)
[ "${reused:-0}" -ge 8000040 ] || { echo "chain.hprof: suspects reused ${reused:-no} bytes of freed arrays"; exit 1; }
# A budget (10M) that holds some of the chain's arrays but not the
# dominators' or the path search's arrays read at random beside the rest:
# arrays that those do not read (the shallow sizes before the DFS, the
# retained sizes or the tree before the search) move from memory to
# files, and the results are the same.
for cmd in "dominators --json --depth 3" "suspects --json" "path --json"; do
	arg=""
	[ "$cmd" = "path --json" ] && arg=0x100000
	# shellcheck disable=SC2086
	"$HS" $cmd --quiet --no-index --max-memory 64G chain.hprof $arg > mem.out || exit 1
	for t in 1 2; do
		# shellcheck disable=SC2086
		spilled "chain.hprof: $cmd --threads $t with arrays moved to files" \
			'^stats: graph arrays: [1-9][0-9]* moved to files ([1-9][0-9]* bytes), their memory left to arrays read at random$' \
			$cmd --quiet --no-index --stats --threads $t --max-memory 10M --tmpdir spill chain.hprof $arg
	done
done
"$HS" snapshot --quiet --max-memory 64G tl.hprof -o mem.snap > /dev/null || exit 1
"$HS" snapshot --quiet --max-memory 1 --tmpdir spill tl.hprof -o file.snap > /dev/null || exit 1
cmp -s mem.snap file.snap || { echo "snapshots differ"; exit 1; }
# bad values are refused before any work
"$HS" dominators --max-memory 0 chain.hprof 2> err.txt && exit 1
grep -q "^heapscan: --max-memory takes a size above 0 such as 512M or 4G, not '0'$" err.txt || { cat err.txt; exit 1; }
"$HS" dominators --tmpdir "$PWD/no-such-dir" chain.hprof 2> err.txt && exit 1
grep -q "^heapscan: --tmpdir $PWD/no-such-dir: No such file or directory$" err.txt || { cat err.txt; exit 1; }

# a memory cgroup (v1 here; root only).  Not under AddressSanitizer: its
# shadow memory and quarantine alone go beyond 32 MB, so the default run
# is killed too.
cg=/sys/fs/cgroup/memory
if ldd "$HS" 2> /dev/null | grep -q 'libasan'; then
	# a sanitizer build needs several times the memory: no limit fits
	echo "cgroup: left out in the AddressSanitizer build"
elif [ "$(id -u)" = 0 ] && [ -w "$cg" ] && mkdir "$cg/heapscan-test-$$" 2> /dev/null; then
	g="$cg/heapscan-test-$$"
	trap 'rmdir "$g" 2> /dev/null' EXIT
	echo $((32 << 20)) > "$g/memory.limit_in_bytes"
	# (--no-index: building the graph is what needs the memory)
	"$HS" dominators --json --quiet --no-index --max-memory 64G chain.hprof > mem.out || exit 1
	sh -c "echo \$\$ > $g/cgroup.procs; exec \"$HS\" dominators --json --quiet --no-index --max-memory 64G chain.hprof" > killed.out 2> /dev/null
	rc=$?
	[ $rc -ne 0 ] || cmp -s mem.out killed.out || { echo "the run in a 32 MB cgroup with --max-memory 64G differs"; exit 1; }
	sh -c "echo \$\$ > $g/cgroup.procs; exec \"$HS\" dominators --json --quiet --no-index chain.hprof" > cg.out || exit 1
	cmp -s mem.out cg.out || { echo "the run in a 32 MB cgroup differs"; exit 1; }
	echo "cgroup: with memory to spare exit $rc, same output with the default"
else
	echo "cgroup: no memory cgroup to make here (not root, or no cgroup v1)"
fi
echo ok
