package gateway.time;

/** A scheduled task that can be called off. */
@FunctionalInterface
public interface Cancellable {

    /** Calls the task off; does nothing if it already ran or was cancelled. */
    void cancel();
}
