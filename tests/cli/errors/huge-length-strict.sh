"$MKDUMP" huge-length d.hprof && "$HS" info --strict d.hprof
