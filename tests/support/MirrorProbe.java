/*
 * The JVM's own size of every class object (java.lang.Class instance,
 * "mirror"), to check heapscan's size model per class: a -javaagent that
 * prints "NAME SIZE" for every loaded class (Instrumentation.getObjectSize)
 * to ARG0, then dumps the live heap to ARG1.  Used by cmp-mirrors.sh.
 *
 * Run it with -Xint: C1/C2 intrinsify getObjectSize (JDK 16+) and the
 * compiled version gives a mirror the size of a java.lang.Class without
 * its static fields.
 */
import java.io.FileWriter;
import java.io.PrintWriter;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

public class MirrorProbe {
	static Instrumentation inst;

	public static void premain(String args, Instrumentation i) {
		inst = i;
	}

	// statics in the orders the static field layout treats differently
	static class OopLongInt { static Object o; static long l; static int i; }
	static class OopLong { static Object o; static long l; }
	static class ThreeOopsLongByte { static Object o1, o2, o3; static long l; static byte b; }
	static class LongByteShortOop { static long l; static byte b; static short s; static Object o; }
	static class IntOnly { static int i; }
	static class Mixed { static Object a; static double d; static float f; static char c; static boolean z; }
	static class Bytes { static byte b1, b2, b3; static boolean z; static Object o; }
	static class Longs { static long l1, l2; static int i; static Object o1, o2, o3, o4, o5; }

	public static void main(String[] args) throws Exception {
		Runnable r = () -> { };
		r.run();
		Object[] keep = { new OopLongInt(), new OopLong(), new ThreeOopsLongByte(),
			new LongByteShortOop(), new IntOnly(), new Mixed(), new Bytes(), new Longs(),
			new int[0][], new String[0][] };
		try (PrintWriter w = new PrintWriter(new FileWriter(args[0]))) {
			for (Class<?> c : inst.getAllLoadedClasses())
				if (!c.isPrimitive())
					w.println(c.getName() + " " + inst.getObjectSize(c));
		}
		ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[1], true);
		System.out.println(keep.length);
	}
}
