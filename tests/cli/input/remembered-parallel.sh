# Commands run at once from different directories each remember their
# dump: the state file is updated under a lock, all or nothing (8 at a
# time, 80 directories; without the lock about a fifth survived).
XDG_STATE_HOME="$PWD/state"
export XDG_STATE_HOME
"$MKDUMP" small x.hprof || exit 1
i=1
while [ $i -le 80 ]; do
	mkdir d$i && cp x.hprof d$i/ || exit 1
	i=$((i + 1))
done
i=1
while [ $i -le 80 ]; do echo $i; i=$((i + 1)); done |
	xargs -P 8 -I{} sh -c 'cd d{} && exec "$HS" info --fast --quiet x.hprof > /dev/null' || exit 1
ok=0
i=1
while [ $i -le 80 ]; do
	[ "$(cd d$i && "$HS" info --fast --quiet | head -1)" = "Dump:              $PWD/d$i/x.hprof" ] && ok=$((ok + 1))
	i=$((i + 1))
done
echo "remembered: $ok of 80"
echo "lines: $(wc -l < state/heapscan/last-dumps)"
