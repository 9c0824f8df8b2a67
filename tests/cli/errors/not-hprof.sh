"$MKDUMP" not-hprof d.hprof && "$HS" histogram --top 0 d.hprof
