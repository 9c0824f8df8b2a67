# a file of whole records without a heap dump: it may be cut short
"$MKDUMP" ends-before-heap d.hprof && "$HS" info d.hprof
