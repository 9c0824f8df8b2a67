# Class names with quotes, commas, a newline, a TAB, a CR, control bytes,
# backslashes, invalid and modified UTF-8, line separators and bidi
# controls (mkdump hostile-names: class i has i + 1 instances, each held by
# a JNI global root).  Every --json output parses with Python's json and
# gives back each name exactly as the manual's OUTPUT says (the text, each
# byte that is not UTF-8 as U+FFFD, C0 80 as U+0000); every --csv output
# parses with Python's csv into rows of the header's width, the name in its
# column, escaped as in tables (\n, \t, \r, \xNN, \uNNNN).  The expected
# values are computed here from the bytes mkdump writes, not taken from
# heapscan.
command -v python3 > /dev/null || { echo "no python3" >&2; exit 77; }
"$MKDUMP" hostile-names h.hprof || exit 1
"$MKDUMP" counts c.hprof 1 || exit 1
run() { # run FILE ARGS...
	f=$1
	shift
	"$HS" "$@" > "$f" 2> "$f.err" || { echo "heapscan $*: exit $? ($(head -3 "$f.err"))"; exit 1; }
}
run histo.json histogram --top 0 --json h.hprof
run histo.csv histogram --top 0 --csv h.hprof
run top-class.json top-retained --by-class --json --top 0 h.hprof
run top-class.csv top-retained --by-class --csv --top 0 h.hprof
run top-object.json top-retained --by-object --json --top 0 h.hprof
run top-object.csv top-retained --by-object --csv --top 0 h.hprof
run dominators.json dominators --json --top 0 h.hprof
run diff.json diff --json --top 0 h.hprof c.hprof
run diff.csv diff --csv --top 0 h.hprof c.hprof
for i in 0 5 6 9; do
	run "path$i.json" path --json "0x$(printf '%x' $((0x10000 + 0x1000 * i)))" h.hprof
done
run suspects.json suspects --json --threshold 1 h.hprof

PYTHONIOENCODING=utf-8:strict python3 - <<'EOF'
import csv, json, sys

# tests/support/mkdump.c, HOSTILE
NAMES = [
    b'Q"uote"d',
    b'Com,ma,',
    b'New\nLine',
    b'Tab\tStop',
    b'C\rR\x01\x02\x1f\x7f',
    b'Back\\slash\\n\\',
    b'Bad\xff\xfeUTF\xc3',
    b'Sep\xe2\x80\xa8Bidi\xe2\x80\xae\xc2\x85',
    b'Nul\xc0\x80Mod',
    b'","\n","',
    b'caf\xc3\xa9\xf0\x9f\x98\x80',
]
fails = []

def chars(raw):
    """(code point or None for a byte that is not UTF-8, its bytes)"""
    i = 0
    while i < len(raw):
        if raw[i:i + 2] == b'\xc0\x80':
            yield 0, raw[i:i + 2]
            i += 2
            continue
        for k in (1, 2, 3, 4):
            try:
                ch = raw[i:i + k].decode('utf-8')
            except UnicodeDecodeError:
                continue
            yield ord(ch), raw[i:i + k]
            i += k
            break
        else:
            yield None, raw[i:i + 1]
            i += 1

def special(c):
    return c < 0x20 or c == 0x7f or 0x80 <= c <= 0x9f or c in (0x2028, 0x2029) or \
        0x202a <= c <= 0x202e or 0x2066 <= c <= 0x2069

def as_json(raw):
    return ''.join('\ufffd' if c is None else chr(c) for c, b in chars(raw))

def as_text(raw):
    out = []
    for c, b in chars(raw):
        if c is None:
            out.append('\\x%02x' % b[0])
        elif c in (10, 9, 13):
            out.append({10: '\\n', 9: '\\t', 13: '\\r'}[c])
        elif c < 0x20 or c == 0x7f:
            out.append('\\x%02x' % c)
        elif special(c):
            out.append('\\u%04x' % c)
        else:
            out.append(chr(c))
    return ''.join(out)

def load(f):
    try:
        return json.loads(open(f, 'rb').read().decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as e:
        fails.append('%s does not parse: %s' % (f, e))
        return None

def table(f, width):
    rows = list(csv.reader(open(f, encoding='utf-8', newline='')))
    for r in rows:
        if len(r) != width:
            fails.append('%s: a row of %d fields, not %d: %r' % (f, len(r), width, r))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]

def same(where, got, want):
    if got != want:
        fails.append('%s: %r, want %r' % (where, got, want))

def by_count(where, rows, cls, count):
    """each name i in the row whose count is i + 1"""
    seen = {int(r[count]): r[cls] for r in rows if int(r[count]) <= len(NAMES) and r[cls] != 'java.lang.Class'}
    for i, raw in enumerate(NAMES):
        want = as_json(raw) if where.endswith('json') else as_text(raw)
        same('%s: class %d' % (where, i), seen.get(i + 1), want)

h = load('histo.json')
if h:
    by_count('histogram --json', h['classes'], 'class', 'instances')
hdr, rows = table('histo.csv', 3)
by_count('histogram --csv', rows, 'class', 'instances')
t = load('top-class.json')
if t:
    by_count('top-retained --by-class --json', t['classes'], 'class', 'instances')
hdr, rows = table('top-class.csv', 5)
by_count('top-retained --by-class --csv', rows, 'class', 'instances')

# objects by id: 0x10000 + 0x1000 i + 16 k is an instance of class i
def of_id(ident):
    v = int(ident, 16) - 0x10000
    return v // 0x1000 if v >= 0 and v % 16 == 0 and (v % 0x1000) // 16 <= v // 0x1000 else None
t = load('top-object.json')
hdr, rows = table('top-object.csv', 7)
if t:
    n = 0
    for r, c in zip(t['objects'], rows):
        i = of_id(r['id'])
        same('top-retained --by-object: the CSV id', c['id'], r['id'])
        if i is not None:
            n += 1
            same('top-retained --by-object --json %s' % r['id'], r['class'], as_json(NAMES[i]))
            same('top-retained --by-object --csv %s' % r['id'], c['class'], as_text(NAMES[i]))
    same('top-retained --by-object: instances listed', n, len(NAMES) * (len(NAMES) + 1) // 2)
d = load('dominators.json')
if d:
    n = 0
    for r in d['dominators']:
        i = of_id(r['id'])
        if i is not None:
            n += 1
            same('dominators --json %s' % r['id'], r['class'], as_json(NAMES[i]))
        elif r.get('class_object_of') and r['id'] != '0x1000':
            i = (int(r['id'], 16) - 0x1100) // 8
            same('dominators --json class %s' % r['id'], r['class_object_of'], as_json(NAMES[i]))
    same('dominators: instances listed', n, len(NAMES) * (len(NAMES) + 1) // 2)
d = load('diff.json')
if d:
    by_count('diff --json', [r for r in d['classes'] if r['base_instances']], 'class', 'base_instances')
hdr, rows = table('diff.csv', 10)
by_count('diff --csv', [r for r in rows if int(r['base_instances'])], 'class', 'base_instances')
for i in (0, 5, 6, 9):
    p = load('path%d.json' % i)
    if p:
        same('path --json to class %d: class' % i, p['class'], as_json(NAMES[i]))
        same('path --json to class %d: last step' % i, p['paths'][0]['steps'][-1]['class'], as_json(NAMES[i]))
load('suspects.json')
for f in fails:
    print('FAIL:', ascii(f))
sys.exit(1 if fails else 0)
EOF
