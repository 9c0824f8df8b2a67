# The JSON and CSV field names against the manual:
#  - the manual's list (OUTPUT) is the one src/format/fields.c declares,
#    with each field's kind and description (scripts/man-fields.py --check);
#  - every key of every JSON document and every CSV header the commands
#    below write on a sample is a declared field, and every document says
#    its schema and command first (every command, every --json and --csv).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
HS=${HS:-$top/heapscan}
d=$top/samples/threadlocal-leak.hprof.zst
[ -f "$d" ] || { echo "no sample $d" >&2; exit 77; }
python3 "$top/scripts/man-fields.py" --check || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/hs-fields.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
base=$top/samples/healthy.hprof.zst
cd "$work" || exit 1
id=$("$HS" dominators --quiet --json --top 1 "$d" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dominators"][0]["id"])') || exit 1
n=0
# each command line, and whether it has --csv (1) or only --json (0)
while read -r csv c; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$HS" $c --quiet --json > "$work/$n.json" || { echo "$c --json failed"; exit 1; }
	if [ "$csv" = 1 ]; then
		# shellcheck disable=SC2086
		"$HS" $c --quiet --csv > "$work/$n.csv" || { echo "$c --csv failed"; exit 1; }
	fi
	echo "$c" > "$work/$n.cmd"
done <<EOF2
0 info $d
1 histogram $d
1 histogram --live $d
1 dominators --depth 2 $d
1 dominators --group-by class $d
1 dominators --from $id $d
1 top-retained $d
1 top-retained --by-class $d
1 top-retained --by-thread $d
1 top-retained --by-classloader $d
1 top-retained --by-package $d
1 path $d $id
1 threads $d
1 threads --group $d
0 suspects $d
0 snapshot -o s.snap $d
1 diff $base $d
1 check --max-heap 1G --max-threads 1000 $d
0 index $d
1 inspect $id $d
1 objects java.lang.Thread $d
1 objects java.util.HashMap --where size>0 $d
1 waste $d
1 dominators --immediate java.util.HashMap $d
1 histogram --retained $d
EOF2
python3 - "$top/src/format/fields.c" "$work" "$n" <<'PY'
import csv, json, re, sys
fields = set(re.findall(r'\{ "([a-z0-9_]+)", HS_K_', open(sys.argv[1]).read()))
work, n, bad = sys.argv[2], int(sys.argv[3]), 0
def keys(v, out):
    if isinstance(v, dict):
        for k, x in v.items():
            out.add(k)
            keys(x, out)
    elif isinstance(v, list):
        for x in v:
            keys(x, out)
for i in range(1, n + 1):
    cmd = open('%s/%d.cmd' % (work, i)).read().strip()
    doc = json.load(open('%s/%d.json' % (work, i)))
    if list(doc)[:2] != ['schema', 'command'] or doc['schema'] != 2 or doc['command'] != cmd.split()[0]:
        print('%s --json: starts %r, not schema 2 and the command' % (cmd, list(doc.items())[:2])); bad = 1
    ks = set()
    keys(doc, ks)
    try:
        head = next(csv.reader(open('%s/%d.csv' % (work, i))))
    except FileNotFoundError:
        head = []
    for k in sorted((ks | set(head)) - fields):
        print('%s: field %r is not declared in src/format/fields.c' % (cmd, k)); bad = 1
sys.exit(bad)
PY
