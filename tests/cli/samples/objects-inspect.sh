# objects, objects --where and inspect on samples/waste.hprof.zst
# (samples/java/Waste.java: PERSONS instances of Waste$Person with ids
# 0..PERSONS-1, each with its own String CITY_PREFIX + CITY_NUMBER; the
# jcmd histogram gives their number and size independently).
dump=$SAMPLES/waste.hprof.zst
src=$SAMPLES/java/Waste.java
"$HS" objects --quiet --json --top 0 'Waste$Person' "$dump" > all.json || exit 1
"$HS" objects --quiet --json --top 0 --where 'id < 3 or id >= 498 and not (id = 499)' 'Waste$Person' "$dump" > some.json || exit 1
"$HS" objects --quiet --csv --top 0 --where "city ~ 'Springfield-*' and not size >= 0 and retained > 0" 'Waste$Person' "$dump" > city.csv || exit 1
"$HS" objects --quiet --json --where "city = 'nowhere'" 'Waste$Person' "$dump" > none.json || exit 1
"$HS" objects --quiet --json --top 0 --where 'size = 1000' java.lang.Object[] "$dump" > arrays.json || exit 1
python3 - "$src" "$SAMPLES/waste.histo.txt" <<'PY' || exit 1
import csv, json, re, sys
src = open(sys.argv[1]).read()
def const(name):
    return int(re.search(r'static final int %s = (\d+);' % name, src).group(1))
histo = {}
for line in open(sys.argv[2]):
    m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
    if m:
        histo[m.group(3)] = (int(m.group(1)), int(m.group(2)))
fail = []
def check(what, got, want):
    if got != want:
        fail.append('%s: got %r, want %r' % (what, got, want))
everyone = json.load(open('all.json'))
n, nbytes = histo['Waste$Person']
check('instances', (everyone['count'], len(everyone['objects'])), (const('PERSONS'), n))
check('shallow', everyone['shallow_total'], nbytes)
check('retained order', [r['retained'] for r in everyone['objects']],
      sorted((r['retained'] for r in everyone['objects']), reverse=True))
some = json.load(open('some.json'))
check('where count', some['count'], 4)      # 0, 1, 2, 498
check('where ids distinct', len({r['id'] for r in some['objects']}), 4)
check('where subset', {r['id'] for r in some['objects']} <= {r['id'] for r in everyone['objects']}, True)
rows = list(csv.DictReader(open('city.csv')))
check('city rows', len(rows), const('PERSONS'))
check('none', (json.load(open('none.json'))['count'], json.load(open('none.json'))['objects']), (0, []))
arrays = json.load(open('arrays.json'))
# SPARSE_LIST_COUNT elementData arrays of LIST_CAPACITY slots (the JDK has none)
check('arrays of 1000', (arrays['count'], {r['size'] for r in arrays['objects']}), (const('SPARSE_LIST_COUNT'), {1000}))
if fail:
    print('\n'.join(fail))
    sys.exit(1)
PY
# inspect the Person with id 7, whose id objects --where finds; the path
# and the referrer come from the ArrayList PEOPLE's Object[] at slot 7
id=$("$HS" objects --quiet --csv --where 'id = 7' 'Waste$Person' "$dump" | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
assert len(rows) == 1, rows
print(rows[0]["id"])') || exit 1
"$HS" inspect --quiet --json "$id" "$dump" > one.json || exit 1
"$HS" inspect --quiet "$dump" "$id" > one.txt || exit 1
"$HS" inspect --quiet --csv "$id" "$dump" > one.csv || exit 1
python3 - "$id" <<'PY' || exit 1
import csv, json, sys
doc = json.load(open('one.json'))
fail = []
def check(what, got, want):
    if got != want:
        fail.append('%s: got %r, want %r' % (what, got, want))
o = doc['object']
check('object', (o['id'], o['class']), (sys.argv[1], 'Waste$Person'))
fields = {f['field']: f for f in doc['fields']}
check('id field', (fields['id']['type'], fields['id']['value']), ('int', '7'))
check('city field', (fields['city']['type'], fields['city']['value']), ('java.lang.String', '"Springfield-City-1001"'))
check('path end', [s['via'] for s in doc['steps'][-3:]], ['static PEOPLE', '.elementData', '[7]'])
check('referrers', [(r['class'], r['via']) for r in doc['referrers']], [('java.lang.Object[]', '[7]')])
check('dominated', [d['id'] for d in doc['dominated']], [fields['city']['id']])
rows = list(csv.DictReader(open('one.csv')))
check('csv', sorted((r['field'], r['value']) for r in rows), [('city', '"Springfield-City-1001"'), ('id', '7')])
text = open('one.txt').read()
check('text', ('"Springfield-City-1001"' in text, 'static PEOPLE' in text), (True, True))
if fail:
    print('\n'.join(fail))
    sys.exit(1)
PY
# an array: ZEROS is a long[ZERO_ARRAYS][], each element a long[ZERO_LENGTH]
zid=$("$HS" objects --quiet --csv 'long[][]' "$dump" | python3 -c '
import csv, sys
print(list(csv.DictReader(sys.stdin))[0]["id"])') || exit 1
"$HS" inspect --quiet --json --top 5 "$zid" "$dump" > arr.json || exit 1
"$HS" inspect --quiet --json --all "$zid" "$dump" > arr-all.json || exit 1
python3 - <<'PY' || exit 1
import json
a, b = json.load(open('arr.json')), json.load(open('arr-all.json'))
assert a['length'] == 30 and b['length'] == 30, (a['length'], b['length'])
assert [e['slot'] for e in a['array_elements']] == list(range(5)), a['array_elements']
assert len(b['array_elements']) == 30
assert all(e['type'] == 'long[]' and e['retained'] == 24016 for e in b['array_elements'])
PY
# the same with the dump read again without the index
"$HS" inspect --quiet --json --no-index "$id" "$dump" > one-noindex.json || exit 1
cmp -s one.json one-noindex.json || { diff one.json one-noindex.json | head; exit 1; }
