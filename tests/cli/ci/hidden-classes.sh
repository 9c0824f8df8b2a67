# Hidden classes (lambdas) are named in a dump with the address the JVM put
# them at, "java.lang.ProcessHandleImpl$$Lambda$1+0x00007fbd35042fb0", which
# changes from run to run.  diff matches them without it: two runs of the
# same program (basic, basic-align16) have the same two lambdas, one
# instance each, and no new or gone row for them.
. "$(dirname "$0")/assert.inc"
a=s/basic.hprof.zst
b=s/basic-align16.hprof.zst
# the raw names differ between the runs
"$HS" histogram --top 0 --quiet --csv $a | grep '\$\$Lambda\$[0-9]*+0x' | cut -d, -f1 | sort > ra
"$HS" histogram --top 0 --quiet --csv $b | grep '\$\$Lambda\$[0-9]*+0x' | cut -d, -f1 | sort > rb
same "$(wc -l < ra | tr -d ' ')" 2 "lambda classes in $a"
cmp -s ra rb && fail "the raw lambda names should differ between runs"
expect 0 "$HS" diff --quiet --csv --top 0 $a $b
same "$(grep -c '0x' out)" 0 "rows with an address"
hasx out 'java.lang.ProcessHandleImpl$$Lambda$1,1,1,0,16,16,0,16,16,0'
has out '^java\.lang\.ProcessHandleImpl\$\$Lambda\$2,1,1,0,'
finish
