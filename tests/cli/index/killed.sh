# A command killed at any moment leaves a whole index or none in the
# index folder, and no other file: kill -9 at a range of moments of a
# run that writes the index, then check the folder (and that what is
# there is read back by the next command).
set -u
"$MKDUMP" chain d.hprof || exit 1
"$HS" suspects --quiet --no-index --json d.hprof > want.out || exit 1
for delay in 0.05 0.1 0.15 0.2 0.3 0.4 0.5 0.7 1.0; do
	rm -rf idx && mkdir idx
	"$HS" suspects --quiet --json --index-dir idx d.hprof > /dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null
	for f in idx/* idx/.[!.]*; do
		[ -e "$f" ] || continue
		case $f in
		idx/d.hprof.*[0-9a-f].hsidx) ;;
		*) echo "killed after ${delay}s: left $f"; exit 1 ;;
		esac
	done
	"$HS" suspects --quiet --json --index-dir idx d.hprof > got.out 2> got.err || { cat got.err; exit 1; }
	cmp -s want.out got.out || { echo "killed after ${delay}s: other results next time"; exit 1; }
	grep -q "damaged" got.err && { echo "killed after ${delay}s: a damaged index was left"; exit 1; }
done
echo ok
