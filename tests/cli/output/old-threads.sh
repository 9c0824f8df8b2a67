# Threads of JDK 8 and older name themselves by a char[] (mkdump
# old-threads: the names, roots and holders are in old_threads_heap).
# Every reachable Thread object is listed, those without a thread root
# marked: a compiler thread held by a JNI global, a thread that is only
# some object's field, one without a name; "gone", which nothing reaches,
# is not.  --group sees the char[] names too: worker-1 and worker-2 make
# one pattern.
"$MKDUMP" old-threads t.hprof || exit 1
"$HS" threads --quiet --json --no-stacks t.hprof | python3 -c '
import json, sys
for t in json.load(sys.stdin)["threads"]:
    print("%s %s %s%s%s" % (t["id"], t["thread"], t["class"], " daemon" if t["daemon"] else "",
                            "" if t["thread_root"] else " (no thread root)"))' | sort
"$HS" threads --quiet --group t.hprof | awk 'NR > 4 { p = $5; for (i = 6; i <= NF; i++) p = p " " $i; print $1, p }'
"$HS" threads --quiet t.hprof | grep -c '(no thread root)'
