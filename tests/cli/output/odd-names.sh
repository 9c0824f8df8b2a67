# Text from a dump (class, thread, method and file names) and from a
# user's file never reaches the output raw (mkdump odd-names: a class name
# with a newline, a TAB, an ESC, quotes, a comma and the byte 0xff; a
# thread named by a UTF-16 String with a newline, an ESC, quotes, a comma
# and a lone surrogate).  Tables and messages show escapes (\n, \x1b,
# \xff), so each row stays one line; CSV quotes the escaped text; JSON and
# JUnit XML are valid UTF-8 and parse, with the exact values in JSON.
command -v python3 > /dev/null || { echo "no python3" >&2; exit 77; }
"$MKDUMP" odd-names o.hprof || exit 1
n=0
run() { # run heapscan ARGS...: its stdout and stderr to out.N and err.N
	n=$((n + 1))
	"$HS" "$@" > "out.$n" 2> "err.$n"
	rc=$?
	echo "# heapscan $(printf '%s' "$*" | tr -c ' -~' '?'): exit $rc"
}
# every output, in order: valid UTF-8 without a control byte but newlines
clean() {
	PYTHONIOENCODING=utf-8:strict python3 - out.* err.* check.xml <<'EOF'
import sys
for f in sys.argv[1:]:
    b = open(f, 'rb').read()
    try:
        b.decode('utf-8')
    except UnicodeDecodeError as e:
        print(f, 'is not UTF-8:', e)
    bad = sorted(set(c for c in b if (c < 0x20 and c != 0x0a) or c == 0x7f))
    if bad:
        print(f, 'holds control bytes', bad)
EOF
}
# tables and text
for c in histogram threads suspects "dominators --depth 2" "top-retained --by-thread" "top-retained --by-class"; do
	# shellcheck disable=SC2086
	run $c o.hprof
	cat "out.$n" "err.$n"
done
# CSV: python's csv module, field by field
for c in "histogram --csv" "top-retained --by-thread --csv" "top-retained --by-class --csv"; do
	# shellcheck disable=SC2086
	run $c o.hprof
	PYTHONIOENCODING=utf-8:strict python3 -c '
import csv, sys
for row in csv.reader(open(sys.argv[1], encoding="utf-8", newline="")):
    print(" | ".join(ascii(f) for f in row))' "out.$n"
done
# JSON: strict UTF-8, parsed; the names as they are in the dump
for c in "histogram --json" "threads --json" "top-retained --by-thread --json" "dominators --json"; do
	# shellcheck disable=SC2086
	run $c o.hprof
	PYTHONIOENCODING=utf-8:strict python3 -c '
import json, sys
def walk(v):
    if isinstance(v, dict):
        for k in sorted(v):
            if k in ("class", "name", "thread", "frame", "label", "biggest_class"):
                print(k, ascii(v[k]))
            walk(v[k])
    elif isinstance(v, list):
        for x in v:
            walk(x)
walk(json.load(sys.stdin))' < "out.$n" || echo "not JSON: $c"
done
# messages: a FAIL line with the class as the biggest contributor, a JUnit
# report that parses, an error quoting an argument, a rules file with junk
printf 'Evil* shallow <= 8B\n' > odd.rules
run check --rules odd.rules --junit check.xml o.hprof
cat "out.$n" "err.$n"
PYTHONIOENCODING=utf-8:strict python3 -c '
import sys, xml.etree.ElementTree as ET
for f in ET.parse(sys.argv[1]).getroot().iter("failure"):
    print("junit:", ascii(f.get("message")))' check.xml
run path --class "$(printf 'No\nSuch\033[1m')" o.hprof
cat "err.$n"
printf 'heap <= 1GB\nheap <= \033]0;title\a1GB\377\n' > junk.rules
run check --rules junk.rules o.hprof
cat "err.$n"
clean
