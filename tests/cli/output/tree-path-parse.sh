# dominators, path and info read by Python's json and csv modules and
# checked against each other and against arithmetic that holds apart from
# heapscan's code:
#  - dominators --csv is dominators --json flattened depth first, row for
#    row and value for value;
#  - with every child shown, a row retains its own shallow bytes plus what
#    its children retain, at least; percentages are retained over info's
#    reachable bytes; label and class_object_of are in every row;
#  - each step of path --json to a dominator is an object of the whole
#    dominator tree, the last one the target, no object twice; path --csv
#    is the same steps; the text of path OBJID names the same ids in order;
#  - info: the shallow heap is its two parts, the four kinds of objects are
#    the reachable plus unreachable objects.
command -v python3 > /dev/null || { echo "no python3" >&2; exit 77; }
d=$SAMPLES/static-cache.hprof.zst
run() { f=$1; shift; "$HS" "$@" --quiet > "$f" 2> "$f.err" || { echo "heapscan $*: exit $? ($(head -3 "$f.err"))"; exit 1; }; }
run info.json info --json "$d"
run tree.json dominators --json --top 0 --depth 1000 --children 0 "$d"
run dom.json dominators --json --top 8 --depth 2 --children 0 "$d"
run dom.csv dominators --csv --top 8 --depth 2 --children 0 "$d"
ids=$(python3 -c 'import json, sys; print(" ".join(r["id"] for r in json.load(sys.stdin)["dominators"][:3]))' < dom.json) || exit 1
for id in $ids; do
	run "path-$id.json" path --json --all 2 "$d" "$id"
	run "path-$id.csv" path --csv --all 2 "$d" "$id"
	run "path-$id.txt" path "$d" "$id"
done
PYTHONIOENCODING=utf-8:strict python3 - $ids <<'PY'
import csv, json, re, sys
fails = []
def fail(m): fails.append(m)
load = lambda f: json.load(open(f, encoding='utf-8'))
info = load('info.json')
reach = info['reachable_bytes']
if info['shallow_heap'] != info['shallow_objects'] + info['shallow_class_objects']:
    fail('info: shallow_heap is not its parts')
if info['instances'] + info['object_arrays'] + info['primitive_arrays'] + info['class_objects'] != \
        info['reachable_objects'] + info['unreachable_objects']:
    fail('info: the kinds of objects are not the reachable and unreachable ones')
if not any(r['record'] in ('HEAP_DUMP', 'HEAP_DUMP_SEGMENT') for r in info['records']) or \
        not all(isinstance(r['count'], int) and r['count'] > 0 for r in info['records'] + info['gc_roots_by_kind']):
    fail('info: records %r' % info['records'])
if info['schema'] != 2 or info['command'] != 'info':
    fail('info: schema %r command %r' % (info['schema'], info['command']))

# the whole tree: every reachable object once
tree, stack = {}, list(load('tree.json')['dominators'])
while stack:
    r = stack.pop()
    if r['id'] in tree:
        fail('tree: %s twice' % r['id'])
    tree[r['id']] = r
    stack.extend(r.get('children', []))
if len(tree) != info['reachable_objects']:
    fail('tree: %d objects, info %d reachable' % (len(tree), info['reachable_objects']))

dom = load('dom.json')
if dom['schema'] != 2 or dom['command'] != 'dominators' or dom['reachable_bytes'] != reach:
    fail('dominators: header %r' % {k: v for k, v in dom.items() if k != 'dominators'})
flat = []
def walk(rows, depth):
    for r in rows:
        flat.append((depth, r))
        for k in ('label', 'class_object_of', 'class', 'id'):
            if k not in r:
                fail('dominators: no %s in %r' % (k, r))
        if abs(r['retained_pct'] - 100.0 * r['retained'] / reach) > 0.00006:
            fail('dominators: retained_pct of %r' % r)
        kids = r.get('children', [])
        if depth < 2 and sum(c['retained'] for c in kids) + r['shallow'] > r['retained']:
            fail('dominators: %s retains less than its children and itself' % r['id'])
        if depth < 2 and len(kids) != len(tree[r['id']].get('children', [])):
            fail('dominators: %s: %d children, the whole tree %d' % (r['id'], len(kids), len(tree[r['id']].get('children', []))))
        if tree.get(r['id'], {}).get('retained') != r['retained']:
            fail('dominators: %s is not so in the whole tree' % r['id'])
        walk(kids, depth + 1)
walk(dom['dominators'], 0)
rows = list(csv.reader(open('dom.csv', encoding='utf-8', newline='')))
cols = ['depth', 'retained_pct', 'retained', 'shallow', 'retained_objects', 'class', 'id', 'label']
if rows[0] != cols:
    fail('dominators --csv header %r' % rows[0])
if len(rows) - 1 != len(flat):
    fail('dominators: %d CSV rows, %d JSON rows' % (len(rows) - 1, len(flat)))
for c, (depth, r) in zip(rows[1:], flat):
    want = [str(depth), '%.4f' % r['retained_pct'], str(r['retained']), str(r['shallow']),
            str(r['retained_objects']), r['class'], r['id'], r['label'] or '']
    if c != want:
        fail('dominators --csv %r, JSON %r' % (c, want))

for target in sys.argv[1:]:
    p = load('path-%s.json' % target)
    if p['target'] != target or p['command'] != 'path' or not p['paths']:
        fail('path %s: %r' % (target, p))
    csvrows = list(csv.DictReader(open('path-%s.csv' % target, encoding='utf-8', newline='')))
    n = 0
    for x in p['paths']:
        st = x['steps']
        if st[-1]['id'] != target or not x['root'] or st[0]['via'] is not None or \
                any(s['via'] is None for s in st[1:]) or len({s['id'] for s in st}) != len(st):
            fail('path %s: %r' % (target, x))
        for i, s in enumerate(st):
            if s['id'] not in tree or tree[s['id']]['retained'] != s['retained'] or 'label' not in s:
                fail('path %s: step %r is not so in the dominator tree' % (target, s))
            c = csvrows[n] if n < len(csvrows) else {}
            if (c.get('path'), c.get('root'), c.get('step'), c.get('id'), c.get('retained')) != \
                    (str(x['path']), x['root'], str(i), s['id'], str(s['retained'])):
                fail('path %s --csv row %r, JSON step %r' % (target, c, s))
            n += 1
    if n != len(csvrows):
        fail('path %s: %d CSV rows, %d steps' % (target, len(csvrows), n))
    # text: one "@ 0x..." per step of the first path, in order
    text = open('path-%s.txt' % target, encoding='utf-8').read()
    first = text.split('\n\n')[1] if '\n\n' in text else ''
    got = re.findall(r' @ (0x[0-9a-f]+)', first)
    if got != [s['id'] for s in p['paths'][0]['steps']] or not first.startswith('Path 1 ('):
        fail('path %s text: %r' % (target, first))
for f in fails:
    print('FAIL:', f)
sys.exit(1 if fails else 0)
PY
