# diff --json/--csv, check --json/--csv and check --junit parsed (json,
# csv, xml.etree) and checked field by field against what is known apart
# from heapscan: the JVM's own histograms of the samples (jcmd
# GC.class_histogram, samples/*.histo.txt) and the rules' own limits.
. "$(dirname "$0")/assert.inc"
wants_python
h=s/healthy.hprof.zst
sc=s/static-cache.hprof.zst
"$HS" diff --quiet --json --top 0 $h $sc > diff.json || fail "diff --json"
"$HS" diff --quiet --csv --top 0 $h $sc > diff.csv || fail "diff --csv"
cat > r.rules <<'EOR'
heap <= 1GB
java.lang.Long count <= 10
java.lang.Long shallow <= 1GB
optional com.nothing.* count <= 1
EOR
expect 1 "$HS" check --quiet --json --rules r.rules --max-suspect 99 --junit j.xml $sc
mv out check.json
expect 1 "$HS" check --quiet --csv --rules r.rules --max-suspect 99 $sc
mv out check.csv
python3 - "$sc" s/healthy.histo.txt s/static-cache.histo.txt <<'EOP' || fail "parsed outputs"
import csv, json, sys
import xml.etree.ElementTree as ET
dump, hh, sh = sys.argv[1:4]
fails = []
def check(cond, what):
    if not cond:
        fails.append(what)
def histo(path):
    out = {}
    for line in open(path):
        f = line.split()
        if len(f) >= 4 and f[0].endswith(':') and f[0][:-1].isdigit():
            out[f[3]] = (int(f[1]), int(f[2]))
    return out
H, S = histo(hh), histo(sh)

# ---- diff
d = json.load(open('diff.json'))
check(d['schema'] == 2 and d['command'] == 'diff', 'diff: schema, command')
check(d['baseline'] == 's/healthy.hprof.zst' and d['dump'] == dump, 'diff: baseline, dump')
for k in ('reachable_bytes', 'reachable_objects', 'threads'):
    b, n, dl = d['base_' + k], d['new_' + k], d['delta_' + k]
    check(all(type(x) is int for x in (b, n, dl)) and dl == n - b, 'diff: %s %r %r %r' % (k, b, n, dl))
rows = {r['class']: r for r in d['classes']}
lg = rows['java.lang.Long']
check((lg['base_instances'], lg['base_shallow']) == H['java.lang.Long'], 'diff: Long in healthy %r' % lg)
check((lg['new_instances'], lg['new_shallow']) == S['java.lang.Long'], 'diff: Long in static-cache %r' % lg)
check(lg['delta_instances'] == S['java.lang.Long'][0] - H['java.lang.Long'][0], 'diff: Long delta_instances')
# Longs hold no reference: what they retain is their own size
check((lg['base_retained'], lg['new_retained']) == (lg['base_shallow'], lg['new_shallow']), 'diff: Long retained')
for r in d['classes']:
    for k in ('instances', 'shallow', 'retained'):
        check(type(r['delta_' + k]) is int and r['delta_' + k] == r['new_' + k] - r['base_' + k],
              'diff: %s delta_%s' % (r['class'], k))
sus_keys = ['status', 'kind', 'class', 'members', 'retained', 'retained_pct', 'base_retained',
            'delta_retained', 'holder', 'thread_pattern', 'through']
check(len(d['suspects']) >= 1, 'diff: static-cache has a new suspect')
for x in d['suspects']:
    check(list(x) == sus_keys, 'diff: suspect fields %r' % list(x))
    check(x['status'] in ('new', 'grown') and (x['base_retained'] is None) == (x['status'] == 'new'),
          'diff: suspect status %r' % x)
    check(x['delta_retained'] == x['retained'] - (x['base_retained'] or 0), 'diff: suspect delta %r' % x)
    check(isinstance(x['retained_pct'], float), 'diff: retained_pct %r' % x)
for x in d['thread_patterns']:
    check(x['delta_threads'] == x['new_threads'] - x['base_threads'] and x['delta_threads'] != 0,
          'diff: thread pattern %r' % x)
cr = list(csv.reader(open('diff.csv', newline='')))
hdr = ['class', 'base_instances', 'new_instances', 'delta_instances', 'base_shallow', 'new_shallow',
       'delta_shallow', 'base_retained', 'new_retained', 'delta_retained']
check(cr[0] == hdr, 'diff --csv header %r' % cr[0])
check([[r[0]] + [int(v) for v in r[1:]] for r in cr[1:]] == [[r[k] for k in hdr] for r in d['classes']],
      'diff --csv rows are not the --json rows')
check(len(cr) - 1 == len(set(H) | set(S)) or len(cr) > 100, 'diff --csv: %d rows' % (len(cr) - 1))

# ---- check
c = json.load(open('check.json'))
check(c['schema'] == 2 and c['command'] == 'check' and c['dump'] == dump and c['baseline'] is None,
      'check: header %r' % {k: v for k, v in c.items() if k != 'rules'})
check(c['ok'] is False, 'check: ok')
cols = ['rule', 'origin', 'status', 'ok', 'measured', 'measured_pct', 'limit', 'limit_pct', 'biggest', 'message']
R = {r['rule']: r for r in c['rules']}
check([r['rule'] for r in c['rules']] == ['suspect <= 99%', 'heap <= 1GB', 'java.lang.Long count <= 10',
      'java.lang.Long shallow <= 1GB', 'optional com.nothing.* count <= 1'], 'check: rules %r' % list(R))
for r in c['rules']:
    check(list(r) == cols, 'check: fields %r' % list(r))
r = R['heap <= 1GB']
check(r['status'] == 'held' and r['ok'] is True and type(r['measured']) is int and r['limit'] == 1 << 30
      and r['measured_pct'] is None and r['limit_pct'] is None and r['origin'] == 'r.rules:1', 'check: heap %r' % r)
r = R['java.lang.Long count <= 10']
check(r['status'] == 'violated' and r['ok'] is False and r['measured'] == S['java.lang.Long'][0]
      and r['limit'] == 10 and r['origin'] == 'r.rules:2', 'check: Long count %r' % r)
check(r['message'] == 'measured 3,000, limit 10', 'check: Long count message %r' % r['message'])
r = R['java.lang.Long shallow <= 1GB']
check(r['status'] == 'held' and r['measured'] == S['java.lang.Long'][1] and type(r['limit']) is int,
      'check: Long shallow %r' % r)
r = R['suspect <= 99%']
check(r['measured'] is None and isinstance(r['measured_pct'], float) and 0 < r['measured_pct'] <= 99
      and r['limit'] is None and r['limit_pct'] == 99 and r['origin'] == '--max-suspect', 'check: suspect %r' % r)
r = R['optional com.nothing.* count <= 1']
check(r['status'] == 'skipped' and r['ok'] is True and r['measured'] is None and r['limit'] == 1,
      'check: optional %r' % r)
cr = list(csv.reader(open('check.csv', newline='')))
check(cr[0] == cols, 'check --csv header %r' % cr[0])
def cell(v):
    return '' if v is None else ('true' if v is True else 'false' if v is False else
                                 '%.4f' % v if isinstance(v, float) else str(v))
check(cr[1:] == [[cell(r[k]) for k in cols] for r in c['rules']], 'check --csv rows are not the --json rows')

# ---- JUnit
t = ET.parse('j.xml').getroot()
check(t.tag == 'testsuite' and t.get('name') == 'heapscan check', 'junit: root %r' % t.attrib)
check((t.get('tests'), t.get('failures'), t.get('errors'), t.get('skipped')) == ('5', '1', '0', '1'),
      'junit: counts %r' % t.attrib)
cases = t.findall('testcase')
check([x.get('name') for x in cases] == [r['rule'] for r in c['rules']], 'junit: testcase names')
for x in cases:
    r = R[x.get('name')]
    f, s, e = x.find('failure'), x.find('skipped'), x.find('error')
    check((f is not None) == (r['status'] == 'violated') and (s is not None) == (r['status'] == 'skipped')
          and e is None, 'junit: %s: elements' % r['rule'])
    if f is not None:
        check(f.get('type') == 'violation' and f.get('message') == r['message'], 'junit: failure %r' % f.attrib)
        check(f.text == '%s: %s (%s): %s' % (dump, r['rule'], r['origin'], r['message']), 'junit: text %r' % f.text)
    if s is not None:
        check(s.get('message') == 'matches no class (optional)', 'junit: skipped %r' % s.attrib)
for f in fails:
    print('FAIL:', f, file=sys.stderr)
sys.exit(1 if fails else 0)
EOP
finish
