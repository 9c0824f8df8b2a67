"$MKDUMP" idsize5 d.hprof && "$HS" histogram --top 0 d.hprof
