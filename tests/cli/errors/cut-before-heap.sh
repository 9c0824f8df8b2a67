# a dump cut before its first heap dump: the error says where it is cut
"$MKDUMP" cut-before-heap d.hprof && "$HS" info d.hprof
