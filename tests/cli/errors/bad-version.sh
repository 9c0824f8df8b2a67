"$MKDUMP" bad-version d.hprof && "$HS" histogram d.hprof
