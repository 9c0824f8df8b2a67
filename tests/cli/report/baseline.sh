# --baseline: the diff view of `heapscan diff BASE DUMP` in the page (its
# JSON document), and the findings BASE lacks marked new.
command -v python3 > /dev/null || { echo "no python3" >&2; exit 77; }
"$HS" snapshot --quiet "$SAMPLES/healthy.hprof.zst" -o base.snap || exit 1
"$HS" report --quiet --baseline base.snap "$SAMPLES/threadlocal-leak.hprof.zst" -o r.html || exit 1
"$HS" diff --quiet --json base.snap "$SAMPLES/threadlocal-leak.hprof.zst" > diff.json || exit 1
python3 - r.html diff.json <<'PY' || exit 1
import json, re, sys
t = open(sys.argv[1], encoding='utf-8').read()
b = re.search(r'<script type="application/json" id="data-diff">(.*?)</script>', t, re.S)
assert b, 'no diff block'
got, want = json.loads(b.group(1)), json.load(open(sys.argv[2]))
assert got['suspects'] == want['suspects'], 'suspects differ from diff --json'
assert got['delta_reachable_bytes'] == want['delta_reachable_bytes']
assert '<section id="diff">' in t
card = re.search(r'<article class="card" id="finding-1".*?</article>', t, re.S).group(0)
assert '<span class="badge new">new</span>' in card, card[:300]
print('ok')
PY
