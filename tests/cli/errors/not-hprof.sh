"$MKDUMP" not-hprof d.hprof && "$HS" histogram d.hprof
