"$MKDUMP" two-dumps d.hprof || exit 1
"$HS" histogram --top 0 --csv d.hprof 2> err1.txt
"$HS" histogram --top 0 --csv --dump 2 d.hprof
cat err1.txt
"$HS" info --quiet --dump 2 d.hprof | grep -E "^(Heap dumps|Instances):"
"$HS" histogram --top 0 --dump 3 d.hprof
