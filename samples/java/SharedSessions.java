import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A leak no single object dominates: 2,000 SharedSessions$Session objects
 * (each with a 4 KB buffer) are registered both in the static map
 * SharedSessions.REGISTRY and as listeners of the thread "event-dispatcher"
 * (SharedSessions$Dispatcher.listeners, a java.util.ArrayList), and never
 * removed from either.  Neither holder dominates a session, so the sessions
 * are top-level objects: a group suspect whose shortest paths from the GC
 * roots meet in the dispatcher's listener list.  See samples/README.md.
 */
public class SharedSessions {
    static final int SESSIONS = 2000;
    static final int BUFFER_BYTES = 4096;

    static final Map<String, Session> REGISTRY = new ConcurrentHashMap<>();

    static final class Session {
        final String id;
        final byte[] buffer = new byte[BUFFER_BYTES];

        Session(String id) {
            this.id = id;
        }
    }

    static final class Dispatcher implements Runnable {
        final List<Session> listeners = new ArrayList<>();

        @Override
        public void run() {
            synchronized (this) {
                for (;;) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Dispatcher d = new Dispatcher();
        for (int i = 0; i < SESSIONS; i++) {
            Session s = new Session("session-" + i);
            REGISTRY.put(s.id, s);
            d.listeners.add(s);
        }
        Thread t = new Thread(d, "event-dispatcher");
        t.setDaemon(true);
        t.start();
        d = null;
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
