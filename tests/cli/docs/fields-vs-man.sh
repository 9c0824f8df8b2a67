# The JSON and CSV field names against the manual:
#  - the manual's list (OUTPUT) is the one src/format/fields.c declares,
#    with each field's kind and description (scripts/man-fields.py --check);
#  - every key of every JSON document and every CSV header the commands
#    below write on a sample is a declared field, and every document says
#    its schema and command first.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
HS=${HS:-$top/heapscan}
d=$top/samples/threadlocal-leak.hprof.zst
[ -f "$d" ] || { echo "no sample $d" >&2; exit 77; }
python3 "$top/scripts/man-fields.py" --check || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/hs-fields.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
n=0
for c in "histogram" "histogram --live" "top-retained" "top-retained --by-class" \
	"top-retained --by-thread" "top-retained --by-classloader" "top-retained --by-package"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$HS" $c --quiet --json "$d" > "$work/$n.json" || { echo "$c --json failed"; exit 1; }
	# shellcheck disable=SC2086
	"$HS" $c --quiet --csv "$d" > "$work/$n.csv" || { echo "$c --csv failed"; exit 1; }
	echo "$c" > "$work/$n.cmd"
done
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
    head = next(csv.reader(open('%s/%d.csv' % (work, i))))
    for k in sorted((ks | set(head)) - fields):
        print('%s: field %r is not declared in src/format/fields.c' % (cmd, k)); bad = 1
sys.exit(bad)
PY
