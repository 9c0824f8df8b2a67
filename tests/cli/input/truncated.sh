# a dump cut inside a record: the whole records before it are analysed
"$MKDUMP" truncated d.hprof && "$HS" histogram --top 0 --csv d.hprof
