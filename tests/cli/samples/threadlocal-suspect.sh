# The incident: 8 Tomcat-like workers each keep a HashMap of 2,000 small
# HashMaps through a ThreadLocal that is never reset.  One finding, with
# the thread pattern, the ThreadLocal's static field and the entry count.
"$HS" suspects --quiet "$SAMPLES/threadlocal-leak.hprof.zst" > out.txt || exit 1
grep -q '^Suspect 1: 8 threads "http-nio-8080-exec-\*" each hold a java.util.HashMap (2,000 entries) through ThreadLocal ThreadLocalLeak$Trace.CONTEXT: ' out.txt || { cat out.txt; exit 1; }
grep -q '\.threadLocals -> ThreadLocal$ThreadLocalMap \.table -> ThreadLocal$ThreadLocalMap$Entry\[\] \[[0-9]*\] -> ThreadLocal$ThreadLocalMap$Entry \.value -> java.util.HashMap (2,000 entries)' out.txt || { cat out.txt; exit 1; }
"$HS" suspects --quiet --json "$SAMPLES/threadlocal-leak.hprof.zst" | grep -E '"(kind|members|thread_pattern|through|entries)"' | head -5
