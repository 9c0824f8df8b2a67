# a .gz cut short: analysed up to the last whole record, a warning, exit 0
"$MKDUMP" small d.hprof && gzip -9 -c d.hprof | head -c 350 > d.hprof.gz || exit 1
"$HS" histogram --top 0 --csv d.hprof.gz > out.csv 2> err.txt || { cat err.txt; exit 1; }
grep -q "^heapscan: warning: d.hprof.gz: offset [0-9]* (0x[0-9a-f]*): .*; analysing the records before it$" err.txt || { cat err.txt; exit 1; }
# and --strict makes it an error
"$HS" histogram --top 0 --strict d.hprof.gz > /dev/null 2>&1; [ $? -eq 2 ]
