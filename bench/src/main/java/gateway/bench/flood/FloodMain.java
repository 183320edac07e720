package gateway.bench.flood;

import gateway.testkit.InviteFlood;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Sends an INVITE flood from one source address and prints what it sent: the sender of bench/flood/run.sh.
 * {@code --from=127.0.0.2 --to=127.0.0.1:5060 --rate=20000 --seconds=20 --user-agent=flood/1.0}.
 */
public final class FloodMain {

    private FloodMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("from", "127.0.0.2", "rate", "20000", "seconds", "20",
                "user-agent", "flood/1.0"));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("options are --name=value: " + arg);
            }
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        String to = options.get("to");
        if (to == null) {
            throw new IllegalArgumentException("--to=host:port is required");
        }
        int colon = to.lastIndexOf(':');
        long rate = Long.parseLong(options.get("rate"));
        Duration duration = Duration.ofSeconds(Long.parseLong(options.get("seconds")));
        long start = System.nanoTime();
        InviteFlood flood = InviteFlood.start(new InetSocketAddress(options.get("from"), 0),
                new InetSocketAddress(to.substring(0, colon), Integer.parseInt(to.substring(colon + 1))), rate,
                duration, options.get("user-agent"));
        long sent = flood.finished().get();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("sent=%d seconds=%.3f rate=%.0f%n", sent, seconds, sent / seconds);
    }
}
