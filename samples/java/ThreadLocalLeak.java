import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The incident: a Tomcat-like fixed pool of 8 worker threads
 * (http-nio-8080-exec-1 .. -8), each keeping, through the ThreadLocal
 * Trace.CONTEXT, a HashMap that accumulates one small HashMap<String,String>
 * per request and is never cleared. After the requests the workers sit idle
 * in the pool (parked in LinkedBlockingQueue.take). See samples/README.md.
 */
public class ThreadLocalLeak {
    static final int THREADS = 8;
    static final int REQUESTS_PER_THREAD = 2000;
    static final int BACKGROUND_STRINGS = 300;

    /** Request tracing whose context is never removed: the leak. */
    static final class Trace {
        static final ThreadLocal<HashMap<String, Object>> CONTEXT = new ThreadLocal<>();

        static HashMap<String, Object> context() {
            HashMap<String, Object> m = CONTEXT.get();
            if (m == null) {
                m = new HashMap<>();
                CONTEXT.set(m);
            }
            return m;
        }
    }

    /** Names the pool's threads like Tomcat's connector executor. */
    static final class NamedFactory implements ThreadFactory {
        private int next = 1;

        public synchronized Thread newThread(Runnable r) {
            Thread t = new Thread(r, "http-nio-8080-exec-" + next++);
            t.setDaemon(true);
            return t;
        }
    }

    /** Serves REQUESTS_PER_THREAD requests on the worker thread that runs it. */
    static final class Requests implements Runnable {
        private final int worker;
        private final CountDownLatch done;

        Requests(int worker, CountDownLatch done) {
            this.worker = worker;
            this.done = done;
        }

        public void run() {
            awaitTurn(worker);
            HashMap<String, Object> ctx = Trace.context();
            for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                HashMap<String, String> req = new HashMap<>();
                req.put("traceId", "t-" + worker + "-" + i);
                req.put("uri", ROUTES[i % ROUTES.length]); // shared literals
                req.put("user", USERS[i % USERS.length]); // shared literals
                ctx.put("req-" + worker + "-" + i, req); // never cleared
            }
            endTurn();
            done.countDown();
        }
    }

    // The workers serve their requests one after the other (exec-1 first), so
    // that each one's objects lie together in the heap and the dump is the
    // same from run to run.
    private static final Object TURN_LOCK = new Object();
    private static int turn = 1;

    static void awaitTurn(int worker) {
        synchronized (TURN_LOCK) {
            while (turn != worker) {
                try {
                    TURN_LOCK.wait();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    static void endTurn() {
        synchronized (TURN_LOCK) {
            turn++;
            TURN_LOCK.notifyAll();
        }
    }

    static final String[] ROUTES = { "/api/orders", "/api/cart", "/api/users", "/api/search" };
    static final String[] USERS = { "alice", "bob", "carol", "dave", "erin" };

    static ThreadPoolExecutor EXECUTOR;
    static ArrayList<String> BACKGROUND; // healthy data

    public static void main(String[] args) throws Exception {
        BACKGROUND = new ArrayList<>(BACKGROUND_STRINGS);
        for (int i = 0; i < BACKGROUND_STRINGS; i++)
            BACKGROUND.add("config-entry-" + i);

        serve();
        waitIdle();
        ready();
    }

    /** Runs the requests on the pool, then waits until all are served. */
    static void serve() throws InterruptedException {
        // A fixed pool, as Executors.newFixedThreadPool makes it: while fewer
        // than 8 threads exist, each submit starts a new thread, so the 8
        // tasks run on the 8 distinct workers.
        EXECUTOR = new ThreadPoolExecutor(THREADS, THREADS, 0L, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<Runnable>(), new NamedFactory());
        CountDownLatch done = new CountDownLatch(THREADS);
        for (int w = 1; w <= THREADS; w++)
            EXECUTOR.execute(new Requests(w, done));
        done.await();
    }

    /** Waits until every worker is back in the pool, parked in take(). */
    static void waitIdle() throws InterruptedException {
        for (;;) {
            Thread[] all = new Thread[Thread.activeCount() + 16];
            int n = Thread.enumerate(all), waiting = 0;
            for (int i = 0; i < n; i++)
                if (all[i].getName().startsWith("http-nio-8080-exec-") && all[i].getState() == Thread.State.WAITING)
                    waiting++;
            if (waiting == THREADS && EXECUTOR.getActiveCount() == 0)
                return;
            Thread.sleep(10);
        }
    }

    static void ready() throws InterruptedException {
        System.out.println(ProcessHandle.current().pid());
        System.out.println("READY");
        System.out.flush();
        for (;;)
            Thread.sleep(Long.MAX_VALUE);
    }
}
