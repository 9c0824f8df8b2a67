# A superclass loop: each chain stops at the class that would repeat (B is
# taken to have no superclass, D neither), one warning for both loops.
"$MKDUMP" super-loop d.hprof && "$HS" histogram --top 0 d.hprof && "$HS" info --fast --quiet d.hprof | grep "^Superclass"
