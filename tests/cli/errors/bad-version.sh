"$MKDUMP" bad-version d.hprof && "$HS" histogram --top 0 d.hprof
