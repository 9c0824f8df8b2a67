# --keep-unreachable picks pseudo-roots for the objects no GC root
# reaches as Eclipse MAT does (mkdump unreachable-cycles; the objects and
# their hand-computed sizes are in unreachable_cycles_heap): first those
# no other unreachable object refers to (L: L, X, Y, 48 bytes), then one
# object of each cycle nothing else left refers to (P: P, Q and a
# byte[100], 144 bytes; R1: R1, R2 and the cycle S1, S2 it enters, 64).
"$MKDUMP" unreachable-cycles u.hprof || exit 1
"$HS" dominators --quiet --keep-unreachable u.hprof | awk '$5 == "Node" { print $6, $2, $4 }'
