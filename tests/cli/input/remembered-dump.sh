# the dump may be left out: the last one analysed from this directory is used
"$MKDUMP" small d.hprof && "$HS" histogram --top 0 d.hprof > /dev/null || exit 1
"$HS" top-retained --csv --top 2 | head -3
mkdir sub && cd sub && "$HS" info 2>&1 | head -1
