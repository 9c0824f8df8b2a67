import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A big Tomcat-like heap for benchmarks (bench/make-big-dump.sh), not a
 * sample: 200 worker threads http-nio-11010-exec-1 .. -200, each keeping
 * through the ThreadLocal Big$RequestContext.CONTEXT a HashMap of requests.
 * Each request is a small HashMap of 6 entries: three Strings, an ArrayList
 * of 3 Integers, a byte[512] body and a Big$Span linked to the thread's
 * previous span; 24 objects and about 1,300 bytes per request, some 54
 * bytes per object. Besides: 1% of the target in byte[65536] I/O buffers and
 * 1% in a catalog of Big$Product, held statically.
 *
 *   java -XX:+UseSerialGC -Xmx... Big SIZE_MB
 *
 * builds about SIZE_MB megabytes (2^20 bytes) of live objects as the JVM
 * counts them with compressed oops, prints its PID and READY, then sleeps.
 */
public class Big {
    static final int THREADS = 200;
    /** Shallow bytes of one request with compressed oops, measured. */
    static final int BYTES_PER_REQUEST = 1300;
    static final int BODY_BYTES = 512;
    static final int BUFFER_BYTES = 65536;

    static final class RequestContext {
        static final ThreadLocal<HashMap<String, Object>> CONTEXT = new ThreadLocal<>();
    }

    /** A trace span; each points to the thread's previous one. */
    static final class Span {
        final Span parent;
        final long start;
        final long end;
        final String name;

        Span(Span parent, long start, long end, String name) {
            this.parent = parent;
            this.start = start;
            this.end = end;
            this.name = name;
        }
    }

    static final class Product {
        final long id;
        final String sku;
        final String title;
        final double price;

        Product(long id) {
            this.id = id;
            this.sku = "SKU-" + (1000000 + id);
            this.title = "Product number " + id;
            this.price = 1.5 + id % 1000;
        }
    }

    static final class NamedFactory implements ThreadFactory {
        private int next = 1;

        public synchronized Thread newThread(Runnable r) {
            Thread t = new Thread(r, "http-nio-11010-exec-" + next++);
            t.setDaemon(true);
            return t;
        }
    }

    static final String[] SPAN_NAMES = { "http.request", "db.query", "cache.get", "render" };

    /** Serves `requests` requests on its worker thread, never clearing the context. */
    static final class Requests implements Runnable {
        private final int worker;
        private final int requests;
        private final CountDownLatch done;
        Span last; // the thread's newest span, the head of its chain

        Requests(int worker, int requests, CountDownLatch done) {
            this.worker = worker;
            this.requests = requests;
            this.done = done;
        }

        public void run() {
            HashMap<String, Object> ctx = new HashMap<>();
            RequestContext.CONTEXT.set(ctx);
            Span span = null;
            for (int i = 0; i < requests; i++) {
                long n = (long) worker * 1000000 + i;
                HashMap<String, Object> req = new HashMap<>();
                req.put("traceId", Long.toHexString(0x1000000000000000L + n * 0x9E3779B97F4A7C15L >>> 4));
                req.put("uri", "/api/v1/orders/" + n);
                req.put("user", "user-" + (i % 10000));
                ArrayList<Integer> items = new ArrayList<>();
                for (int k = 0; k < 3; k++)
                    items.add(1000 + i * 3 + k);
                req.put("items", items);
                req.put("body", new byte[BODY_BYTES]);
                span = new Span(span, n, n + 5, SPAN_NAMES[i & 3]);
                req.put("span", span);
                ctx.put("req-" + worker + "-" + i, req);
            }
            last = span;
            done.countDown();
        }
    }

    static ThreadPoolExecutor EXECUTOR;
    static ArrayList<byte[]> BUFFERS;
    static ArrayList<Product> CATALOG;

    public static void main(String[] args) throws Exception {
        long target = (long) Double.parseDouble(args[0]) * 1024 * 1024;
        long buffers = Math.max(1, target / 100 / BUFFER_BYTES);
        long products = Math.max(1, target / 100 / 164);
        long requests = Math.max(THREADS, (target - buffers * (BUFFER_BYTES + 16) - products * 164) / BYTES_PER_REQUEST);
        BUFFERS = new ArrayList<>();
        for (long i = 0; i < buffers; i++)
            BUFFERS.add(new byte[BUFFER_BYTES]);
        CATALOG = new ArrayList<>();
        for (long i = 0; i < products; i++)
            CATALOG.add(new Product(i));
        serve(requests);
        waitIdle();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.err.printf("Big: %d requests on %d threads, %d buffers, %d products; live heap %.1f MB%n",
                requests, THREADS, buffers, products, (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
        ready();
    }

    static void serve(long requests) throws InterruptedException {
        EXECUTOR = new ThreadPoolExecutor(THREADS, THREADS, 0L, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<Runnable>(), new NamedFactory());
        CountDownLatch done = new CountDownLatch(THREADS);
        for (int w = 1; w <= THREADS; w++) {
            long share = requests / THREADS + (w <= requests % THREADS ? 1 : 0);
            EXECUTOR.execute(new Requests(w, (int) share, done));
        }
        done.await();
    }

    static void waitIdle() throws InterruptedException {
        for (;;) {
            Thread[] all = new Thread[Thread.activeCount() + 16];
            int n = Thread.enumerate(all), waiting = 0;
            for (int i = 0; i < n; i++)
                if (all[i].getName().startsWith("http-nio-11010-exec-") && all[i].getState() == Thread.State.WAITING)
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
