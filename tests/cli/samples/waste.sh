# waste on samples/waste.hprof.zst: the figures follow from the constants
# of samples/java/Waste.java (read from it below) and the JVM's layout
# (64-bit, compressed oops, 8-byte alignment: an array header of 16 bytes,
# 4-byte references), with the instance sizes taken from the jcmd
# histogram samples/waste.histo.txt, not from heapscan.
dump=$SAMPLES/waste.hprof.zst
"$HS" waste --quiet --json --top 0 "$dump" > waste.json || exit 1
"$HS" waste --quiet --csv "$dump" > waste.csv || exit 1
python3 - "$SAMPLES/java/Waste.java" "$SAMPLES/waste.histo.txt" waste.json waste.csv <<'PY' || exit 1
import csv, json, re, sys
src = open(sys.argv[1]).read()
def const(name):
    return int(re.search(r'static final (?:int|long) %s = ([0-9_]+)L?;' % name, src).group(1).replace('_', ''))
def text(name):
    return re.search(r'static final String %s = "([^"]*)";' % name, src).group(1)
each = {}
for line in open(sys.argv[2]):
    m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
    if m:
        each[m.group(3)] = int(m.group(2)) // int(m.group(1))
def array(n, elem):          # array header 16, rounded up to 8
    return (16 + n * elem + 7) // 8 * 8
string = each['java.lang.String']
doc = json.load(open(sys.argv[3]))
fail = []
def check(what, got, want):
    if got != want:
        fail.append('%s: got %r, want %r' % (what, got, want))
dups = {r['value']: r for r in doc['duplicate_strings']}
city = text('CITY_PREFIX') + str(const('CITY_NUMBER'))
listed = text('LIST_PREFIX') + str(const('LIST_NUMBER'))
for value, n, holder in ((city, const('PERSONS'), 'Waste$Person.city'),
                         (listed, const('LIST_DUPLICATES'), 'java.lang.Object[]')):
    r = dups.get(value)
    if r is None:
        fail.append('no duplicate row for %s' % value)
        continue
    check(value + ' count', r['count'], n)
    # every String but one, and its own byte[] of len(value) Latin-1 bytes
    check(value + ' wasted', r['wasted'], (n - 1) * (string + array(len(value), 1)))
    check(value + ' holders', r['holders'], '%s (%d)' % (holder, n))
colls = {(r['class'], r['empty']): r for r in doc['collections']}
maps = colls.get(('java.util.HashMap', True))
if maps is None:
    fail.append('no empty HashMap row')
else:
    # each keeps a table of MAP_CAPACITY references
    check('empty maps', maps['count'], const('EMPTY_MAP_COUNT'))
    check('empty maps wasted', maps['wasted'], const('EMPTY_MAP_COUNT') * array(const('MAP_CAPACITY'), 4))
    check('empty maps capacity', maps['capacity'], const('EMPTY_MAP_COUNT') * const('MAP_CAPACITY'))
lists = colls.get(('java.util.ArrayList', False))
# the JDK's own sparse ArrayLists come on top of the sample's
per_list = array(const('LIST_CAPACITY'), 4) - array(1, 4)
if lists is None or lists['count'] < const('SPARSE_LIST_COUNT') or \
        lists['wasted'] < const('SPARSE_LIST_COUNT') * per_list or \
        lists['capacity'] < const('SPARSE_LIST_COUNT') * const('LIST_CAPACITY'):
    fail.append('sparse ArrayLists: %r, want at least %d lists wasting %d each' %
                (lists, const('SPARSE_LIST_COUNT'), per_list))
boxed = {r['class']: r for r in doc['boxed']}
check('boxed Longs', (boxed['java.lang.Long']['count'], boxed['java.lang.Long']['wasted']),
      (const('BOXED'), const('BOXED') * each['java.lang.Long']))
zeros = {r['class']: r for r in doc['zero_arrays']}
check('zero long[]', (zeros['long[]']['count'], zeros['long[]']['wasted']),
      (const('ZERO_ARRAYS'), const('ZERO_ARRAYS') * const('ZERO_LENGTH') * 8))
# the summary: the kinds, biggest first, adding up to the total
rows = doc['waste']
check('kinds', sorted(r['category'] for r in rows),
      ['boxed primitives', 'duplicate strings', 'empty collections', 'sparse collections', 'zero arrays'])
check('order', [r['wasted'] for r in rows], sorted((r['wasted'] for r in rows), reverse=True))
check('total', doc['wasted_total'], sum(r['wasted'] for r in rows))
byname = {r['category']: r for r in rows}
check('duplicate total', byname['duplicate strings']['wasted'], sum(r['wasted'] for r in doc['duplicate_strings']))
check('pct', abs(doc['wasted_pct'] - 100.0 * doc['wasted_total'] / doc['reachable_bytes']) < 0.001, True)
table = list(csv.DictReader(open(sys.argv[4])))
check('csv', [(r['category'], int(r['wasted'])) for r in table], [(r['category'], r['wasted']) for r in rows])
if fail:
    print('\n'.join(fail))
    sys.exit(1)
PY
