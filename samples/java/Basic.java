import java.util.HashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Known content for size-model and reader checks (see samples/README.md).
 * Everything is built once, held from static fields, and the program then
 * prints its PID and READY and sleeps until it is killed.
 */
public class Basic {
    /** Two ints. */
    static final class Point {
        int x;
        int y;

        Point(int x, int y) {
            this.x = x;
            this.y = y;
        }
    }

    /** One field of every primitive type plus two references. */
    static final class Mixed {
        boolean z;
        byte b;
        char c;
        short s;
        int i;
        long l;
        float f;
        double d;
        Object r1;
        Object r2;
    }

    static class Base {
        long a;
        byte b;
    }

    static final class Derived extends Base {
        int c;
        short d;
        Object e;
    }

    /** One link of the chain; only a reference to the next one. */
    static final class Node {
        Node next;
    }

    /** Parks forever, keeping a byte[100000] in a local variable of its frame. */
    static final class Worker implements Runnable {
        static volatile int sink;

        public void run() {
            byte[] local = new byte[100000];
            local[0] = 1;
            for (;;) {
                LockSupport.park(this);
                sink += local[0]; // keeps `local` live across park()
            }
        }
    }

    static final int POINTS_N = 10000;
    static final int MIXED_N = 5000;
    static final int HIER_N = 3000;
    static final int MAP_N = 20000;
    static final int CHAIN_N = 100000;

    static Point[] POINTS;
    static Mixed[] MIXED;
    static Base[] BASES;
    static Derived[] DERIVEDS;

    static int[][] INTS_37;
    static long[][] LONGS_5;
    static byte[][] BYTES_1001;
    static Object[][] OBJECTS_13;
    static boolean[][] BOOLEANS_3;
    static char[][] CHARS_17;
    static short[][] SHORTS_9;
    static float[][] FLOATS_6;
    static double[][] DOUBLES_4;
    static String[][] STRINGS_3;
    static int[][] MATRIX; // the 2-D int[10][20]

    static HashMap<String, Integer> MAP;
    static Node CHAIN_HEAD;
    static Thread[] WORKERS;

    public static void main(String[] args) throws Exception {
        build();
        ready();
    }

    static void build() throws InterruptedException {
        POINTS = new Point[POINTS_N];
        for (int i = 0; i < POINTS_N; i++)
            POINTS[i] = new Point(i, -i);

        MIXED = new Mixed[MIXED_N];
        for (int i = 0; i < MIXED_N; i++) {
            Mixed m = new Mixed();
            m.z = (i & 1) != 0;
            m.b = (byte) i;
            m.c = (char) ('A' + i % 26);
            m.s = (short) (i * 3);
            m.i = i * 1000;
            m.l = i * 1000000007L;
            m.f = i + 0.5f;
            m.d = i * 0.25;
            m.r1 = POINTS[i];
            m.r2 = null;
            MIXED[i] = m;
        }

        BASES = new Base[HIER_N];
        DERIVEDS = new Derived[HIER_N];
        for (int i = 0; i < HIER_N; i++) {
            Base b = new Base();
            b.a = i;
            b.b = (byte) i;
            BASES[i] = b;
            Derived d = new Derived();
            d.a = -i;
            d.b = (byte) -i;
            d.c = i;
            d.d = (short) i;
            d.e = b;
            DERIVEDS[i] = d;
        }

        INTS_37 = new int[100][37];
        LONGS_5 = new long[100][5];
        BYTES_1001 = new byte[100][1001];
        OBJECTS_13 = new Object[100][13];
        for (int i = 0; i < 100; i++) {
            for (int j = 0; j < 37; j++)
                INTS_37[i][j] = i * 37 + j;
            for (int j = 0; j < 5; j++)
                LONGS_5[i][j] = (long) i << 32 | j;
            for (int j = 0; j < 1001; j++)
                BYTES_1001[i][j] = (byte) (i + j);
            OBJECTS_13[i][0] = POINTS[i]; // the other 12 slots stay null
        }
        BOOLEANS_3 = new boolean[50][3];
        CHARS_17 = new char[50][17];
        SHORTS_9 = new short[50][9];
        FLOATS_6 = new float[50][6];
        DOUBLES_4 = new double[50][4];
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 3; j++)
                BOOLEANS_3[i][j] = ((i + j) & 1) != 0;
            for (int j = 0; j < 17; j++)
                CHARS_17[i][j] = (char) ('a' + j);
            for (int j = 0; j < 9; j++)
                SHORTS_9[i][j] = (short) (i * 9 + j);
            for (int j = 0; j < 6; j++)
                FLOATS_6[i][j] = i + j / 8.0f;
            for (int j = 0; j < 4; j++)
                DOUBLES_4[i][j] = i + j / 4.0;
        }
        STRINGS_3 = new String[20][3];
        for (int i = 0; i < 20; i++) {
            STRINGS_3[i][0] = "basic-s0"; // three interned literals, shared
            STRINGS_3[i][1] = "basic-s1";
            STRINGS_3[i][2] = "basic-s2";
        }
        MATRIX = new int[10][20];
        for (int i = 0; i < 10; i++)
            for (int j = 0; j < 20; j++)
                MATRIX[i][j] = i * 20 + j;

        MAP = new HashMap<>();
        for (int i = 0; i < MAP_N; i++)
            MAP.put("key-" + i, Integer.valueOf(1000000 + i)); // outside the Integer cache

        Node head = null;
        for (int i = 0; i < CHAIN_N; i++) {
            Node n = new Node();
            n.next = head;
            head = n;
        }
        CHAIN_HEAD = head;

        WORKERS = new Thread[3];
        for (int i = 0; i < 3; i++) {
            WORKERS[i] = new Thread(new Worker(), "basic-worker-" + (i + 1));
            WORKERS[i].setDaemon(true);
            WORKERS[i].start();
        }
        waitParked(WORKERS);
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
