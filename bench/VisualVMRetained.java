// Baseline for bench/run.sh: VisualVM's heap library (Debian package
// visualvm) computing the biggest objects by retained size on the same dump.
// Prints the elapsed time and the top objects, so heapscan's figures can be
// compared with an independent implementation.
import java.io.File;
import java.util.List;
import org.graalvm.visualvm.lib.jfluid.heap.Heap;
import org.graalvm.visualvm.lib.jfluid.heap.HeapFactory;
import org.graalvm.visualvm.lib.jfluid.heap.Instance;

public class VisualVMRetained {
    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long t0 = System.nanoTime();
        Heap heap = HeapFactory.createHeap(new File(args[0]));
        List<Instance> big = heap.getBiggestObjectsByRetainedSize(top);
        long t1 = System.nanoTime();
        System.out.printf("visualvm_seconds %.2f%n", (t1 - t0) / 1e9);
        for (Instance i : big)
            System.out.printf("%d\t0x%x\t%s%n", i.getRetainedSize(), i.getInstanceId(), i.getJavaClass().getName());
    }
}
