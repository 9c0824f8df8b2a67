# The report of the ThreadLocal sample: one file under 2 MB that loads
# nothing from elsewhere, whose JSON blocks are the documents of the
# commands' --json, and whose findings are readable without JavaScript.
command -v python3 > /dev/null || { echo "no python3" >&2; exit 77; }
d=$SAMPLES/threadlocal-leak.hprof.zst
"$HS" report --quiet "$d" -o r.html || exit 1
"$HS" suspects --quiet --json "$d" > suspects.json || exit 1
"$HS" top-retained --by-package --top 100 --quiet --json "$d" > packages.json || exit 1
python3 - r.html suspects.json packages.json <<'PY' || exit 1
import html.parser, json, re, sys
page = open(sys.argv[1], 'rb').read()
text = page.decode('utf-8')
assert len(page) < 2_000_000, 'report is %d bytes' % len(page)
for bad in (r'<script[^>]*\bsrc\s*=', r'<link\b', r'<iframe\b', r'https?://', r'@import', r'url\(\s*["\']?(https?:|//)'):
    m = re.search(bad, text, re.I)
    assert not m, 'external resource: %r' % text[max(0, m.start() - 40):m.end() + 40]
blocks = dict(re.findall(r'<script type="application/json" id="data-([a-z]+)">(.*?)</script>', text, re.S))
for k in ('info', 'suspects', 'dominators', 'classes', 'loaders', 'packages', 'threads'):
    assert k in blocks, 'no data block ' + k
assert json.loads(blocks['suspects'])['suspects'] == json.load(open(sys.argv[2]))['suspects'], 'suspects differ from --json'
assert json.loads(blocks['packages'])['packages'] == json.load(open(sys.argv[3]))['packages'], 'packages differ from --json'
# without JavaScript: the cards and tables are there as HTML
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.card = ''; self.tables = 0; self.rows = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'article' and a.get('id') == 'finding-1': self.stack.append('card')
        if tag == 'table': self.tables += 1
        if tag == 'tr': self.rows += 1
    def handle_endtag(self, tag):
        if tag == 'article' and self.stack: self.stack.pop()
    def handle_data(self, d):
        if self.stack: self.card += d
p = P(); p.feed(text)
s1 = json.load(open(sys.argv[2]))['suspects'][0]
assert p.card.startswith('\nSuspect 1: 8 threads "http-nio-8080-exec-*"'), p.card[:200]
assert s1['holder'] in p.card, 'holder not in the first card'
assert p.tables >= 5 and p.rows > 100, (p.tables, p.rows)
print('ok', len(page) // 1000, 'KB')
PY
