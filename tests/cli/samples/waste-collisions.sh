# waste's duplicate Strings do not depend on the hash that finds them:
# with the hash cut to a few bits (HEAPSCAN_WASTE_HASH_BITS, so that
# different values collide and their runs must be split by comparing the
# values), the result is the same; and --top only limits the rows shown,
# never the totals.
for dump in "$SAMPLES/waste.hprof.zst" "$SAMPLES/tomcat-server.hprof.zst"; do
	"$HS" waste --quiet --json --top 0 "$dump" > full.json || exit 1
	HEAPSCAN_WASTE_HASH_BITS=4 "$HS" waste --quiet --json --top 0 "$dump" > cut.json || exit 1
	cmp -s full.json cut.json || { echo "$dump: differs with a 4-bit hash"; diff full.json cut.json | head; exit 1; }
	"$HS" waste --quiet --json --top 2 "$dump" > top.json || exit 1
	python3 - full.json top.json <<'PY' || exit 1
import json, sys
full, top = (json.load(open(p)) for p in sys.argv[1:3])
if top['duplicate_strings'] != full['duplicate_strings'][:2] or top['waste'] != full['waste']:
    print('--top 2 is not the first rows of --top 0 with the same totals')
    sys.exit(1)
PY
done
