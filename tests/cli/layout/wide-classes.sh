# Classes of 65,535 fields (long, int, short, byte and reference in turn):
# the same sizes as a first fit from byte 0 gives, in linear time.
"$MKDUMP" wide-classes d.hprof 3 && "$HS" histogram --top 0 d.hprof
