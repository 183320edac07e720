package gateway.bridge.call;

import gateway.realtime.RealtimeConnector;
import gateway.time.Scheduler;

/**
 * Where one call runs: the scheduler of its event loop (its thread and clock; a manual one in tests), and how its
 * media and Realtime legs are opened on that loop.
 */
record CallRuntime(Scheduler scheduler, MediaOpener media, RealtimeConnector realtime) {
}
