# Every --json and --csv output, of every command that has them, read by a
# real parser (Python's json and csv modules) on several samples, and
# checked field by field against what is known apart from heapscan:
#  - histogram: per class, the JVM's own histogram (samples/NAME.histo.txt,
#    jcmd GC.class_histogram): the same instances for every class but those
#    the dumping touches, the same bytes for classes holding >= 98% of the
#    JVM's bytes (as tests/support/cmp-histo.sh); the totals are the sums
#    of the rows; --sort bytes, count and name order the rows so; the CSV
#    rows are the JSON rows;
#  - info: reachable + unreachable bytes are the dump's shallow heap, and
#    reachable + unreachable objects its instances, arrays and classes
#    (the histogram's totals, class objects counted as java.lang.Class);
#  - threads: threads_total is the rows, thread-explosion's names are the
#    program's (1,500 kafka-producer-network-thread-N, 3 scheduler-N);
#  - dominators, top-retained, suspects: sorted by retained size, each
#    percentage the retained size over the reachable heap of info;
#  - path: the path to the biggest dominator ends at it and starts at a root;
#  - diff: each delta is new - base, the CSV rows are the JSON rows;
#  - check: the heap rule measures info's reachable bytes, the threads rule
#    the threads command's rows, both as JSON integers.
# Counts and byte numbers must be JSON integers wherever they appear.
command -v python3 > /dev/null || { echo "no python3" >&2; exit 77; }
for name in thread-explosion classloader-leak basic static-cache; do
	d=$SAMPLES/$name.hprof.zst
	mkdir -p "$name"
	(
		cd "$name" || exit 1
		run() { # run FILE ARGS...: heapscan ARGS > FILE, which must succeed
			f=$1
			shift
			"$HS" "$@" --quiet > "$f" 2> "$f.err" || { echo "$name: heapscan $*: exit $? ($(head -3 "$f.err"))"; exit 1; }
		}
		run info.json info --json "$d"
		run histo.json histogram --top 0 --json "$d"
		run histo.csv histogram --top 0 --csv "$d"
		run histo-count.json histogram --top 0 --json --sort count "$d"
		run histo-name.json histogram --top 0 --json --sort name "$d"
		run histo-name.csv histogram --top 0 --csv --sort name "$d"
		run histo-live.json histogram --top 0 --json --live "$d"
		run threads.json threads --json --top 0 "$d"
		run threads-group.json threads --json --group --top 0 "$d"
		run dominators.json dominators --json --top 0 "$d"
		run dominators-depth.json dominators --json --depth 2 --top 5 "$d"
		for g in class classloader package; do
			run "dominators-$g.json" dominators --json --group-by $g "$d"
		done
		for by in object class thread classloader package; do
			run "top-$by.json" top-retained --by-$by --json --top 0 "$d"
			run "top-$by.csv" top-retained --by-$by --csv --top 0 "$d"
		done
		run suspects.json suspects --json "$d"
		run suspects-low.json suspects --json --threshold 1 --max-threads 5 "$d"
		id=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["dominators"][0]["id"])' < dominators.json) || exit 1
		run path.json path --json --all 3 "$d" "$id"
		echo "$id" > path.target
		"$HS" check --json --quiet --max-heap 1GB --max-threads 10 --max-suspect 50 "$d" > check.json 2> check.err
		[ $? -le 1 ] || { echo "$name: check: $(cat check.err)"; exit 1; }
		run diff.json diff --json --top 0 "$SAMPLES/healthy.hprof.zst" "$d"
		run diff.csv diff --csv --top 0 "$SAMPLES/healthy.hprof.zst" "$d"
		run healthy-info.json info --json "$SAMPLES/healthy.hprof.zst"
	) || exit 1
done

PYTHONIOENCODING=utf-8:strict python3 - "$SAMPLES" thread-explosion classloader-leak basic static-cache <<'EOF'
import csv, json, os, re, sys

samples = sys.argv[1]
fails = []

def fail(msg):
    fails.append(msg)

def load(path):
    with open(path, 'rb') as f:
        raw = f.read()
    return json.loads(raw.decode('utf-8'))   # strict UTF-8, then strict JSON

def rows_csv(path, ncols):
    with open(path, encoding='utf-8', newline='') as f:
        rows = list(csv.reader(f))
    for r in rows:
        if len(r) != ncols:
            fail('%s: a row of %d fields, not %d: %r' % (path, len(r), ncols, r))
    return rows

def text_escape(t):
    """the escaping of text output (format.h) of a valid string"""
    out = []
    for ch in t:
        c = ord(ch)
        if ch in '\n\t\r':
            out.append({'\n': '\\n', '\t': '\\t', '\r': '\\r'}[ch])
        elif c < 0x20 or c == 0x7f:
            out.append('\\x%02x' % c)
        elif 0x80 <= c <= 0x9f or c in (0x2028, 0x2029) or 0x202a <= c <= 0x202e or 0x2066 <= c <= 0x2069:
            out.append('\\u%04x' % c)
        else:
            out.append(ch)
    return ''.join(out)

# floats are allowed only where the manual says "percentages"
FLOAT_KEYS = {'retained_pct', 'pct', 'threshold_pct', 'measured_pct', 'limit_pct'}

def ints_everywhere(path, v, where=''):
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, float) and k not in FLOAT_KEYS:
                fail('%s: %s%s is a float: %r' % (path, where, k, x))
            ints_everywhere(path, x, where + k + '.')
    elif isinstance(v, list):
        for x in v:
            ints_everywhere(path, x, where)

def desc(path, rows, key):
    for a, b in zip(rows, rows[1:]):
        if a[key] < b[key]:
            fail('%s: not sorted by %s: %r before %r' % (path, key, a, b))
            return

def pct_ok(path, row, key, pct, total):
    want = 100.0 * row[key] / total if total else 0
    if abs(row[pct] - want) > 0.00006:
        fail('%s: %s %r is not 100 * %d / %d' % (path, pct, row[pct], row[key], total))

# the JVM's histogram: name -> (instances, bytes), in heapscan's spelling
PRIM = {'Z': 'boolean', 'B': 'byte', 'C': 'char', 'S': 'short', 'I': 'int', 'J': 'long',
        'F': 'float', 'D': 'double'}
def jname(n):
    dims = ''
    while n.startswith('['):
        dims += '[]'
        n = n[1:]
    if dims:
        if n.startswith('L') and n.endswith(';'):
            n = n[1:-1]
        elif n in PRIM:
            n = PRIM[n]
    return n.replace('/0x', '+0x') + dims

def jvm_histo(path):
    h = {}
    for line in open(path, encoding='utf-8'):
        m = re.match(r'^ *[0-9]+: +([0-9]+) +([0-9]+) +(\S+)', line)
        if m:
            n = jname(m.group(3))
            c, b = h.get(n, (0, 0))
            h[n] = (c + int(m.group(1)), b + int(m.group(2)))
    return h

# the classes the dumping itself touches or that are counted otherwise
ALLOWED = re.compile(r'^int\[\]$|^jdk\.internal\.ref\.CleanerImpl\$PhantomCleanableRef$|'
                     r'^java\.lang\.invoke\.MethodHandleNatives\$CallSiteContext$')

def strip_loader(n):
    # a class several loaders define has a row per loader: NAME/0x... or NAME+0x...
    return re.sub(r'[+/]0x[0-9a-f]+$', '', n)

for name in sys.argv[2:]:
    def p(f):
        return os.path.join(name, f)
    info = load(p('info.json'))
    for f in sorted(os.listdir(name)):
        if f.endswith('.json'):
            ints_everywhere(name + '/' + f, load(p(f)))

    # ---- histogram
    h = load(p('histo.json'))
    cls = h['classes']
    if h['classes_total'] != len(cls):
        fail('%s: classes_total %d, %d rows' % (name, h['classes_total'], len(cls)))
    if h['instances_total'] != sum(r['instances'] for r in cls):
        fail('%s: instances_total is not the sum of the rows' % name)
    if h['shallow_total'] != sum(r['shallow'] for r in cls):
        fail('%s: shallow_total is not the sum of the rows' % name)
    for a, b in zip(cls, cls[1:]):
        if (a['shallow'], a['instances']) < (b['shallow'], b['instances']):
            fail('%s: histogram not sorted by bytes: %r before %r' % (name, a, b))
            break
    byname = {}
    for r in cls:
        c, b = byname.get(strip_loader(r['class']), (0, 0))
        byname[strip_loader(r['class'])] = (c + r['instances'], b + r['shallow'])
    jvm = {}
    for n, (c, b) in jvm_histo(os.path.join(samples, name + '.histo.txt')).items():
        x = jvm.get(strip_loader(n), (0, 0))
        jvm[strip_loader(n)] = (x[0] + c, x[1] + b)
    total = same = 0
    for n, (c, b) in jvm.items():
        total += b
        mine = byname.get(n, (0, 0))
        if mine == (c, b):
            same += b
        elif mine[0] != c and not ALLOWED.search(n):
            fail('%s: histogram --json: %s: %d instances, the JVM %d' % (name, n, mine[0], c))
    if same < 0.98 * total:
        fail('%s: histogram --json: the classes that agree with the JVM hold %.2f%% of its bytes'
             % (name, 100.0 * same / total))
    if byname.get('java.lang.Class') != jvm.get('java.lang.Class'):
        fail('%s: java.lang.Class: %r, the JVM %r' % (name, byname.get('java.lang.Class'), jvm.get('java.lang.Class')))
    # CSV: the same rows
    rows = rows_csv(p('histo.csv'), 3)
    if rows[0] != ['class', 'instances', 'shallow']:
        fail('%s: histogram --csv header %r' % (name, rows[0]))
    if [(r[0], int(r[1]), int(r[2])) for r in rows[1:]] != [(r['class'], r['instances'], r['shallow']) for r in cls]:
        fail('%s: histogram --csv rows are not the --json rows' % name)
    # --sort count and name: the same rows in their order
    for f, key in (('histo-count.json', lambda r: (-r['instances'], -r['shallow'])),
                   ('histo-name.json', lambda r: r['class'].encode('utf-8'))):
        o = load(p(f))['classes']
        if sorted(map(json.dumps, o)) != sorted(map(json.dumps, cls)):
            fail('%s: %s: not the rows of the default order' % (name, f))
        for a, b in zip(o, o[1:]):
            if key(a) > key(b):
                fail('%s: %s: %r before %r' % (name, f, a, b))
                break
    rows = rows_csv(p('histo-name.csv'), 3)
    if [r[0] for r in rows[1:]] != [r['class'] for r in load(p('histo-name.json'))['classes']]:
        fail('%s: histogram --csv --sort name: not the order of --json' % name)

    # ---- info: totals against the histogram
    if info['reachable_bytes'] + info['unreachable_bytes'] != info['shallow_heap']:
        fail('%s: info: reachable %d + unreachable %d bytes != shallow heap %d' % (
            name, info['reachable_bytes'], info['unreachable_bytes'], info['shallow_heap']))
    if info['shallow_heap'] != h['shallow_total']:
        fail('%s: info shallow_heap %d, histogram shallow_total %d' % (name, info['shallow_heap'], h['shallow_total']))
    objs = info['instances'] + info['object_arrays'] + info['primitive_arrays'] + info['class_objects']
    if info['reachable_objects'] + info['unreachable_objects'] != objs or objs != h['instances_total']:
        fail('%s: info: %d + %d objects, %d instances, arrays and classes, histogram %d' % (
            name, info['reachable_objects'], info['unreachable_objects'], objs, h['instances_total']))
    live = load(p('histo-live.json'))
    if live['instances_total'] != info['reachable_objects'] or live['shallow_total'] != info['reachable_bytes']:
        fail('%s: histogram --live totals %d/%d, info reachable %d/%d' % (
            name, live['instances_total'], live['shallow_total'], info['reachable_objects'], info['reachable_bytes']))
    reach = info['reachable_bytes']

    # ---- threads
    t = load(p('threads.json'))
    th = t['threads']
    if t['threads_total'] != len(th):
        fail('%s: threads_total %d, %d rows' % (name, t['threads_total'], len(th)))
    if t['reachable_bytes'] != reach:
        fail('%s: threads reachable_bytes %d, info %d' % (name, t['reachable_bytes'], reach))
    desc(name + ' threads', th, 'retained')
    if sum(x['retained'] for x in th) > reach:
        fail('%s: the threads retain more than the heap' % name)
    for x in th:
        if not re.match(r'^0x[0-9a-f]+$', x['id']) or not isinstance(x['daemon'], bool):
            fail('%s: thread row %r' % (name, x))
    g = load(p('threads-group.json'))['groups']
    if sum(x['count'] for x in g) != len(th):
        fail('%s: threads --group counts %d threads, threads lists %d' % (name, sum(x['count'] for x in g), len(th)))
    if name == 'thread-explosion':
        names = [x['thread'] for x in th]
        kafka = sorted(int(m.group(1)) for m in (re.match(r'^kafka-producer-network-thread-([0-9]+)$', n) for n in names) if m)
        sched = sorted(int(m.group(1)) for m in (re.match(r'^scheduler-([0-9]+)$', n) for n in names) if m)
        if kafka != list(range(1, 1501)) or sched != [1, 2, 3]:
            fail('%s: threads: %d kafka-producer threads, schedulers %r' % (name, len(kafka), sched))
        grp = {x['pattern']: x['count'] for x in g}
        if grp.get('kafka-producer-network-thread-*') != 1500 or grp.get('scheduler-*') != 3:
            fail('%s: threads --group: %r' % (name, grp))

    # ---- dominators and top-retained
    dm = load(p('dominators.json'))
    for k in ('reachable_objects', 'reachable_bytes', 'unreachable_objects', 'unreachable_bytes'):
        if dm[k] != info[k]:
            fail('%s: dominators %s %d, info %d' % (name, k, dm[k], info[k]))
    rows = dm['dominators']
    desc(name + ' dominators', rows, 'retained')
    if sum(r['retained'] for r in rows) != reach:
        fail('%s: the top-level dominators retain %d bytes, the reachable heap is %d' % (
            name, sum(r['retained'] for r in rows), reach))
    for r in rows:
        pct_ok(name + ' dominators', r, 'retained', 'retained_pct', reach)
        if r['retained'] < r['shallow'] or r['retained_objects'] < 1:
            fail('%s: dominator %r' % (name, r))
    def kids(r, depth):
        for c in r.get('children', []):
            if c['retained'] > r['retained'] - r['shallow']:
                fail('%s: a child retains more than its parent: %r' % (name, c))
            kids(c, depth + 1)
    for r in load(p('dominators-depth.json'))['dominators']:
        kids(r, 0)
    for gb, key in (('class', 'classes'), ('classloader', 'loaders'), ('package', 'packages')):
        gr = load(p('dominators-%s.json' % gb))[key]
        desc(name + ' dominators --group-by ' + gb, gr, 'retained')
        if sum(x['retained'] for x in gr) > reach:
            fail('%s: --group-by %s retains more than the heap' % (name, gb))
    for by, key in (('object', 'objects'), ('class', 'classes'), ('thread', 'threads'),
                    ('classloader', 'loaders'), ('package', 'packages')):
        j = load(p('top-%s.json' % by))
        jr = j[key]
        desc('%s top-retained --by-%s' % (name, by), jr, 'retained')
        if j['reachable_bytes'] != reach:
            fail('%s: top-retained --by-%s reachable_bytes %d, info %d' % (name, by, j['reachable_bytes'], reach))
        for r in jr:
            pct_ok('%s top-retained --by-%s' % (name, by), r, 'retained', 'retained_pct', reach)
        cr = rows_csv(p('top-%s.csv' % by), len(jr[0]) if jr else 1)
        if jr and cr[0] != list(jr[0].keys()):
            fail('%s: top-retained --by-%s --csv header %r, JSON keys %r' % (name, by, cr[0], list(jr[0].keys())))
        for c, r in zip(cr[1:], jr):
            for k, v in zip(cr[0], c):
                want = r[k]
                got = (None if v == '' else v) if not isinstance(want, (int, float)) or isinstance(want, bool) \
                    else (float(v) if isinstance(want, float) else int(v))
                if isinstance(want, str):   # CSV holds the text escaped as in tables
                    want = text_escape(want)
                if isinstance(want, float):
                    ok = abs(got - want) < 0.00006
                else:
                    ok = got == want or (want is None and got is None)
                if not ok:
                    fail('%s: top-retained --by-%s: CSV %s %r, JSON %r' % (name, by, k, v, want))
        if len(cr) - 1 != len(jr):
            fail('%s: top-retained --by-%s: %d CSV rows, %d JSON rows' % (name, by, len(cr) - 1, len(jr)))
        if by == 'object' and [r['id'] for r in jr] != [r['id'] for r in rows]:
            fail('%s: top-retained --by-object is not the dominators' % name)
        # (the threads with a thread root: Thread objects without one, such
        # as compiler threads, are listed by threads only)
        if by == 'thread' and sorted(r['thread'] for r in jr) != sorted(x['thread'] for x in th if x['thread_root']):
            fail('%s: top-retained --by-thread lists other threads than threads' % name)

    # ---- suspects
    for f in ('suspects.json', 'suspects-low.json'):
        s = load(p(f))
        # live threads: those with a thread root, or (as the threads rule of
        # check) every thread the threads command lists
        rooted = sum(1 for x in th if x['thread_root'])
        if s['reachable_bytes'] != reach or s['threads_total'] not in (rooted, len(th)):
            fail('%s: %s: reachable_bytes %d threads %d, info %d, threads %d' % (
                name, f, s['reachable_bytes'], s['threads_total'], reach, len(th)))
        for x in s['suspects']:
            if abs(x['retained_pct'] - 100.0 * x['retained'] / reach) > 0.00006 or x['retained'] > reach:
                fail('%s: %s: retained_pct %r of %d bytes' % (name, f, x['retained_pct'], x['retained']))
            if x['retained_pct'] < s['threshold_pct'] and x['kind'] != 'thread-count':
                fail('%s: %s: a suspect below the threshold: %r' % (name, f, x))
            if x['kind'] == 'thread-count' and sum(gg['count'] for gg in x['groups']) != x['members']:
                fail('%s: %s: the thread groups do not add up to %d' % (name, f, x['members']))
            if x['elements'] is not None and sum(e['count'] for e in x['elements']) > x['elements_total']:
                fail('%s: %s: more elements than elements_total' % (name, f))
    if name == 'thread-explosion':
        tc = [x for x in load(p('suspects-low.json'))['suspects'] if x['kind'] == 'thread-count']
        if len(tc) != 1 or tc[0]['members'] != s['threads_total']:
            fail('%s: --max-threads 5: thread-count suspects %r' % (name, tc))
    if name == 'classloader-leak':
        cl = [x['class_loaders'] for x in load(p('suspects.json'))['suspects'] if x['class_loaders'] is not None]
        if not cl or cl[0]['count'] < 50:   # ClassLoaderLeak.LOADERS
            fail('%s: suspects: class loaders %r' % (name, cl))

    # ---- path to the biggest dominator
    target = open(p('path.target')).read().strip()
    pa = load(p('path.json'))
    if pa['target'] != target or not pa['paths']:
        fail('%s: path: target %r, %d paths' % (name, pa['target'], len(pa['paths'])))
    for x in pa['paths']:
        st = x['steps']
        if st[-1]['id'] != target or not x['root'] or len(set(s['id'] for s in st)) != len(st):
            fail('%s: path %r' % (name, x))
        for a, b in zip(st, st[1:]):
            if b['retained'] > a['retained'] and a is not st[0]:
                pass   # a referrer need not dominate: no order to check

    # ---- check
    c = load(p('check.json'))
    rules = {r['rule']: r for r in c['rules']}
    r = rules.get('heap <= 1GB')
    if not r or r['measured'] != reach or r['limit'] != 1 << 30 or not r['ok']:
        fail('%s: check: heap rule %r, reachable %d' % (name, r, reach))
    r = rules.get('threads <= 10')
    if not r or r['measured'] != len(th) or r['limit'] != 10 or r['ok'] != (len(th) <= 10):
        fail('%s: check: threads rule %r, %d threads' % (name, r, len(th)))
    r = rules.get('suspect <= 50%')
    if not r or not isinstance(r['measured_pct'], float) or r['measured'] is not None or r['limit_pct'] != 50:
        fail('%s: check: suspect rule %r' % (name, r))
    if c['ok'] != all(x['ok'] for x in c['rules']):
        fail('%s: check: ok %r' % (name, c['ok']))

    # ---- diff against healthy
    d = load(p('diff.json'))
    base = load(p('healthy-info.json'))
    if (d['base_reachable_bytes'], d['new_reachable_bytes']) != (base['reachable_bytes'], reach) or \
       d['delta_reachable_bytes'] != reach - base['reachable_bytes'] or \
       d['delta_reachable_objects'] != d['new_reachable_objects'] - d['base_reachable_objects'] or \
       d['new_reachable_objects'] != info['reachable_objects'] or \
       d['delta_threads'] != d['new_threads'] - d['base_threads']:
        fail('%s: diff totals %r' % (name, {k: v for k, v in d.items() if not isinstance(v, list)}))
    for r in d['classes']:
        for k in ('instances', 'shallow', 'retained'):
            if r['delta_' + k] != r['new_' + k] - r['base_' + k]:
                fail('%s: diff: %s: delta_%s' % (name, r['class'], k))
    for x in d['thread_patterns']:
        if x['delta_threads'] != x['new_threads'] - x['base_threads']:
            fail('%s: diff: thread pattern %r' % (name, x))
    hdr = ['class', 'base_instances', 'new_instances', 'delta_instances', 'base_shallow', 'new_shallow',
           'delta_shallow', 'base_retained', 'new_retained', 'delta_retained']
    rows = rows_csv(p('diff.csv'), 10)
    if rows[0] != hdr or [[r[0]] + [int(v) for v in r[1:]] for r in rows[1:]] != \
            [[r[k] for k in hdr] for r in d['classes']]:
        fail('%s: diff --csv rows are not the --json rows' % name)

for f in fails:
    print('FAIL:', f)
sys.exit(1 if fails else 0)
EOF
