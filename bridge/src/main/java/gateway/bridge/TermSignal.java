package gateway.bridge;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * SIGTERM handled by the gateway instead of the JVM's default (run the shutdown hooks and exit), so a stop can drain:
 * the first signal starts the drain, a second one cuts it short. The JDK's signal API ({@code sun.misc.Signal} in
 * module {@code jdk.unsupported}) is reached by reflection, because the build treats javac's proprietary-API
 * warning as an error; where it is missing, the JVM's default stays and a SIGTERM stops the gateway at once.
 */
final class TermSignal {

    private static final System.Logger LOG = System.getLogger(TermSignal.class.getName());

    private TermSignal() {
    }

    /** Runs {@code onTerm} on the JVM's signal thread at every SIGTERM; false if the platform does not allow it. */
    static boolean handle(Runnable onTerm) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            InvocationHandler calls = (proxy, method, args) -> dispatch(proxy, method, args, onTerm);
            Object proxy = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, calls);
            Object term = signal.getConstructor(String.class).newInstance("TERM");
            signal.getMethod("handle", signal, handler).invoke(null, term, proxy);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "SIGTERM cannot be handled here ({0}): it stops the gateway at once,"
                    + " without draining", e.toString());
            return false;
        }
    }

    /** The handler's one method runs {@code onTerm}; Object's methods answer as for any object. */
    private static Object dispatch(Object proxy, Method method, Object[] args, Runnable onTerm) {
        return switch (method.getName()) {
            case "handle" -> {
                onTerm.run();
                yield null;
            }
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "gateway SIGTERM handler";
            default -> throw new UnsupportedOperationException(method.toString());
        };
    }
}
