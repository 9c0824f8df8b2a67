# The incident: 8 Tomcat-like workers each keep a HashMap of 2,000 small
# HashMaps through a ThreadLocal that is never reset.  One finding, with
# the thread pattern, the ThreadLocal's static field and the entry count.
"$HS" suspects --quiet "$SAMPLES/threadlocal-leak.hprof.zst" > out.txt || exit 1
grep -q '^Suspect 1: 8 threads "http-nio-8080-exec-\*" each hold a java.util.HashMap (2,000 entries) through ThreadLocal ThreadLocalLeak$Trace.CONTEXT: ' out.txt || { cat out.txt; exit 1; }
grep -q '\.threadLocals -> ThreadLocal$ThreadLocalMap \.table -> ThreadLocal$ThreadLocalMap$Entry\[\] \[[0-9]*\] -> ThreadLocal$ThreadLocalMap$Entry \.value -> java.util.HashMap (2,000 entries)' out.txt || { cat out.txt; exit 1; }
"$HS" suspects --quiet --json "$SAMPLES/threadlocal-leak.hprof.zst" | grep -E '"(kind|members|thread_pattern|through|entries)"' | head -5
# what each worker's map holds: REQUESTS_PER_THREAD small HashMaps keyed by String
n=$(sed -n 's/.*static final int REQUESTS_PER_THREAD = \([0-9]*\);.*/\1/p' "$SAMPLES/java/ThreadLocalLeak.java")
grep -q "^  Holds $((2 * n)) objects: $n java.util.HashMap ([0-9]* KB), $n java.lang.String " out.txt 2>/dev/null ||
	grep -q "^  Holds 4,000 objects: 2,000 java.util.HashMap ([0-9]* KB), 2,000 java.lang.String " out.txt || { cat out.txt; exit 1; }
[ "$n" = 2000 ] || exit 1
grep -q '^  Accumulates in java.util.HashMap (2,000 entries) @ 0x[0-9a-f]*, retaining [0-9]* KB, held by thread http-nio-8080-exec-1:$' out.txt || { cat out.txt; exit 1; }
