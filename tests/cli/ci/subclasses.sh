# PATTERN+ takes a class and its subclasses, as Tomcat's TaskThread is a
# java.lang.Thread; "threads" counts the live threads (the dump's thread
# objects), started or not being what tells them from other instances.
# tests/mkdump thread-subclasses: 2 java.lang.Thread, 5 TaskThread, 3
# pool.Worker (a TaskThread), no pool.Idle (a Thread), 4 Unrelated; 7 of
# the 10 threads live.  A snapshot keeps the superclasses: the same counts.
. "$(dirname "$0")/assert.inc"
"$MKDUMP" thread-subclasses t.hprof || exit 1
# the shallow bytes of the 10 threads, by histogram --live (leaves: each
# retains its shallow size)
tb=$("$HS" histogram --top 0 --live --quiet --csv t.hprof |
	awk -F, '$1 == "java.lang.Thread" || $1 == "TaskThread" || $1 == "pool.Worker" { b += $3 } END { print b }')
rules() { # rules ADJUST: the limits, less ADJUST
	cat <<EOR
java.lang.Thread count <= $((2 - $1))
java.lang.Thread+ count <= $((10 - $1))
class java.lang.Thread+ shallow <= $((tb - $1))B
java.lang.Thread+ <= $((tb - $1))B
TaskThread+ count <= $((8 - $1))
pool.Worker+ count <= $((3 - $1))
pool.Idle+ count <= 0
threads <= $((7 - $1))
EOR
}
rules 0 > hold.rules
rules 1 > break.rules
expect 0 "$HS" check --rules hold.rules t.hprof
hasx out "check t.hprof: 8 rules, 8 held, 0 violated"
expect 1 "$HS" check --rules break.rules t.hprof
hasx out "FAIL java.lang.Thread count <= 1 (break.rules:1): measured 2, limit 1"
hasx out "FAIL java.lang.Thread+ count <= 9 (break.rules:2): measured 10, limit 9; biggest: TaskThread (5 instances)"
has out "^FAIL class java.lang.Thread\+ shallow <= $((tb - 1))B \(break.rules:3\): measured $tb B, limit $((tb - 1)) B; biggest: TaskThread "
has out "^FAIL java.lang.Thread\+ <= $((tb - 1))B \(break.rules:4\): measured $tb B, limit $((tb - 1)) B; biggest: TaskThread "
hasx out "FAIL TaskThread+ count <= 7 (break.rules:5): measured 8, limit 7; biggest: TaskThread (5 instances)"
hasx out "FAIL pool.Worker+ count <= 2 (break.rules:6): measured 3, limit 2"
has out '^FAIL threads <= 6 \(break.rules:8\): measured 7, limit 6'
hasx out "check t.hprof: 8 rules, 1 held, 7 violated"
# a snapshot: the counts and shallow sizes (a retained size of several
# classes together it does not keep)
"$HS" snapshot --quiet -o t.snap t.hprof || fail "snapshot"
grep -v '^java.lang.Thread+ <= ' hold.rules > hold2.rules
grep -v '^java.lang.Thread+ <= ' break.rules > break2.rules
expect 0 "$HS" check --rules hold2.rules t.snap
hasx out "check t.snap: 7 rules, 7 held, 0 violated"
expect 1 "$HS" check --rules break2.rules t.snap
hasx out "check t.snap: 7 rules, 1 held, 6 violated"
expect 2 "$HS" check --rules hold.rules t.snap
hasx err "heapscan: hold.rules:4: 'java.lang.Thread+ <= ${tb}B': t.snap is a snapshot, which keeps retained sizes per class and per name prefix (a.b.*, a.b.C*) only, and 'java.lang.Thread+' matches 3 classes (with its subclasses): check the dump"
# growth of a class and its subclasses against a baseline
expect 0 "$HS" check --rules hold.rules --baseline t.snap t.hprof
printf 'class java.lang.Thread+ +0B\n' > g.rules
expect 0 "$HS" check --rules g.rules --baseline t.hprof t.hprof
# a snapshot made before superclasses were kept cannot tell: an error
expect 2 "$HS" check --rules break2.rules $ci/healthy-v1.snap
hasx err "heapscan: break2.rules:2: 'java.lang.Thread+ count <= 9': $ci/healthy-v1.snap is a snapshot without the class hierarchy that 'java.lang.Thread+' needs (made by an earlier heapscan): make the snapshot again"
# a sample: thread-explosion's threads are plain java.lang.Threads, the
# JVM's finalizer and its InnocuousThread subclasses (its jcmd histogram)
te=s/thread-explosion.hprof.zst
printf 'java.lang.Thread count <= 1\njava.lang.Thread+ count <= 1\n' > te.rules
expect 1 "$HS" check --json --rules te.rules $te
n=$(json_measured out 'java.lang.Thread count <= 1')
np=$(json_measured out 'java.lang.Thread+ count <= 1')
sub=$(($(jcmd_count s/thread-explosion.histo.txt 'java.lang.ref.Finalizer$FinalizerThread') +
	$(jcmd_count s/thread-explosion.histo.txt jdk.internal.misc.InnocuousThread)))
same "$sub" 2 "Thread subclasses in the jcmd histogram"
[ "$np" -ge $((n + sub)) ] || fail "java.lang.Thread+ count ($np) misses subclasses: java.lang.Thread $n, $sub more"
finish
