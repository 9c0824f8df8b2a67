# dominators --immediate and histogram --retained on samples/waste.hprof.zst
# (samples/java/Waste.java: EMPTY_MAP_COUNT HashMaps held by one HashMap[],
# each with a table of MAP_CAPACITY references; a HashMap's size comes
# from the jcmd histogram).
dump=$SAMPLES/waste.hprof.zst
"$HS" dominators --quiet --json --top 0 --immediate java.util.HashMap "$dump" > imm.json || exit 1
"$HS" dominators --quiet --csv --top 0 --immediate java.util.HashMap "$dump" > imm.csv || exit 1
"$HS" histogram --quiet --json --retained "$dump" > hist.json || exit 1
"$HS" top-retained --quiet --json --by-class --top 0 "$dump" > top.json || exit 1
python3 - "$SAMPLES/java/Waste.java" "$SAMPLES/waste.histo.txt" <<'PY' || exit 1
import csv, json, re, sys
src = open(sys.argv[1]).read()
def const(name):
    return int(re.search(r'static final int %s = (\d+);' % name, src).group(1))
each = {}
for line in open(sys.argv[2]):
    m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
    if m:
        each[m.group(3)] = int(m.group(2)) // int(m.group(1))
fail = []
def check(what, got, want):
    if got != want:
        fail.append('%s: got %r, want %r' % (what, got, want))
imm = json.load(open('imm.json'))
rows = {r['class']: r for r in imm['immediate_dominators']}
n, cap = const('EMPTY_MAP_COUNT'), const('MAP_CAPACITY')
r = rows.get('java.util.HashMap[]')
if r is None:
    fail.append('no java.util.HashMap[] row: %r' % list(rows))
else:
    check('held maps', (r['count'], r['dominator_count']), (n, 1))
    check('their shallow', r['shallow'], n * each['java.util.HashMap'])
    # each map retains itself and its table (16 + 4 * MAP_CAPACITY bytes)
    check('their retained', r['retained'], n * (each['java.util.HashMap'] + 16 + 4 * cap))
check('all instances grouped', sum(r['count'] for r in imm['immediate_dominators']), imm['instances'])
check('csv', sorted(r['class'] for r in csv.DictReader(open('imm.csv'))), sorted(rows))
hist = {r['class']: r for r in json.load(open('hist.json'))['classes']}
top = {r['class']: r for r in json.load(open('top.json'))['classes']}
check('classes', sorted(hist), sorted(top))
for name, t in top.items():
    h = hist.get(name)
    if h and (h['retained'], h['instances'], h['shallow']) != (t['retained'], t['instances'], t['shallow']):
        fail.append('%s: histogram %r, top-retained %r' % (name, h, t))
check('Persons', hist['Waste$Person']['instances'], const('PERSONS'))
if fail:
    print('\n'.join(fail[:10]))
    sys.exit(1)
PY
