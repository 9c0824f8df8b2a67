"$MKDUMP" empty d.hprof && "$HS" info d.hprof
