"$MKDUMP" idsize5 d.hprof && "$HS" histogram d.hprof
