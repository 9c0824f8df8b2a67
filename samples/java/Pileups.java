import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Threads that pile up, and threads that only look alike: LOCK_WAITERS
 * threads wait for a ReentrantLock that main holds, MONITOR_WAITERS wait
 * in Object.wait on one monitor, SOCKET_READERS block reading sockets that
 * never get data; beside them IDLE_WORKERS idle workers of a fixed thread
 * pool wait for a task, and OWN_PARKERS threads each park on an object of
 * its own.  See samples/README.md.
 */
public class Pileups {
    static final int LOCK_WAITERS = 6, MONITOR_WAITERS = 5, SOCKET_READERS = 7;
    static final int IDLE_WORKERS = 8, OWN_PARKERS = 10;

    static final ReentrantLock LOCK = new ReentrantLock();
    static final Object MONITOR = new Object();
    static final List<Socket> SOCKETS = new ArrayList<>();
    static final List<Thread> THREADS = new ArrayList<>();

    /** Updates the orders under the lock. */
    static final class Orders {
        static void update() {
            LOCK.lock();
            try {
                Thread.onSpinWait();
            } finally {
                LOCK.unlock();
            }
        }
    }

    static final class LockWaiter implements Runnable {
        public void run() {
            Orders.update();
        }
    }

    static final class MonitorWaiter implements Runnable {
        public void run() {
            Object events = MONITOR;   /* a local: the dump shows it */
            synchronized (events) {
                try {
                    events.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Reads a reply that never comes. */
    static final class Downstream {
        static int call(Socket s) throws Exception {
            InputStream in = s.getInputStream();
            return in.read();
        }
    }

    static final class SocketReader implements Runnable {
        final Socket socket;

        SocketReader(Socket socket) {
            this.socket = socket;
        }

        public void run() {
            try {
                Downstream.call(socket);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }
    }

    static final class OwnParker implements Runnable {
        public void run() {
            Object mine = new Object();
            for (;;)
                LockSupport.park(mine);
        }
    }

    static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        THREADS.add(t);
        t.start();
    }

    public static void main(String[] args) throws Exception {
        LOCK.lock();   /* held by main for good */
        for (int i = 1; i <= LOCK_WAITERS; i++)
            start(new LockWaiter(), "order-updater-" + i);
        for (int i = 1; i <= MONITOR_WAITERS; i++)
            start(new MonitorWaiter(), "event-listener-" + i);
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        for (int i = 1; i <= SOCKET_READERS; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            SOCKETS.add(s);
            SOCKETS.add(server.accept());
            start(new SocketReader(s), "downstream-client-" + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(IDLE_WORKERS);
        CountDownLatch started = new CountDownLatch(IDLE_WORKERS);
        for (int i = 0; i < IDLE_WORKERS; i++)
            pool.execute(started::countDown);
        started.await();
        for (int i = 1; i <= OWN_PARKERS; i++)
            start(new OwnParker(), "own-parker-" + i);
        /* every thread in its wait */
        for (Thread t : THREADS)
            while (t.getState() == Thread.State.RUNNABLE && !t.getName().startsWith("downstream"))
                Thread.sleep(10);
        Thread.sleep(500);
        System.out.println(ProcessHandle.current().pid());
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        pool.shutdown();
        server.close();
    }
}
