"$MKDUMP" android d.hprof && "$HS" info --json d.hprof | grep -E '"(format|id_size|instances|primitive_arrays|gc_roots)"|"root":'
