# path follows strong references only unless --include-weak, on the graph
# (and index) of the other commands, whose retained sizes it shows.  The
# dump (tests/mkdump weak-paths): W.referent -> T, and A .a B .a C .a T;
# W2.referent -> U only; S (a WeakReference subclass).referent -> V and
# S.keep -> V.  Objects of 16 bytes, W 16, W2 16, S 24.
set -u
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
"$MKDUMP" weak-paths d.hprof || exit 1
# steps: "id via" per line, from the JSON of the first path
steps() {
	python3 -c 'import json,sys
r = json.load(sys.stdin)
for p in r["paths"]:
    print(" ".join("%s%s" % (s["id"], ":" + s["via"] if s["via"] else "") for s in p["steps"]))'
}
for idx in --no-index ""; do
	# T: the strong path is three references long, the weak one one
	"$HS" path --quiet --json $idx d.hprof 0x5100 | steps > got || fail "T: exit"
	[ "$(cat got)" = "0x5010 0x5020:.a 0x5030:.a 0x5100:.a" ] || fail "T strong: $(cat got)"
	"$HS" path --quiet --json --include-weak $idx d.hprof 0x5100 | steps > got || fail "T weak: exit"
	[ "$(cat got)" = "0x5000 0x5100:.referent" ] || fail "T weak: $(cat got)"
	# T's referrers: C alone through strong references, C and W with weak
	"$HS" path --quiet --json --all 5 $idx d.hprof 0x5100 | steps > got
	[ "$(cat got)" = "0x5010 0x5020:.a 0x5030:.a 0x5100:.a" ] || fail "T --all strong: $(cat got)"
	"$HS" path --quiet --json --all 5 --include-weak $idx d.hprof 0x5100 | steps > got
	[ "$(cat got)" = "0x5000 0x5100:.referent
0x5010 0x5020:.a 0x5030:.a 0x5100:.a" ] || fail "T --all weak: $(cat got)"
	# U: weakly reachable only
	"$HS" path --quiet $idx d.hprof 0x5110 > out 2> err
	rc=$?
	[ $rc = 2 ] && grep -qx "heapscan: object 0x5110 is not reachable from a GC root through strong references (try --include-weak)" err ||
		fail "U strong: exit $rc: $(cat err)"
	"$HS" path --quiet --json --include-weak $idx d.hprof 0x5110 | steps > got
	[ "$(cat got)" = "0x5040 0x5110:.referent" ] || fail "U weak: $(cat got)"
	# V: its Reference holds it strongly too (.keep), so a strong path
	"$HS" path --quiet --json $idx d.hprof 0x5120 | steps > got
	[ "$(cat got)" = "0x5050 0x5120:.keep" ] || fail "V strong: $(cat got)"
	# retained sizes of the graph with weak references: T is held by W and
	# C both, so A retains A, B and C only
	"$HS" path --quiet --json $idx d.hprof 0x5100 |
		python3 -c 'import json,sys; print([s["retained"] for s in json.load(sys.stdin)["paths"][0]["steps"]])' > got
	[ "$(cat got)" = "[48, 32, 16, 16]" ] || fail "retained: $(cat got)"
done
# one index for path and the others: no index of another graph
mkdir ix
"$HS" dominators --quiet --index-dir ix d.hprof > /dev/null && "$HS" path --quiet --index-dir ix --stats d.hprof 0x5100 > /dev/null 2> err
grep -q '^stats: index: read ' err || fail "path did not read the index of dominators"
[ "$(ls ix | wc -l)" = 1 ] || fail "indexes: $(ls ix)"
[ $fails = 0 ] && echo ok
