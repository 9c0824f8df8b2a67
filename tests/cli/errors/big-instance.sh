"$MKDUMP" big-instance d.hprof && "$HS" histogram --top 0 d.hprof
