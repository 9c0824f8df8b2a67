/*
 * The JVM's own size of instances of the JDK classes with @Contended
 * fields or @Contended as a whole, and of subclasses of them, to check
 * heapscan's size model (src/graph/layout.c, the contended table): a
 * -javaagent that makes one or more of each, prints "CLASS SIZE" for each
 * (Instrumentation.getObjectSize) to ARG0, then dumps the live heap to
 * ARG1.  Run it through cmp-contended.sh:
 *   sh tests/support/cmp-contended.sh ./heapscan
 * It needs --add-opens java.base/java.util.concurrent and .atomic to
 * make the JDK's private classes (cmp-contended.sh passes them), and
 * -Xint (see MirrorProbe.java).  Classes a JDK release lacks (Exchanger
 * has Node up to JDK 24, Slot in 25) are skipped.
 */
import java.io.FileWriter;
import java.io.PrintWriter;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SubmissionPublisher;

import com.sun.management.HotSpotDiagnosticMXBean;

public class ContendedProbe {
	static Instrumentation inst;
	static final List<Object> KEEP = new ArrayList<>();

	public static void premain(String args, Instrumentation i) {
		inst = i;
	}

	// subclasses: the JDK 15+ layout pads again after each level's fields
	static class T0 extends Thread { }
	static class T00 extends T0 { byte z; }
	static class T1 extends Thread { int a; }
	static class T2 extends T1 { int b; }
	static class T3 extends T2 { }
	static class T4 extends T3 { long c; Object d; }
	static class P1 extends ForkJoinPool { int a; }
	static class P2 extends P1 { Object b; }

	static void make(String cls, Class<?>[] types, Object... args) {
		try {
			Constructor<?> c = Class.forName(cls).getDeclaredConstructor(types);
			c.setAccessible(true);
			KEEP.add(c.newInstance(args));
		} catch (ReflectiveOperationException e) {
			System.err.println("ContendedProbe: no " + cls + ": " + e);
		}
	}

	static Object field(Object o, String name) throws ReflectiveOperationException {
		Field f = o.getClass().getDeclaredField(name);
		f.setAccessible(true);
		return f.get(o);
	}

	public static void main(String[] args) throws Exception {
		KEEP.add(new Thread());
		KEEP.add(new T0());
		KEEP.add(new T00());
		KEEP.add(new T1());
		KEEP.add(new T2());
		KEEP.add(new T3());
		KEEP.add(new T4());
		ForkJoinPool p = new ForkJoinPool(2);
		KEEP.add(p.submit(() -> Thread.currentThread()).get()); // a ForkJoinWorkerThread
		KEEP.add(p);
		for (Object q : (Object[]) field(p, "queues")) // ForkJoinPool$WorkQueue
			if (q != null)
				KEEP.add(q);
		KEEP.add(new P1());
		KEEP.add(new P2());
		make("java.util.concurrent.ConcurrentHashMap$CounterCell", new Class<?>[] { long.class }, 1L);
		make("java.util.concurrent.atomic.Striped64$Cell", new Class<?>[] { long.class }, 1L);
		make("java.util.concurrent.Exchanger$Node", new Class<?>[0]);
		make("java.util.concurrent.Exchanger$Slot", new Class<?>[0]);
		SubmissionPublisher<Integer> pub = new SubmissionPublisher<>();
		pub.subscribe(new Flow.Subscriber<Integer>() {
			public void onSubscribe(Flow.Subscription s) { }
			public void onNext(Integer x) { }
			public void onError(Throwable t) { }
			public void onComplete() { }
		});
		KEEP.add(field(pub, "clients")); // SubmissionPublisher$BufferedSubscription
		try (PrintWriter w = new PrintWriter(new FileWriter(args[0]))) {
			for (Object o : KEEP)
				w.println(o.getClass().getName() + " " + inst.getObjectSize(o));
		}
		ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(args[1], true);
		System.out.println(KEEP.size());
	}
}
