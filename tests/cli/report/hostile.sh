# Names from a dump that are markup (mkdump html-names: </script><img
# onerror>, <!--, &amp;, U+2028) and control bytes (mkdump odd-names)
# appear in the report only escaped: as entities in the HTML, as \u
# escapes in the JSON blocks, and the blocks still parse.  (A class name's
# '/' is shown as '.', so "</script>" becomes "<.script>" here; the unit
# test check_html.c escapes "</script>" itself.)
command -v python3 > /dev/null || { echo "no python3" >&2; exit 77; }
"$MKDUMP" html-names h.hprof || exit 1
"$MKDUMP" odd-names o.hprof || exit 1
"$HS" report --quiet h.hprof -o h.html || exit 1
"$HS" report --quiet o.hprof -o o.html || exit 1
python3 - h.html o.html <<'PY' || exit 1
import json, re, sys
h = open(sys.argv[1], 'rb').read().decode('utf-8')
o = open(sys.argv[2], 'rb').read()
o.decode('utf-8')   # valid UTF-8 although the dump's class name is not
# the page's own markup: as many <script> openings as closings, and only ours
opens = re.findall(r'<script\b[^>]*>', h)
assert len(opens) == h.count('</script>'), 'a name closed or opened a script element'
assert all(x in ('<script>', ) or x.startswith('<script type="application/json" id="data-') for x in opens), opens
assert '<img' not in h and 'onerror=alert(1)>' not in h, 'raw markup from a name'
assert '<!--<script>' not in h and '<b>bold</b>' not in h
assert '&lt;.script&gt;&lt;img src=x onerror=alert(1)&gt;' in h, 'the name is not shown escaped in the tables'
assert '\\u003c.script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e' in h, 'the name is not escaped in the JSON'
assert '\u2028' not in h and '\\u2028' in h
blocks = re.findall(r'<script type="application/json" id="data-([a-z]+)">(.*?)</script>', h, re.S)
names = set()
for k, b in blocks:
    def walk(v):
        if isinstance(v, dict):
            for x in v.values(): walk(x)
        elif isinstance(v, list):
            for x in v: walk(x)
        elif isinstance(v, str): names.add(v)
    walk(json.loads(b))
assert '<.script><img src=x onerror=alert(1)>' in names, 'JSON does not read back the exact name'
# odd-names: no control byte, the quote of the class name never raw
assert not re.search(rb'[\x00-\x08\x0b-\x1f\x7f]', o), 'control byte in the page'
assert b'"q",c' not in o
print('ok')
PY
