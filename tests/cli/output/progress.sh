# Progress: on a terminal each phase shows, the dominator phase with its
# percentage up to 100%; with stderr no terminal, nothing.  The terminal
# is script(1)'s (util-linux), which every Debian has.
set -u
command -v script > /dev/null || { echo "no script(1)"; exit 1; }
"$MKDUMP" chain d.hprof || exit 1
script -qec "\"$HS\" dominators --no-index --top 1 d.hprof > /dev/null" /dev/null < /dev/null > tty.out 2>&1 ||
	{ cat tty.out; exit 1; }
tr '\r' '\n' < tty.out > lines
for phase in "reading" "building graph (1/2)" "building graph (2/2)" "dominators: 100%"; do
	grep -aqF "$phase" lines || { echo "no '$phase' on the terminal:"; cat -v lines | head; exit 1; }
done
# not a terminal: quiet
"$HS" dominators --no-index --top 1 d.hprof > /dev/null 2> err || exit 1
[ ! -s err ] || { echo "progress without a terminal: $(cat -v err)"; exit 1; }
echo ok
