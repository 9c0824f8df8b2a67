# Commands that add to one index at once (what each learned goes at the
# end of the file, under a lock, and a command whose index another one
# added to meanwhile leaves it alone): each gives the output it gives
# without an index, and the index is whole afterwards (every command
# reads it again, with the same output).
set -u
zstd -q -dc "$SAMPLES/threadlocal-leak.hprof.zst" > d.hprof || exit 1
mkdir idx
"$HS" dominators --quiet --index-dir idx d.hprof > /dev/null || exit 1
cmds="top-retained --by-class --json
top-retained --by-package --json
top-retained --by-classloader --json
suspects --json
histogram --retained --json"
i=0
while IFS= read -r c; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	"$HS" $c --quiet --no-index d.hprof > "no.$i" || exit 1
done <<LIST
$cmds
LIST
for round in 1 2 3; do
	i=0
	pids=""
	while IFS= read -r c; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		"$HS" $c --quiet --index-dir idx d.hprof > "ix.$i" 2> "ix.$i.err" &
		pids="$pids $!"
	done <<LIST
$cmds
LIST
	for p in $pids; do
		wait "$p" || { echo "round $round: a command failed: $(cat ix.*.err)"; exit 1; }
	done
	for k in $(seq 1 $i); do
		cmp -s "no.$k" "ix.$k" || { echo "round $round: command $k differs with the index"; diff "no.$k" "ix.$k" | head -5; exit 1; }
		[ -s "ix.$k.err" ] && { echo "round $round: command $k said: $(cat "ix.$k.err")"; exit 1; }
	done
done
# whole: read, not made again
"$HS" info --json --quiet --index-dir idx d.hprof |
	python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["index"]["state"] == "read", r["index"]' || exit 1
[ "$(ls idx | wc -l)" = 1 ] || { echo "left in idx: $(ls idx)"; exit 1; }
