package com.example.orders;

import com.example.orders.cache.ResponseCache;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small order service for heapscan's CI example (samples/ci/run.sh): a
 * pool of four "order-worker-N" threads prices ORDERS orders against a
 * catalog and caches each rendered response (1 KB) in a ResponseCache
 * bounded to 200 entries.  With --leak the cache has no bound, the bug a
 * heap check in CI should catch: every response stays.
 *
 * When the orders are done it prints "READY <pid>" and waits to be dumped
 * (jcmd PID GC.heap_dump) and killed; it exits by itself after
 * --max-seconds (default 120), so that a forgotten JVM does not linger.
 *
 *   java -Xmx64m -cp CLASSES com.example.orders.OrderService [--leak]
 *        [--orders N] [--max-seconds S]
 */
public final class OrderService {
    static final int WORKERS = 4;
    static final int CACHE_ENTRIES = 200;
    static final int BODY_BYTES = 1024;

    /** What the service keeps for its whole life. */
    static Catalog catalog;
    static ResponseCache responses;
    static ExecutorService workers;

    /** A product: the healthy long-lived data. */
    static final class Product {
        final String sku;
        final String name;
        final long priceCents;

        Product(String sku, String name, long priceCents) {
            this.sku = sku;
            this.name = name;
            this.priceCents = priceCents;
        }
    }

    static final class Catalog {
        final Map<String, Product> bySku = new HashMap<>();

        Catalog(int products) {
            for (int i = 0; i < products; i++) {
                String sku = "SKU-" + i;
                bySku.put(sku, new Product(sku, "product " + i, 100 + 7L * i));
            }
        }
    }

    /** An order and its lines: garbage once it is priced. */
    static final class Order {
        final String id;
        final List<String> skus = new ArrayList<>();

        Order(String id) {
            this.id = id;
        }
    }

    static byte[] render(Order o, long totalCents) {
        byte[] body = new byte[BODY_BYTES];
        byte[] head = ("{\"order\":\"" + o.id + "\",\"total\":" + totalCents + "}")
                .getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, body, 0, Math.min(head.length, body.length));
        return body;
    }

    static void handle(int n) {
        Order o = new Order("order-" + n);
        for (int k = 0; k < 3; k++)
            o.skus.add("SKU-" + (n * 7 + k) % 500);
        long total = 0;
        for (String sku : o.skus)
            total += catalog.bySku.get(sku).priceCents;
        responses.put(o.id, render(o, total));
    }

    public static void main(String[] args) throws Exception {
        boolean leak = false;
        int orders = 3000;
        long maxSeconds = 120;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--leak": leak = true; break;
                case "--orders": orders = Integer.parseInt(args[++i]); break;
                case "--max-seconds": maxSeconds = Long.parseLong(args[++i]); break;
                default:
                    System.err.println("OrderService: unknown argument " + args[i]);
                    System.exit(2);
            }
        }
        final long limit = maxSeconds;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(limit));
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("OrderService: exiting after " + limit + " s");
            System.exit(3);
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        catalog = new Catalog(500);
        responses = new ResponseCache(leak ? 0 : CACHE_ENTRIES);
        AtomicInteger serial = new AtomicInteger();
        ThreadFactory named = r -> new Thread(r, "order-worker-" + serial.incrementAndGet());
        workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), named);
        CountDownLatch done = new CountDownLatch(orders);
        for (int i = 0; i < orders; i++) {
            final int n = i;
            workers.execute(() -> {
                try {
                    handle(n);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        System.out.println("served " + orders + " orders, " + responses.size() + " responses cached");
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        watchdog.join();
    }
}
