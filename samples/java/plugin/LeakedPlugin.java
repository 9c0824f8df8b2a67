/**
 * The plugin class of ClassLoaderLeak: compiled on its own, off the
 * program's class path, and defined again by each ClassLoaderLeak$LeakyLoader,
 * so the dump has 50 classes named LeakedPlugin, one per loader.
 * Each instance holds a byte[10000].
 */
public class LeakedPlugin {
    static int created; // a static field in each copy of the class

    private final byte[] data = new byte[10000];

    public LeakedPlugin() {
        created++;
        data[0] = 1;
    }

    public int size() {
        return data.length;
    }
}
