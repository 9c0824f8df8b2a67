"$MKDUMP" truncated d.hprof && "$HS" histogram --strict d.hprof
