# Pileups.java: threads waiting at the same frames for a lock, a monitor
# and socket reads are pile-ups, with the counts the program starts
# (its constants); its idle pool workers and the threads that each park on
# an object of their own are not.  The lock waiters all park on the
# ReentrantLock's sync, which the static field Pileups.LOCK holds; the
# monitor waiters on Pileups.MONITOR.
src=$SAMPLES/java/Pileups.java
const() { sed -n "s/.* $1 = \([0-9]*\)[,;].*/\1/p" "$src"; }
lock=$(const LOCK_WAITERS) monitor=$(const MONITOR_WAITERS) socket=$(const SOCKET_READERS)
idle=$(const IDLE_WORKERS) own=$(const OWN_PARKERS)
[ "$lock" -ge 5 ] && [ "$monitor" -ge 5 ] && [ "$socket" -ge 5 ] && [ "$idle" -ge 5 ] && [ "$own" -ge 5 ] ||
	{ echo "constants: $lock $monitor $socket $idle $own" >&2; exit 1; }
d=$SAMPLES/pileups.hprof.zst
"$HS" suspects --quiet "$d" > out.txt || exit 1
[ "$(grep -c ' at the same frames: ' out.txt)" = 3 ] || { cat out.txt >&2; exit 1; }
grep -q "^Suspect [0-9]*: $lock threads \"order-updater-\*\" wait parked at the same frames: Pileups\$LockWaiter.run -> Pileups\$Orders.update -> ReentrantLock.lock -> .* -> Unsafe.park$" out.txt ||
	{ cat out.txt >&2; exit 1; }
grep -A2 '"order-updater-\*" wait parked' out.txt | grep -qx '    class Pileups static LOCK -> ReentrantLock .sync -> java.util.concurrent.locks.ReentrantLock$NonfairSync' ||
	{ cat out.txt >&2; exit 1; }
grep -q "^Suspect [0-9]*: $monitor threads \"event-listener-\*\" wait in Object.wait at the same frames: Thread.run -> Pileups\$MonitorWaiter.run -> Object.wait" out.txt ||
	{ cat out.txt >&2; exit 1; }
# the monitor is a local of MonitorWaiter.run in each (the frame calling
# wait): the object they wait on, Pileups.MONITOR
grep -A2 '"event-listener-\*" wait in Object.wait' out.txt | grep -qx '    class Pileups static MONITOR -> java.lang.Object' ||
	{ cat out.txt >&2; exit 1; }
grep -q "^Suspect [0-9]*: $socket threads \"downstream-client-\*\" wait in a socket read at the same frames: Pileups\$SocketReader.run -> Pileups\$Downstream.call -> " out.txt ||
	{ cat out.txt >&2; exit 1; }
! grep -q 'own-parker\|pool-' out.txt || { cat out.txt >&2; exit 1; }
# threads --group-by frame has them all, the idle workers and own parkers too
"$HS" threads --quiet --group-by frame "$d" > g.txt || exit 1
grep -qE "^ *$own +[0-9.]+% +[0-9,]+ +[0-9,]+ +park +java\\.lang\\.Thread\\.run -> Pileups\\\$OwnParker\\.run -> java\\.util\\.concurrent\\.locks\\.LockSupport\\.park -> jdk\\.internal\\.misc\\.Unsafe\\.park$" g.txt || { cat g.txt >&2; exit 1; }
grep -qE "^ *$idle +[0-9.]+% +[0-9,]+ +[0-9,]+ +java\\.lang\\.Thread\\.run -> java\\.util\\.concurrent\\.ThreadPoolExecutor\\\$Worker\\.run -> java\\.util\\.concurrent\\.ThreadPoolExecutor\\.runWorker -> java\\.util\\.concurrent\\.ThreadPoolExecutor\\.getTask -> " g.txt || { cat g.txt >&2; exit 1; }
