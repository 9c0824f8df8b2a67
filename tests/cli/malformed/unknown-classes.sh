# Objects of class ids that no record describes count under one shared
# class per kind, not one class each; an id described only later (a
# CLASS_DUMP after the first object) stays unknown for all its objects.
"$MKDUMP" unknown-classes d.hprof 1000 && "$HS" histogram --top 0 d.hprof &&
	"$HS" info d.hprof | grep -E "^(Classes|Instances|Object arrays|Unknown classes|Reachable)" &&
	"$HS" info --json --fast d.hprof | grep -E '"unknown_class_(ids|objects)"'
