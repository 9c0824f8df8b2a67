"$MKDUMP" big-instance d.hprof && "$HS" histogram d.hprof
