# The manual against the program (like git's t0450-txt-doc-vs-help.sh):
#  - every command of `heapscan --help` has a subsection ".SS NAME" under
#    COMMANDS in man/heapscan.1, whose usage lines read as the command's
#    usage line, and that subsection mentions every option of
#    `heapscan NAME --help` spelt as --help prints it (--top N);
#  - no subsection documents a command or a .TP option that does not exist;
#  - every "$ " line of EXAMPLES runs, in order, in one folder where
#    samples/ is $SAMPLES, with exit status 0 (check: 0 or 1).  That part is
#    left out while samples/ holds no dump.
# Prints everything that is missing or wrong; exit 1 if anything is.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
man=$top/man/heapscan.1
HS=${HS:-$top/heapscan}
SAMPLES=${SAMPLES:-$top/samples}
work=$(mktemp -d "${TMPDIR:-/tmp}/hs-docs.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "$*"; fail=1; }

[ -f "$man" ] || { echo "no manual: $man"; exit 1; }
"$HS" --help > "$work/help" || { echo "'$HS --help' failed"; exit 1; }

# The manual as plain text: roff escapes for dashes, quotes, backslashes,
# fonts and break points undone; comments dropped.
sed -e '/^\.\\"/d' \
    -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\f\[[A-Z]*\]//g' \
    -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\\(em/--/g' \
    -e 's/\\[:&%]//g' -e 's/\\e/\\/g' "$man" > "$work/man"

# Per command subsection: "NAME<TAB>line" for each line of ".SS NAME" under
# COMMANDS (the subsection ends at the next .SS or .SH).
awk '
/^\.SH / { sh = $0; sub(/^\.SH +/, "", sh); gsub(/"/, "", sh); ss = ""; next }
/^\.SS / { if (sh == "COMMANDS") { ss = $0; sub(/^\.SS +/, "", ss); gsub(/"/, "", ss); sub(/^heapscan /, "", ss) } else ss = ""; if (ss != "") print ss "\t.SS"; next }
ss != "" { print ss "\t" $0 }
' "$work/man" > "$work/sections"

# The usage lines of a subsection: from .SS to the first .PP, with the font
# macros applied (.B and .I join their arguments with spaces, .BR, .RI and
# the like without), joined by spaces.
usage_of() {
	awk -F '\t' -v c="$1" '
	function args(s,   out, n, i, ch, q, cur) {
		n = 0; cur = ""; q = 0; have = 0
		for (i = 1; i <= length(s); i++) {
			ch = substr(s, i, 1)
			if (ch == "\"") { q = !q; have = 1; continue }
			if (ch == " " && !q) { if (have) A[++n] = cur; cur = ""; have = 0; continue }
			cur = cur ch; have = 1
		}
		if (have) A[++n] = cur
		return n
	}
	$1 != c { next }
	$2 == ".SS" { on = 1; next }
	on && $2 ~ /^\.(PP|P|LP|TP|IP)/ { exit }
	on {
		line = $2; text = ""
		if (line ~ /^\.(B|I|SM) /) { sub(/^\.[A-Z]+ /, "", line); n = args(line); for (i = 1; i <= n; i++) text = text (i > 1 ? " " : "") A[i] }
		else if (line ~ /^\.(BR|RB|BI|IB|RI|IR) /) { sub(/^\.[A-Z]+ /, "", line); n = args(line); for (i = 1; i <= n; i++) text = text A[i] }
		else if (line ~ /^\./) next
		else text = line
		u = u (u == "" ? "" : " ") text
	}
	END { print u }' "$work/sections"
}

# Commands: the lines of --help between "commands:" and the next blank line.
sed -n '/^commands:/,/^$/p' "$work/help" | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' > "$work/cmds"
[ -s "$work/cmds" ] || bad "no commands found in '$HS --help'"

while read -r cmd; do
	if ! grep -q "^$cmd	" "$work/sections"; then
		bad "man: no subsection '.SS $cmd' under COMMANDS"
		continue
	fi
	grep "^$cmd	" "$work/sections" | cut -f2- > "$work/sec"
	"$HS" "$cmd" --help > "$work/chelp" 2>&1 || { bad "'heapscan $cmd --help' failed"; continue; }
	want=$(sed -n 's/^usage: //p' "$work/chelp" | head -1)
	have=$(usage_of "$cmd")
	[ "$want" = "$have" ] || bad "man: $cmd: usage line is '$have', --help says '$want'"
	# every option, with its argument name as --help prints it
	sed -n 's/^  \(--[a-z][a-z0-9-]*\)\( [^ ]*\)\{0,1\}  .*$/\1\2/p' "$work/chelp" > "$work/opts"
	[ -s "$work/opts" ] || bad "no options found in 'heapscan $cmd --help'"
	while read -r opt arg; do
		pat=$(printf '%s' "$opt${arg:+ $arg}" | sed 's/[][|.*+?(){}^$\\]/\\&/g')
		grep -Eq -- "$pat([^A-Za-z0-9-]|\$)" "$work/sec" ||
			bad "man: $cmd: option '$opt${arg:+ $arg}' is not in its subsection"
	done < "$work/opts"
	# every .TP option entry of the subsection exists
	cut -d' ' -f1 "$work/opts" > "$work/names"
	awk 'prev == ".TP" && /^\.B --/ { print $2 } { prev = $0 }' "$work/sec" |
		while read -r o; do
			grep -qx -- "$o" "$work/names" ||
				echo "man: $cmd: documents '$o', which 'heapscan $cmd --help' does not list"
		done > "$work/stale"
	[ -s "$work/stale" ] && bad "$(cat "$work/stale")"
done < "$work/cmds"

# Subsections for commands that do not exist.
cut -f1 "$work/sections" | sort -u | while read -r s; do
	grep -qx -- "$s" "$work/cmds" || echo "man: subsection '.SS $s' under COMMANDS, but heapscan has no such command"
done > "$work/stale"
[ -s "$work/stale" ] && bad "$(cat "$work/stale")"

# EXAMPLES: the "$ " lines (with their "\" continuation lines) of the
# section, run in order.
awk '
/^\.SH / { on = ($0 == ".SH EXAMPLES"); next }
!on { next }
cont { cmd = cmd " " $0; sub(/^ +/, "", cmd) }
!cont && /^\$ / { cmd = substr($0, 3) }
(cont || /^\$ /) {
	if (cmd ~ /\\$/) { sub(/ *\\$/, "", cmd); cont = 1; next }
	cont = 0; gsub(/  +/, " ", cmd); print cmd
}' "$work/man" > "$work/examples"
[ -s "$work/examples" ] || bad "man: EXAMPLES has no '\$ ' command lines"
have_dump=0
for f in "$SAMPLES"/*.hprof*; do
	[ -e "$f" ] && have_dump=1
done
if [ $have_dump = 0 ]; then
	echo "note: no dump in $SAMPLES yet: examples not run"
else
	mkdir "$work/ex" && ln -s "$SAMPLES" "$work/ex/samples" || exit 1
	n=0
	while read -r ex; do
		n=$((n + 1))
		for f in $(printf '%s\n' "$ex" | grep -o 'samples/[^ ]*'); do
			[ -e "$work/ex/$f" ] || bad "man: example $n names $f, which is not in samples/: $ex"
		done
		(cd "$work/ex" && XDG_STATE_HOME="$work/state" HS="$HS" \
			sh -c 'heapscan() { "$HS" "$@"; }; '"$ex" > "$work/ex.out" 2> "$work/ex.err" < /dev/null)
		rc=$?
		case "$ex" in
		*"heapscan check"*) [ $rc -le 1 ] ;;
		*) [ $rc -eq 0 ] ;;
		esac || bad "man: example $n exits with $rc: $ex
  $(head -3 "$work/ex.err")"
	done < "$work/examples"
	echo "examples run: $n"
fi
[ $fail -eq 0 ] && echo "man page and --help agree"
exit $fail
