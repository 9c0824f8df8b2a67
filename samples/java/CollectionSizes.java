import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collections of known sizes, one of each kind heapscan describes by its
 * entry count, each the only thing a static field of CollectionSizes holds:
 * the size of each is its field's position in this list plus ten
 * (HASH_MAP 11, LINKED_HASH_MAP 12, ...), so no two are alike.  ARRAY_DEQUE
 * has wrapped around its elements array (head > tail); OBJECTS is an
 * Object[40] with 19 non-null slots; CONCURRENT_MAP was filled by 16 threads
 * at once, so most of its count sits in CounterCells rather than in
 * baseCount, then emptied down to 27 entries.  See samples/README.md.
 */
public class CollectionSizes {
    static final Map<Integer, Integer> HASH_MAP = new HashMap<>();
    static final Map<Integer, Integer> LINKED_HASH_MAP = new LinkedHashMap<>();
    static final Map<Integer, Integer> HASHTABLE = new Hashtable<>();
    static final Map<Integer, Integer> TREE_MAP = new TreeMap<>();
    static final List<Integer> ARRAY_LIST = new ArrayList<>();
    static final List<Integer> LINKED_LIST = new LinkedList<>();
    static final List<Integer> VECTOR = new Vector<>();
    static final ArrayDeque<Integer> ARRAY_DEQUE = new ArrayDeque<>();
    static final Set<Integer> HASH_SET = new HashSet<>();
    static final Set<Integer> LINKED_HASH_SET = new LinkedHashSet<>();
    static final Set<Integer> TREE_SET = new TreeSet<>();
    static final PriorityQueue<Integer> PRIORITY_QUEUE = new PriorityQueue<>();
    static final List<Integer> COPY_ON_WRITE_LIST = new CopyOnWriteArrayList<>();
    static final Set<Integer> UNMODIFIABLE_SET = Collections.unmodifiableSet(new HashSet<>(fill(24)));
    static final Map<Integer, Integer> SYNCHRONIZED_MAP = Collections.synchronizedMap(new HashMap<>());
    static final Object[] OBJECTS = new Object[40];
    static final ConcurrentHashMap<Integer, Integer> CONCURRENT_MAP = new ConcurrentHashMap<>();

    static List<Integer> fill(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++)
            l.add(1000 + i);
        return l;
    }

    static void trim(int keep) {
        int left = CONCURRENT_MAP.size();
        for (Integer k : CONCURRENT_MAP.keySet())
            if (left > keep) {
                CONCURRENT_MAP.remove(k);
                left--;
            }
    }

    public static void main(String[] args) throws Exception {
        for (Integer k : fill(11)) HASH_MAP.put(k, k);
        for (Integer k : fill(12)) LINKED_HASH_MAP.put(k, k);
        for (Integer k : fill(13)) HASHTABLE.put(k, k);
        for (Integer k : fill(14)) TREE_MAP.put(k, k);
        ARRAY_LIST.addAll(fill(15));
        LINKED_LIST.addAll(fill(16));
        VECTOR.addAll(fill(17));
        // wrap around: 16 slots, 10 taken from the front, 18 in all
        for (Integer k : fill(15)) ARRAY_DEQUE.addLast(k);
        for (int i = 0; i < 10; i++) ARRAY_DEQUE.pollFirst();
        for (Integer k : fill(13)) ARRAY_DEQUE.addLast(k);
        HASH_SET.addAll(fill(19));
        LINKED_HASH_SET.addAll(fill(20));
        TREE_SET.addAll(fill(21));
        PRIORITY_QUEUE.addAll(fill(22));
        COPY_ON_WRITE_LIST.addAll(fill(23));
        for (Integer k : fill(25)) SYNCHRONIZED_MAP.put(k, k);
        for (int i = 0; i < 19; i++) OBJECTS[2 * i] = i;
        Thread[] t = new Thread[16];
        for (int k = 0; k < t.length; k++) {
            final int base = k * 100000;
            t[k] = new Thread(() -> {
                for (int i = 0; i < 5000; i++)
                    CONCURRENT_MAP.put(base + i, i);
            });
            t[k].start();
        }
        for (Thread x : t) x.join();
        trim(27); // in a method of its own: no iterator left in main's frame
        if (ARRAY_DEQUE.size() != 18 || CONCURRENT_MAP.size() != 27)
            throw new IllegalStateException("sizes " + ARRAY_DEQUE.size() + " " + CONCURRENT_MAP.size());
        ready();
    }

    static void ready() throws InterruptedException {
        System.out.println(ProcessHandle.current().pid());
        System.out.println("READY");
        System.out.flush();
        for (;;)
            Thread.sleep(Long.MAX_VALUE);
    }
}
