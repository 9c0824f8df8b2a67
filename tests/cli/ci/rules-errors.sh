# Rules that cannot be parsed, each an error (exit 2) of one line naming
# the file and the line; the flags' rules name the flag.
. "$(dirname "$0")/assert.inc"
sc=s/static-cache.hprof.zst
bad() { # bad LINE MESSAGE: a rules file whose line 3 is LINE
	printf '# ok so far\nheap <= 1GB\n%s\nthreads <= 100\n' "$1" > bad.rules
	expect 2 "$HS" check --rules bad.rules $sc
	same "$(wc -l < err)" 1 "lines on stderr for '$1'"
	hasx err "heapscan: bad.rules:3: $2: '$(echo "$1" | sed 's/#.*//; s/^[ 	]*//; s/[ 	]*$//' | tr -s ' \t' '  ')' (see RULES in heapscan(1))"
	same "$(cat out)" "" "stdout for '$1'"
}
bad 'heap < 1GB' 'unknown rule'
bad 'heap <= lots' 'heap takes a size'
bad 'heap <= 10%' 'heap takes a size'
bad 'threads <= 1.5' 'threads takes a whole number'
bad 'suspect <= 20' 'suspect takes a percentage, e.g. 20%'
bad 'thread-held <= 10 entries' 'unknown rule'
bad 'thread-held entries <= 1e6' 'thread-held entries takes a whole number'
bad 'total +10' 'total takes +PCT% or +SIZE with a unit: write +10% or +10MB (+10B for bytes)'
bad 'total 10%' 'unknown rule'
bad 'class com.example.*   +5   # no unit' 'class growth takes +PCT% or +SIZE with a unit: write +10% or +10MB (+10B for bytes)'
bad 'class com.example.* +5XB' 'class growth takes +PCT% or +SIZE'
bad 'com.example.* +5MB' "growth rules are 'total +LIMIT' and 'class PATTERN +LIMIT'"
bad 'com.example.* frobs <= 3' 'unknown measure (count, shallow or retained)'
bad 'java.lang.Thread count <= 5MB' 'count takes a whole number'
bad 'java.lang.Thread <= 5%' 'a class rule takes a size'
# numbers: decimal, within 64 bits, percentages of the heap up to 100%
bad 'suspect <= 150%' 'suspect takes a percentage from 0.1% to 100%'
bad 'heap <= 0x10MB' 'heap takes a decimal number, not hexadecimal'
bad 'heap <= 1e3MB' 'heap takes a size'
bad 'heap <= 99999999999999999999999TB' 'heap takes a size up to 16 EB (18446744073709551615 bytes)'
bad 'heap <= 16777216TB' 'heap takes a size up to 16 EB (18446744073709551615 bytes)'
bad 'threads <= 99999999999999999999999' 'threads takes a whole number up to 18446744073709551615'
bad 'java.lang.Thread count <= 0x10' 'count takes a decimal number, not hexadecimal'
bad 'total +0x10%' 'total takes a decimal number, not hexadecimal'
bad 'class com.* +99999999999999999999999TB' 'class growth takes a size up to 16 EB (18446744073709551615 bytes)'
printf 'heap <= 16777215TB\nsuspect <= 100%%\njava.lang.Thread count <= 18446744073709551615\n' > edge.rules
expect 0 "$HS" check --rules edge.rules $sc
hasx out "check $sc: 3 rules, 3 held, 0 violated"
expect 2 "$HS" check --max-suspect 150 $sc
hasx err "heapscan: --max-suspect takes a percentage from 0 to 100, not '150'"
# a NUL byte: binary content on that line, not a long line
printf 'heap <= 1GB\nthreads <= 5\000\001\377\n' > nul.rules
expect 2 "$HS" check --rules nul.rules $sc
same "$(cat err)" "heapscan: nul.rules:2: binary content (a NUL byte), not a line of rules: is nul.rules a rules file?" "NUL byte"
head -c 4096 "$HS" > binary.rules
expect 2 "$HS" check --rules binary.rules $sc
has err "^heapscan: binary.rules:1: binary content \(a NUL byte\)"
# a rule that parses but needs --baseline
printf 'heap <= 1GB\nclass java.* +10%%\n' > growth.rules
expect 2 "$HS" check --rules growth.rules $sc
hasx err "heapscan: growth.rules:2: growth rule 'class java.* +10%' needs --baseline BASE"
# files
expect 2 "$HS" check --rules no-such.rules $sc
hasx err "heapscan: no-such.rules: cannot open the rules file"
: > empty.rules
expect 2 "$HS" check --rules empty.rules $sc
has err "^heapscan: no rules: give --max-heap, --max-growth, --max-suspect, --max-threads or --rules FILE$"
awk 'BEGIN { printf "heap <= 1GB\n# "; for (i = 0; i < 2000; i++) printf "x"; print "" }' > long.rules
expect 2 "$HS" check --rules long.rules $sc
hasx err "heapscan: long.rules:2: line longer than 1022 bytes"
# comments, blank lines, tabs and CRLF line ends are fine
printf '# c\r\n\r\n\theap\t<=  1GB   # c\r\njava.lang.Long count <= 3000\r\n' > crlf.rules
expect 0 "$HS" check --rules crlf.rules $sc
hasx out "check $sc: 2 rules, 2 held, 0 violated"
# the flags
expect 2 "$HS" check --max-heap 1GiBs $sc
hasx err "heapscan: --max-heap takes a size such as 512, 64K, 1.5G, not '1GiBs'"
expect 2 "$HS" check --max-threads many $sc
hasx err "heapscan: --max-threads takes a whole number from 0 to 18446744073709551615, not 'many'"
expect 2 "$HS" check --baseline $sc --max-growth 5 $sc
hasx err "heapscan: --max-growth 5: a percentage or a size? write 5% or 5MB (5B for bytes)"
finish
