import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A small, healthy application: nine services, each an idle thread working
 * on its own modest structure (a list, a map, a cache, a buffer), which the
 * application's registry (Healthy$Registry.STATES) also references, and a
 * few counters in a static map. Nothing retains more than about 4.5% of the
 * reachable heap: the dump on which leak detection should find nothing.
 * See samples/README.md.
 */
public class Healthy {
    static final class Customer {
        final int id;
        final String name;
        final String email;
        final long createdAt;

        Customer(int id) {
            this.id = id;
            this.name = "Customer " + id;
            this.email = "customer" + id + "@example.com";
            this.createdAt = 1700000000000L + id * 1000L;
        }
    }

    static final class Event {
        final long timestamp;
        final int type;
        final String message;
        final String detail;

        Event(long timestamp, int type, String message, String detail) {
            this.timestamp = timestamp;
            this.type = type;
            this.message = message;
            this.detail = detail;
        }
    }

    static final class Session {
        final String id;
        long lastAccess;
        final HashMap<String, Object> attributes = new HashMap<>();

        Session(String id, long lastAccess) {
            this.id = id;
            this.lastAccess = lastAccess;
        }
    }

    static final class Order {
        final long id;
        final String reference;
        final int quantity;
        final double amount;

        Order(long id) {
            this.id = id;
            this.reference = "ORD-" + (100000 + id);
            this.quantity = (int) (id % 7) + 1;
            this.amount = 10.0 + id;
        }
    }

    /** A bounded LRU cache, as it should be. */
    static final class LruCache<K, V> extends LinkedHashMap<K, V> {
        private final int max;

        LruCache(int max) {
            super(16, 0.75f, true);
            this.max = max;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > max;
        }
    }

    /** A service thread's task: keeps its state and waits for work. */
    static final class Service implements Runnable {
        final Object state;

        Service(Object state) {
            this.state = state;
        }

        public void run() {
            for (;;)
                LockSupport.park(this);
        }
    }

    static final String[] MESSAGES = { "login", "logout", "order placed", "order shipped", "payment" };

    /** The only application data held from a static field: 40 counters. */
    static final class Metrics {
        static final HashMap<String, AtomicLong> COUNTERS = new HashMap<>();
    }

    /** Each service's state, also held by its thread. */
    static final class Registry {
        static final Object[] STATES = new Object[9];
    }

    static Thread[] SERVICES;

    public static void main(String[] args) throws Exception {
        build();
        ready();
    }

    static void build() throws InterruptedException {
        ArrayList<Customer> customers = new ArrayList<>();
        for (int i = 0; i < 250; i++)
            customers.add(new Customer(i));

        HashMap<String, String> settings = new HashMap<>();
        for (int i = 0; i < 250; i++)
            settings.put("app.setting." + i, "value-" + i);

        ArrayDeque<Event> events = new ArrayDeque<>();
        for (int i = 0; i < 1000; i++) { // keeps the last 400
            events.addLast(new Event(1700000000000L + i, i % 5, MESSAGES[i % 5], "request " + i));
            if (events.size() > 400)
                events.removeFirst();
        }

        double[] prices = new double[5000];
        for (int i = 0; i < prices.length; i++)
            prices[i] = 9.99 + i;

        LruCache<Integer, byte[]> thumbnails = new LruCache<>(200);
        for (int i = 0; i < 600; i++) // keeps the last 200
            thumbnails.put(i, new byte[128]);

        TreeMap<String, Integer> words = new TreeMap<>();
        for (int i = 0; i < 400; i++)
            words.put("word" + i, 1000 + i);

        ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
        for (int i = 0; i < 120; i++) {
            Session s = new Session("session-" + i, 1700000000000L + i);
            s.attributes.put("user", "user" + i);
            s.attributes.put("locale", "en");
            sessions.put(s.id, s);
        }

        LinkedList<Order> orders = new LinkedList<>();
        for (int i = 0; i < 300; i++)
            orders.add(new Order(i));

        byte[] auditBuffer = new byte[32768];

        for (int i = 0; i < 40; i++)
            Metrics.COUNTERS.put("requests." + i, new AtomicLong(i * 100L));

        Object[] states = { customers, settings, events, prices, thumbnails, words, sessions, orders, auditBuffer };
        String[] names = { "customer-service", "settings-watcher", "event-log-writer", "price-updater",
                "thumbnail-cache", "search-indexer", "session-reaper", "order-processor", "audit-flusher" };
        SERVICES = new Thread[names.length];
        for (int i = 0; i < names.length; i++) {
            Registry.STATES[i] = states[i];
            SERVICES[i] = new Thread(new Service(states[i]), names[i]);
            SERVICES[i].setDaemon(true);
            SERVICES[i].start();
        }
        for (Thread t : SERVICES)
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
