# A class rule whose pattern matches no class of the dump (a typo) is not
# held: "matches no class" in the text, JSON and JUnit reports, exit 2;
# "optional" before the rule lets it match none and hold.  A class that the
# dump defines without an instance is a class: its count is 0, no error.
# The dump (tests/mkdump thread-subclasses) defines java.lang.Thread,
# TaskThread, pool.Worker, pool.Idle (no instance) and Unrelated.
. "$(dirname "$0")/assert.inc"
"$MKDUMP" thread-subclasses t.hprof || exit 1
cat > r.rules <<'EOR'
Unrelated count <= 4
com.exmaple.* <= 200MB
optional com.example.cache.* count <= 3
pool.Idle count <= 0
Unrelated count <= 3
EOR
expect 2 "$HS" check --rules r.rules --junit j.xml t.hprof
hasx out "ERROR com.exmaple.* <= 200MB (r.rules:2): matches no class in t.hprof; a typo? (a rule that may match none starts with 'optional')"
hasx out "FAIL Unrelated count <= 3 (r.rules:5): measured 4, limit 3"
same "$(grep -c '^ERROR ' out)" 1 "ERROR lines"
hasx out "check t.hprof: 5 rules, 3 held, 1 violated, 1 matches no class"
hasx err "heapscan: t.hprof: 1 rule matches no class (see ERROR above)"
hasx j.xml '<testsuite name="heapscan check" tests="5" failures="1" errors="1" skipped="1">'
hasx j.xml '    <skipped message="matches no class (optional)"/>'
has j.xml '<error type="no-class" message="matches no class">t.hprof: com.exmaple.\* &lt;= 200MB \(r.rules:2\): matches no class'
same "$(grep -c '<error ' j.xml)" 1 "JUnit errors"
# with a baseline, a misspelt growth rule too; a snapshot says the same
echo 'class TaskTread +1KB' >> r.rules
expect 0 "$HS" snapshot --quiet -o t.snap t.hprof
for d in t.hprof t.snap; do
	expect 2 "$HS" check --json --rules r.rules --baseline t.hprof $d
	has out '^  "ok": false,$'
	has out '\{"rule":"com.exmaple.\* <= 200MB","origin":"r.rules:2","status":"error","ok":false,"measured":null,"measured_pct":null,"limit":209715200,"limit_pct":null,"biggest":null,"message":"matches no class in '"$d"'; a typo\?'
	has out '\{"rule":"class TaskTread \+1KB","origin":"r.rules:6","status":"error","ok":false,"measured":null,'
	has out '\{"rule":"optional com.example.cache.\* count <= 3","origin":"r.rules:3","status":"skipped","ok":true,"measured":null,.*"message":"matches no class \(optional\)"'
	has out '\{"rule":"pool.Idle count <= 0","origin":"r.rules:4","status":"held","ok":true,"measured":0,'
	same "$(grep -c '"message":"matches no class' out)" 3 "rules matching no class in $d"
done
# marked optional, every one holds; only class rules can be optional
sed 's/^com.exmaple/optional &/; s/^class TaskTread/optional &/; /count <= 3$/d' r.rules > opt.rules
expect 0 "$HS" check --rules opt.rules --baseline t.snap t.hprof
hasx out "check t.hprof: 4 rules, 4 held, 0 violated"
printf 'optional heap <= 1GB\n' > bad.rules
expect 2 "$HS" check --rules bad.rules t.hprof
hasx err "heapscan: bad.rules:1: only a class rule can be optional (it may match no class): 'optional heap <= 1GB' (see RULES in heapscan(1))"
finish
