import java.util.HashMap;
import java.util.Map;

/**
 * An unbounded static cache: StaticCache$Cache.CACHE, a java.util.HashMap
 * from Long to byte[2048], grown to 3,000 entries; little else.
 * See samples/README.md.
 */
public class StaticCache {
    static final int ENTRIES = 3000;
    static final int VALUE_BYTES = 2048;

    /** The cache that is only ever added to. */
    static final class Cache {
        static final Map<Long, byte[]> CACHE = new HashMap<>();

        static byte[] get(long id) {
            byte[] v = CACHE.get(id);
            if (v == null) {
                v = load(id);
                CACHE.put(id, v);
            }
            return v;
        }

        static byte[] load(long id) {
            byte[] v = new byte[VALUE_BYTES];
            for (int j = 0; j < v.length; j++)
                v[j] = (byte) (id + j);
            return v;
        }
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < ENTRIES; i++)
            Cache.get(1000000L + i); // keys outside the Long cache: one Long per entry
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
