"$MKDUMP" bad-subtag d.hprof && "$HS" dominators d.hprof
