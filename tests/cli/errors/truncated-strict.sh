"$MKDUMP" truncated d.hprof && "$HS" histogram --top 0 --strict d.hprof
