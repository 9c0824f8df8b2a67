import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * A class loader leak: 50 ClassLoaderLeak$LeakyLoader instances (named
 * plugin-loader-1 .. -50), each defining its own copy of the class
 * LeakedPlugin from the bytes of LeakedPlugin.class, whose instance is kept
 * in the static list PLUGINS, so no loader can be unloaded.
 *
 *   java ClassLoaderLeak PLUGIN_DIR    (the folder holding LeakedPlugin.class)
 *
 * See samples/README.md.
 */
public class ClassLoaderLeak {
    static final int LOADERS = 50;

    /** Defines LeakedPlugin itself, from the class file; delegates the rest. */
    static final class LeakyLoader extends ClassLoader {
        private final String classFile;

        LeakyLoader(String name, String classFile, ClassLoader parent) {
            super(name, parent);
            this.classFile = classFile;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals("LeakedPlugin"))
                return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null)
                    c = findClass(name);
                if (resolve)
                    resolveClass(c);
                return c;
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.equals("LeakedPlugin"))
                throw new ClassNotFoundException(name);
            try {
                byte[] b = Files.readAllBytes(Paths.get(classFile));
                return defineClass(name, b, 0, b.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }

    static final List<Object> PLUGINS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String dir = args.length > 0 ? args[0] : "plugin";
        load(Paths.get(dir, "LeakedPlugin.class").toString());
        ready();
    }

    static void load(String classFile) throws Exception {
        ClassLoader parent = ClassLoaderLeak.class.getClassLoader();
        for (int i = 1; i <= LOADERS; i++) {
            LeakyLoader loader = new LeakyLoader("plugin-loader-" + i, classFile, parent);
            Class<?> c = loader.loadClass("LeakedPlugin");
            if (c.getClassLoader() != loader)
                throw new IllegalStateException("LeakedPlugin was not defined by " + loader);
            // one call per Constructor: reflection stays native, no generated accessors
            PLUGINS.add(c.getDeclaredConstructor().newInstance());
        }
    }

    static void ready() throws InterruptedException {
        System.out.println(ProcessHandle.current().pid());
        System.out.println("READY");
        System.out.flush();
        for (;;)
            Thread.sleep(Long.MAX_VALUE);
    }
}
