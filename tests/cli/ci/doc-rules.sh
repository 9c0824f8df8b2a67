# The rules the documentation shows parse: README.md's "### Rules" block,
# the example of RULES in man/heapscan.1, and samples/ci/heapscan.rules
# (check exits 0 or 1 on them; 2 only for the rules on com.example classes,
# which the sample lacks: they match no class).
. "$(dirname "$0")/assert.inc"
top=$ci/../../..
awk '/^### Rules/ { on = 1 } on && /^```$/ { n++; next } on && n == 1 { print } n == 2 { exit }' \
	"$top/README.md" > readme.rules
awk '/^\.SH / { on = ($0 == ".SH RULES") } on && /^\.nf/ { p = 1; next } /^\.fi/ { p = 0 } on && p' \
	"$top/man/heapscan.1" | sed -n '/^# heap rules/,$p' | sed 's/\\-/-/g' > man.rules
cp "$top/samples/ci/heapscan.rules" ci.rules
for r in readme man ci; do
	[ "$(grep -c '<=\|+' $r.rules)" -ge 7 ] || fail "$r.rules: too few rules: $(cat $r.rules)"
	"$HS" check --rules $r.rules --baseline s/healthy.hprof.zst s/static-cache.hprof.zst > out 2> err
	st=$?
	# the sample has no com.example classes: the rules on them, and those
	# only, match no class (exit 2); marked optional, they hold
	grep '^ERROR ' out | grep -v '^ERROR \(class \)\{0,1\}com\.example\.' > other
	[ $st -le 1 ] || { [ $st = 2 ] && [ ! -s other ] && grep -q '^ERROR .*: matches no class in ' out; } ||
		fail "$r.rules: exit status $st: $(cat err) $(cat other)"
	sed 's/^\(class \)\{0,1\}com\.example\./optional &/' $r.rules > $r.opt.rules
	"$HS" check --rules $r.opt.rules --baseline s/healthy.hprof.zst s/static-cache.hprof.zst > out 2> err
	st=$?
	[ $st -le 1 ] || fail "$r.rules, with optional com.example rules: exit status $st: $(cat err)"
	has out "^check s/static-cache.hprof.zst: [0-9]+ rules, "
done
finish
