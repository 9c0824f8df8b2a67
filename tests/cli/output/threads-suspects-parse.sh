# threads --json, threads --csv and suspects --json parsed with python3's
# json and csv modules, and checked against values found without the
# program: the thread counts of samples/java/ThreadExplosion.java (its
# constants), the workers of ThreadLocalLeak.java, CSV rows = JSON rows,
# retained_pct = retained / reachable_bytes, and every finding with the
# same fields (null where its kind has none).
command -v python3 > /dev/null || { echo "no python3" >&2; exit 77; }
for s in thread-explosion threadlocal-leak; do
	d=$SAMPLES/$s.hprof.zst
	"$HS" threads --quiet --json --top 0 --no-stacks "$d" > "$s.threads.json" &&
	"$HS" threads --quiet --csv --top 0 "$d" > "$s.threads.csv" &&
	"$HS" threads --quiet --json --group --top 0 "$d" > "$s.group.json" &&
	"$HS" threads --quiet --csv --group --top 0 "$d" > "$s.group.csv" &&
	"$HS" threads --quiet --json "$d" > "$s.top.json" &&
	"$HS" suspects --quiet --json "$d" > "$s.suspects.json" || exit 1
done
PYTHONIOENCODING=utf-8:strict python3 - "$SAMPLES/java" <<'PY'
import csv, json, re, sys
java = sys.argv[1]
fails = []
def fail(m):
    fails.append(m)
def const(f, name):
    return int(re.search(r'static final int %s = ([0-9]+);' % name, open('%s/%s' % (java, f)).read()).group(1))
def same_csv(what, jrows, path):
    rows = list(csv.reader(open(path, encoding='utf-8', newline='')))
    if len(rows) - 1 != len(jrows):
        fail('%s: %d CSV rows, %d JSON rows' % (what, len(rows) - 1, len(jrows)))
    for c, j in zip(rows[1:], jrows):
        for k, v in zip(rows[0], c):
            w = j[k]
            if isinstance(w, bool):
                ok = v == ('true' if w else 'false')
            elif isinstance(w, int):
                ok = v == str(w)
            elif isinstance(w, float):
                ok = abs(float(v) - w) < 0.00006
            else:
                ok = v == ('' if w is None else w)
            if not ok:
                fail('%s: CSV %s %r, JSON %r' % (what, k, v, w))
producers = const('ThreadExplosion.java', 'PRODUCER_THREADS')
schedulers = const('ThreadExplosion.java', 'SCHEDULER_THREADS')
workers = const('ThreadLocalLeak.java', 'THREADS')
for s in ('thread-explosion', 'threadlocal-leak'):
    t = json.load(open(s + '.threads.json'))
    th = t['threads']
    reach = t['reachable_bytes']
    if t['schema'] != 2 or t['command'] != 'threads' or t['threads_total'] != len(th):
        fail('%s: threads header %r' % (s, {k: t[k] for k in ('schema', 'command', 'threads_total')}))
    for x in th:
        for k in ('retained', 'retained_objects'):
            if not isinstance(x[k], int) or isinstance(x[k], bool):
                fail('%s: %s not an integer: %r' % (s, k, x))
        if abs(x['retained_pct'] - 100.0 * x['retained'] / reach) > 0.00006:
            fail('%s: retained_pct %r, retained %d of %d' % (s, x['retained_pct'], x['retained'], reach))
        if x['stack'] is not None or not isinstance(x['daemon'], bool):
            fail('%s: --no-stacks row %r' % (s, x))
    if [x['retained'] for x in th] != sorted((x['retained'] for x in th), reverse=True):
        fail('%s: threads not by retained size' % s)
    same_csv(s + ' threads --csv', th, s + '.threads.csv')
    g = json.load(open(s + '.group.json'))['groups']
    same_csv(s + ' threads --group --csv', g, s + '.group.csv')
    if sum(x['count'] for x in g) != len(th):
        fail('%s: groups count %d threads of %d' % (s, sum(x['count'] for x in g), len(th)))
    grp = {x['pattern']: x for x in g}
    if s == 'thread-explosion':
        names = [x['thread'] for x in th]
        for pre, n in (('kafka-producer-network-thread-', producers), ('scheduler-', schedulers)):
            got = sorted(int(m.group(1)) for m in (re.match('^' + re.escape(pre) + '([0-9]+)$', x) for x in names) if m)
            if got != list(range(1, n + 1)) or grp.get(pre + '*', {}).get('count') != n:
                fail('%s: %s threads %d, want %d' % (s, pre, len(got), n))
    else:
        w = grp.get('http-nio-8080-exec-*')
        if not w or w['count'] != workers or w['retained'] != sum(x['retained'] for x in th if x['thread'].startswith('http-nio-8080-exec-')):
            fail('%s: workers group %r' % (s, w))
    top = json.load(open(s + '.top.json'))['threads']
    if len(top) != min(20, len(th)) or top[0]['stack'] is None:
        fail('%s: default --top: %d rows of %d' % (s, len(top), len(th)))
    su = json.load(open(s + '.suspects.json'))
    if su['command'] != 'suspects' or su['reachable_bytes'] != reach or su['threads_total'] != len(th):
        fail('%s: suspects header %r' % (s, {k: su[k] for k in ('command', 'reachable_bytes', 'threads_total')}))
    keys = None
    for x in su['suspects']:
        if keys is None:
            keys = list(x)
        if list(x) != keys:
            fail('%s: findings with other fields: %r, %r' % (s, keys, list(x)))
        if 'pct' in x or abs(x['retained_pct'] - 100.0 * x['retained'] / reach) > 0.00006:
            fail('%s: suspect retained_pct %r, retained %d' % (s, x.get('retained_pct'), x['retained']))
        for st in x['steps'] or []:
            if (st is x['steps'][0]) != (st['root'] is not None) or (st is x['steps'][0]) == (st['via'] is not None):
                fail('%s: path step %r' % (s, st))
    kinds = [x['kind'] for x in su['suspects']]
    if s == 'thread-explosion':
        tc = [x for x in su['suspects'] if x['kind'] == 'thread-count']
        if len(tc) != 1 or tc[0]['members'] != len(th) or \
           {gg['pattern']: gg['count'] for gg in tc[0]['groups']}.get('kafka-producer-network-thread-*') != producers:
            fail('%s: thread-count finding %r' % (s, tc))
    else:
        tf = [x for x in su['suspects'] if x['kind'] == 'threads']
        if len(tf) != 1 or tf[0]['members'] != workers or tf[0]['thread_pattern'] != 'http-nio-8080-exec-*' or \
           tf[0]['retained'] != w['retained']:
            fail('%s: threads finding %r' % (s, tf))
for m in fails:
    print('FAIL: ' + m)
sys.exit(1 if fails else 0)
PY
