import java.util.concurrent.locks.LockSupport;

/**
 * Too many threads: 1,500 parked threads named
 * kafka-producer-network-thread-1 .. -1500 (as if a producer were created per
 * request and never closed), plus 3 parked scheduler-1 .. -3 threads. Run it
 * with a small stack (-Xss256k). See samples/README.md.
 */
public class ThreadExplosion {
    static final int PRODUCER_THREADS = 1500;
    static final int SCHEDULER_THREADS = 3;

    /** What each thread runs: parks forever. */
    static final class Sender implements Runnable {
        final int id;

        Sender(int id) {
            this.id = id;
        }

        public void run() {
            for (;;)
                LockSupport.park(this);
        }
    }

    static Thread[] PRODUCERS;
    static Thread[] SCHEDULERS;

    public static void main(String[] args) throws Exception {
        PRODUCERS = start("kafka-producer-network-thread-", PRODUCER_THREADS);
        SCHEDULERS = start("scheduler-", SCHEDULER_THREADS);
        waitParked(PRODUCERS);
        waitParked(SCHEDULERS);
        ready();
    }

    static Thread[] start(String prefix, int n) {
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            threads[i] = new Thread(new Sender(i + 1), prefix + (i + 1));
            threads[i].setDaemon(true);
            threads[i].start();
        }
        return threads;
    }

    static void waitParked(Thread[] threads) throws InterruptedException {
        for (Thread t : threads)
            while (t.getState() != Thread.State.WAITING)
                Thread.sleep(10);
    }

    static void ready() throws InterruptedException {
        System.out.println(ProcessHandle.current().pid());
        System.out.println("READY");
        System.out.flush();
        for (;;)
            Thread.sleep(Long.MAX_VALUE);
    }
}
