# heapscan threads on the incident sample: the 8 workers, their stacks
# with line numbers, locals with retained sizes, and --group.  Independent
# references: the line numbers of samples/java/ThreadLocalLeak.java, the
# program's THREADS constant, and the suspects report's total.
dump=$SAMPLES/threadlocal-leak.hprof.zst
src=$SAMPLES/java/ThreadLocalLeak.java
workers=$(sed -n 's/.*static final int THREADS = \([0-9]*\);.*/\1/p' "$src")
"$HS" threads --quiet "$dump" > t.txt || exit 1
# the main thread sleeps in ready(), called from main()
call=$(grep -n '^        ready();' "$src" | cut -d: -f1)
sleep=$(grep -n 'Thread.sleep(Long.MAX_VALUE)' "$src" | cut -d: -f1)
grep -A3 '^"main"  java.lang.Thread' t.txt > main.txt
grep -qx "    at ThreadLocalLeak.ready(ThreadLocalLeak.java:$sleep)" main.txt &&
grep -qx "    at ThreadLocalLeak.main(ThreadLocalLeak.java:$call)" main.txt || { cat main.txt; exit 1; }
# main's local args: an empty String[] (12-byte header + 4-byte length)
grep -A4 '^"main"' t.txt | grep -x '        local java.lang.String\[\] @ 0x[0-9a-f]*, retains 16 B' > /dev/null || { cat t.txt | head; exit 1; }
# every worker: a daemon, parked in LinkedBlockingQueue.take, and all
# retain the same: one line per worker, one distinct figure
[ "$(grep -c '^"http-nio-8080-exec-[0-9]*" daemon  java.lang.Thread @ ' t.txt)" = "$workers" ] || exit 1
[ "$(grep '^"http-nio-8080-exec-' t.txt | sed 's/.*retains //; s/;.*//' | sort -u | wc -l)" = 1 ] || exit 1
[ "$(grep -c 'at java.util.concurrent.LinkedBlockingQueue.take(LinkedBlockingQueue.java:[0-9]*)' t.txt)" = "$workers" ] || exit 1
# --group: the workers in one row whose retained total is what the
# suspects report gives for its thread finding
"$HS" threads --quiet --group --json "$dump" > g.json || exit 1
"$HS" suspects --quiet --json "$dump" > s.json || exit 1
total=$(grep -m1 '"retained"' s.json | tr -dc 0-9)
grep -qx "    {\"count\":$workers,\"retained_pct\":[0-9.]*,\"retained\":$total,\"retained_objects\":[0-9]*,\"pattern\":\"http-nio-8080-exec-\*\"}," g.json || { cat g.json; exit 1; }
# 9 patterns: the workers', main's, and the JVM's 7 (its two compiler
# threads, C1 and C2, make one: "C* CompilerThread0")
grep -c '"pattern"' g.json
# the thread explosion sample: the program starts 1,500 + 3 threads
"$HS" threads --quiet --group "$SAMPLES/thread-explosion.hprof.zst" | grep -E 'kafka|scheduler' | awk '{ print $1, $NF }'
