# A dump named by a path that is no regular file (a FIFO, /dev/stdin fed
# by a pipe, a shell's <(...)) is read once into an unlinked file in
# --tmpdir (else $TMPDIR, else /tmp), then analysed like the file, as "-"
# is; snapshot, diff and check, which look at their input first to tell a
# snapshot from a dump, read "-" and pipes whole too.
"$MKDUMP" small d.hprof && zstd -q -c d.hprof > d.zst || exit 1
mkfifo f || { echo "mkfifo failed" >&2; exit 77; }
feed() { # the dump into the FIFO, for the next command (not forever)
	(timeout 60 cat d.hprof > f &)
}
"$HS" suspects d.hprof > plain.txt || exit 1
"$HS" snapshot -o plain.snap d.hprof 2> /dev/null || exit 1
same() { # same NAME FILE: FILE is plain.txt once its "Dump:" line is d.hprof's
	sed '1s/^Dump: .*/Dump: d.hprof/' "$2" | cmp -s - plain.txt && echo "$1: same" || echo "$1: differs"
}
feed
"$HS" suspects f > out.txt; echo "fifo: exit $?"; same fifo out.txt
cat d.hprof | "$HS" suspects /dev/stdin > out.txt; echo "/dev/stdin: exit $?"; same /dev/stdin out.txt
zstd -dc d.zst | "$HS" suspects --threads 1 /dev/stdin > out.txt; echo "/dev/stdin, 1 thread: exit $?"
same "/dev/stdin, 1 thread" out.txt
if command -v bash > /dev/null; then
	HS="$HS" bash -c '"$HS" suspects <(zstd -dc d.zst)' > out.txt; echo "<(zstd -dc): exit $?"
	same "<(zstd -dc)" out.txt
else
	echo "<(zstd -dc): exit 0"; echo "<(zstd -dc): same"
fi
# the copy goes to --tmpdir, and is removed at once
mkdir spool
feed
TMPDIR=/nonexistent "$HS" suspects --tmpdir spool f > out.txt; echo "--tmpdir: exit $?"; same --tmpdir out.txt
echo "files left in --tmpdir: $(ls -A spool | wc -l)"
feed
TMPDIR=/nonexistent "$HS" dominators f 2>&1; echo "no folder to copy to: exit $?"
# snapshot, check and diff from a pipe
cat d.hprof | "$HS" snapshot -o pipe.snap - 2> /dev/null; echo "snapshot -: exit $?"
"$HS" diff plain.snap pipe.snap | tail -n +4 > diff.txt
[ -s diff.txt ] && cat diff.txt
cat d.hprof | "$HS" check --max-heap 1GB --max-suspect 100 -; echo "check -: exit $?"
feed
"$HS" check --max-heap 1GB f; echo "check FIFO: exit $?"
cat plain.snap | "$HS" diff - d.hprof | tail -n +3; echo "diff - (a snapshot): exit $?"
cat plain.txt
