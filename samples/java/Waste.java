import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Known waste, each kind held from a static field of Waste, for `heapscan
 * waste`, `objects`, `inspect` and `dominators --immediate`:
 *  - PEOPLE: PERSONS instances of Waste$Person (id 0..PERSONS-1), each with
 *    its own copy of the String CITY_PREFIX + CITY_NUMBER (its own byte[]);
 *  - NAMES: LIST_DUPLICATES copies of LIST_PREFIX + LIST_NUMBER in an
 *    ArrayList;
 *  - EMPTY_MAPS: a HashMap[] of EMPTY_MAPS HashMaps, each with a table of
 *    MAP_CAPACITY slots and no entry (one put, one remove);
 *  - SPARSE_LISTS: SPARSE_LISTS ArrayLists of capacity LIST_CAPACITY holding
 *    one plain Object each;
 *  - BOXES: BOXED java.lang.Long values BOX_BASE + i in an ArrayList;
 *  - ZEROS: ZERO_ARRAYS long[ZERO_LENGTH], all zero.
 * The strings are built at run time, so no literal of the same value
 * exists.  See samples/README.md.
 */
public class Waste {
    static final int PERSONS = 500;
    static final String CITY_PREFIX = "Springfield-City-";
    static final int CITY_NUMBER = 1001;            // "Springfield-City-1001", 21 chars
    static final int LIST_DUPLICATES = 200;
    static final String LIST_PREFIX = "duplicate-in-list-";
    static final int LIST_NUMBER = 42;              // "duplicate-in-list-42", 20 chars
    static final int EMPTY_MAP_COUNT = 40;
    static final int MAP_CAPACITY = 64;
    static final int SPARSE_LIST_COUNT = 20;
    static final int LIST_CAPACITY = 1000;
    static final int BOXED = 1000;
    static final long BOX_BASE = 5_000_000L;
    static final int ZERO_ARRAYS = 30;
    static final int ZERO_LENGTH = 3000;

    static final class Person {
        final String city;
        final int id;

        Person(String city, int id) {
            this.city = city;
            this.id = id;
        }
    }

    static final List<Person> PEOPLE = new ArrayList<>();
    static final List<String> NAMES = new ArrayList<>();
    @SuppressWarnings("unchecked")
    static final HashMap<String, String>[] EMPTY_MAPS = new HashMap[EMPTY_MAP_COUNT];
    static final List<List<Object>> SPARSE_LISTS = new ArrayList<>();
    static final List<Long> BOXES = new ArrayList<>();
    static final long[][] ZEROS = new long[ZERO_ARRAYS][];

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < PERSONS; i++)
            PEOPLE.add(new Person(new StringBuilder(CITY_PREFIX).append(CITY_NUMBER).toString(), i));
        for (int i = 0; i < LIST_DUPLICATES; i++)
            NAMES.add(new StringBuilder(LIST_PREFIX).append(LIST_NUMBER).toString());
        for (int i = 0; i < EMPTY_MAP_COUNT; i++) {
            HashMap<String, String> m = new HashMap<>(MAP_CAPACITY);
            m.put("k", "v");   // allocates the table
            m.remove("k");
            EMPTY_MAPS[i] = m;
        }
        for (int i = 0; i < SPARSE_LIST_COUNT; i++) {
            List<Object> l = new ArrayList<>(LIST_CAPACITY);
            l.add(new Object());
            SPARSE_LISTS.add(l);
        }
        for (int i = 0; i < BOXED; i++)
            BOXES.add(Long.valueOf(BOX_BASE + i));
        for (int i = 0; i < ZERO_ARRAYS; i++)
            ZEROS[i] = new long[ZERO_LENGTH];
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
