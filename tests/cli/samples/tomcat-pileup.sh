# The real Tomcat's pool of 2 connections: 2 reports hold them, 6 wait in
# HikariPool.getConnection -> ConcurrentBag.borrow (HikariCP's own count,
# getThreadsAwaitingConnection(), in tomcat-server.stats.txt).  suspects
# reports the pile-up once, with the frames and the object the 6 park on:
# the pool's hand-off queue (HikariCP 2.7.9: ConcurrentBag.handoffQueue, a
# fair SynchronousQueue, whose transferer is a TransferQueue).  The idle
# workers waiting for a task in TaskQueue.poll are no pile-up, nor are the
# producer threads, each parked on its own Sender.  threads --group-by
# frame shows the same groups.
d=$SAMPLES/tomcat-server.hprof.zst
stats=$SAMPLES/tomcat-server.stats.txt
waiting=$(awk -F '\t' '$1 == "pool-waiting" { print $2 }' "$stats")
producers=$(awk -F '\t' '$1 == "producer-threads" { print $2 }' "$stats")
active=$(awk -F '\t' '$1 == "pool-active" { print $2 }' "$stats")
[ "$waiting" = 6 ] || exit 1
"$HS" suspects --quiet "$d" > out.txt || exit 1
[ "$(grep -c ' wait parked at the same frames: ' out.txt)" = 1 ] || { cat out.txt >&2; exit 1; }
grep -qx "Suspect [0-9]*: $waiting threads \"http-nio-18080-exec-\*\" wait parked at the same frames: HikariPool.getConnection -> ConcurrentBag.borrow -> SynchronousQueue.poll -> SynchronousQueue\$TransferQueue.transfer -> LockSupport.parkNanos -> Unsafe.park" out.txt ||
	{ cat out.txt >&2; exit 1; }
grep -A2 ' wait parked at the same frames: HikariPool' out.txt > p.txt
grep -qx '  All wait on java.util.concurrent.SynchronousQueue$TransferQueue @ 0x[0-9a-f]*:' p.txt || { cat p.txt >&2; exit 1; }
grep -qx '    com.zaxxer.hikari.util.ConcurrentBag .handoffQueue -> SynchronousQueue .transferer -> java.util.concurrent.SynchronousQueue$TransferQueue' p.txt ||
	{ cat p.txt >&2; exit 1; }
"$HS" suspects --quiet --json "$d" > s.json || exit 1
grep -qF '"frames": "com.zaxxer.hikari.pool.HikariPool.getConnection -> com.zaxxer.hikari.util.ConcurrentBag.borrow -> java.util.concurrent.SynchronousQueue.poll -> ' s.json || exit 1
"$HS" threads --quiet --group-by frame "$d" > g.txt || exit 1
grep -qE "^ *$waiting +[0-9.]+% +[0-9,]+ +[0-9,]+ +park +com\\.zaxxer\\.hikari\\.pool\\.HikariPool\\.getConnection -> com\\.zaxxer\\.hikari\\.util\\.ConcurrentBag\\.borrow -> " g.txt || { cat g.txt >&2; exit 1; }
grep -qE "^ *$(echo "$producers" | sed 's/\(.\)\(...\)$/\1,\2/') +[0-9.]+% +[0-9,]+ +[0-9,]+ +park +java\\.lang\\.Thread\\.run -> [a-z.]*Sender\\.run -> java\\.util\\.concurrent\\.locks\\.LockSupport\\.park -> jdk\\.internal\\.misc\\.Unsafe\\.park$" g.txt || { cat g.txt >&2; exit 1; }
# with --json: the waiters are parked, the holders (Thread.sleep in
# ReportServlet.doGet, samples/tomcat/webapp) wait for nothing
"$HS" threads --quiet --group-by frame --json "$d" > g.json || exit 1
grep -F '"frames":"com.zaxxer.hikari.pool.HikariPool.getConnection -> com.zaxxer.hikari.util.ConcurrentBag.borrow -> ' g.json |
	grep -qF "{\"count\":$waiting," || exit 1
grep -F '"frames":"com.zaxxer.hikari.pool.HikariPool.getConnection' g.json | grep -qF '"wait":"park"}' || exit 1
grep -qE '^    \{"count":'"$active"',"retained_pct":[0-9.]+,"retained":[0-9]*,"retained_objects":[0-9]*,"frames":"[^"]* -> com\.example\.payments\.ReportServlet\.doGet -> java\.lang\.Thread\.sleep","wait":null\},?$' g.json ||
	{ grep ReportServlet g.json >&2; exit 1; }
