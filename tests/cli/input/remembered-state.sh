# The state behind "the dump may be left out": the dump taken is named on
# stderr; paths with a newline or a TAB are kept (escaped in the file); a
# state that cannot be written is a warning, not silence (a later command
# would take an older dump); lines whose folder or dump is gone, and junk,
# are dropped, and the newest 200 directories kept; a FIFO is not
# remembered (opening it again would wait for a writer).
XDG_STATE_HOME="$PWD/state"
export XDG_STATE_HOME
st=state/heapscan/last-dumps
top=$PWD
show() { sed "s|$top|.|g"; }
"$MKDUMP" small d.hprof && cp d.hprof e.hprof || exit 1

echo "# the dump taken, on stderr"
"$HS" info --fast d.hprof > /dev/null
"$HS" info --fast 2>&1 > /dev/null | show
"$HS" info --fast --quiet 2>&1 > /dev/null | show

echo "# a newline and a TAB in the folder and in the dump"
odd=$(printf 'new\nline\tdir')
mkdir "$odd" && cp d.hprof "$odd/$(printf 'a\nb\tc.hprof')" || exit 1
(cd "$odd" && "$HS" info --fast --quiet "$(printf 'a\nb\tc.hprof')" > /dev/null &&
	"$HS" histogram --top 0 --csv 2>&1 | show)
show < "$st"

echo "# a state that cannot be written: a warning, and the command works"
: > notadir
XDG_STATE_HOME="$top/notadir" "$HS" info --fast e.hprof 2>&1 > /dev/null | show
echo "exit: $(XDG_STATE_HOME="$top/notadir" "$HS" info --fast --quiet e.hprof > /dev/null; echo $?)"
mkdir -p ro/heapscan/last-dumps
XDG_STATE_HOME="$top/ro" "$HS" info --fast e.hprof 2>&1 > /dev/null | show
# the stale dump a failed update leaves is named when it is taken
XDG_STATE_HOME="$top/stale" "$HS" info --fast --quiet d.hprof > /dev/null
rm stale/heapscan/last-dumps.lock && mkdir stale/heapscan/last-dumps.lock
XDG_STATE_HOME="$top/stale" "$HS" info --fast e.hprof 2>&1 > /dev/null | show
XDG_STATE_HOME="$top/stale" "$HS" info --fast 2>&1 > /dev/null | show

echo "# gone folders and dumps, and junk, are dropped"
mkdir gone keep && cp d.hprof gone/ && cp d.hprof keep/x.hprof || exit 1
(cd gone && "$HS" info --fast --quiet d.hprof > /dev/null)
(cd keep && "$HS" info --fast --quiet x.hprof > /dev/null)
rm -r gone keep/x.hprof
printf 'junk without a tab\n%s\tnot/absolute\n' "$top" >> "$st"
"$HS" info --fast --quiet e.hprof > /dev/null
show < "$st"

echo "# at most 200 directories, the newest"
mkdir many && i=1
while [ $i -le 300 ]; do
	mkdir many/$i && printf '%s\t%s\n' "$top/many/$i" "$top/d.hprof" >> "$st"
	i=$((i + 1))
done
"$HS" info --fast --quiet d.hprof > /dev/null
echo "lines: $(wc -l < "$st")"
head -1 "$st" | show
tail -1 "$st" | show

echo "# a FIFO is read, not remembered"
mkdir fifo && cd fifo && mkfifo f || exit 1
(timeout 60 cat ../d.hprof > f &)
"$HS" info --fast --quiet f | head -1
timeout 20 "$HS" info --fast 2>&1 | show
