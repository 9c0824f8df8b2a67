# End to end in a real browser: headless Chromium loads the report of the
# ThreadLocal sample; in the DOM it leaves, the first finding card names
# the holder `heapscan suspects --json` names, the treemap has drawn its
# tiles, and a click on the first tile with children (driven by the test
# fragment #test=click-first-tile, which the page's script honours)
# descends one level, which the breadcrumb shows.
command -v python3 > /dev/null || { echo "no python3" >&2; exit 77; }
browser=""
for b in chromium chromium-browser google-chrome; do
	command -v "$b" > /dev/null && { browser=$b; break; }
done
[ -n "$browser" ] || { echo "no chromium (HS_WITH_BROWSER=1 scripts/install-deps.sh installs it)" >&2; exit 77; }
d=$SAMPLES/threadlocal-leak.hprof.zst
"$HS" report --quiet "$d" -o r.html || exit 1
"$HS" suspects --quiet --json "$d" > s.json || exit 1
dom() { # dom URL-FRAGMENT: the DOM after the page's script ran
	HOME=$T timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$T/profile" --window-size=1280,900 --virtual-time-budget=5000 \
		--dump-dom "file://$T/r.html$1" 2> browser.err
}
dom "" > plain.html || { cat browser.err >&2; exit 1; }
dom "#test=click-first-tile" > clicked.html || { cat browser.err >&2; exit 1; }
python3 - plain.html clicked.html s.json <<'PY' || exit 1
import html.parser, json, sys
class P(html.parser.HTMLParser):
    """The text of the first card's holder, the tiles, the breadcrumb."""
    def __init__(self):
        super().__init__(); self.open = []; self.holder = ''; self.tiles = []; self.crumbs = []
        self.attrs = {}; self.in_card = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs); cls = (a.get('class') or '').split()
        if tag == 'article' and a.get('id') == 'finding-1': self.in_card = True
        what = None
        if self.in_card and tag == 'p' and 'holder' in cls: what = 'holder'
        elif tag == 'div' and 'tile' in cls: self.tiles.append(cls); what = 'tile'
        elif tag == 'button' and 'crumb' in cls: self.crumbs.append(''); what = 'crumb'
        if tag == 'div' and a.get('id') == 'treemap': self.attrs = a
        if tag == 'body': self.body = a
        self.open.append(what)
    def handle_endtag(self, tag):
        if self.open: self.open.pop()
        if tag == 'article': self.in_card = False
    def handle_data(self, d):
        if 'holder' in self.open: self.holder += d
        if self.open and self.open[-1] == 'crumb': self.crumbs[-1] += d
def parse(f):
    p = P(); p.feed(open(f, encoding='utf-8').read()); return p
plain, clicked = parse(sys.argv[1]), parse(sys.argv[2])
want = json.load(open(sys.argv[3]))['suspects'][0]['holder']
assert want and want in plain.holder, 'first card: %r, expected holder %r' % (plain.holder, want)
assert len(plain.tiles) >= 3, 'treemap tiles: %d' % len(plain.tiles)
assert any('more' in t for t in plain.tiles), 'no tile to descend into'
assert plain.crumbs == ['All reachable objects'], plain.crumbs
assert clicked.body.get('data-test') == 'clicked', clicked.body
assert clicked.attrs.get('data-level') == '1', clicked.attrs
assert len(clicked.crumbs) == 2 and clicked.crumbs[1], clicked.crumbs
assert len(clicked.tiles) >= 1, 'nothing drawn after the click'
print('ok: %d tiles, then %s' % (len(plain.tiles), ' > '.join(clicked.crumbs)))
PY
