package gateway.testkit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic bad network for a stream of packets sent at a fixed interval: from a seed it decides, packet by
 * packet, which are lost (in bursts: a two-state Gilbert model), which arrive twice, which are held back behind
 * their successor (reordered), and how late each one is (uniform jitter on top of a fixed delay). The same seed
 * gives the same schedule on every machine, so a test can send it through a manual clock or a real socket and
 * assert exactly what the receiver made of it.
 *
 * <p>Stateless; {@link #schedule} allocates the schedule it returns.
 */
public final class ImpairedNetwork {

    /**
     * How bad the network is.
     *
     * @param seed          the schedule's seed
     * @param lossRate      long-run share of packets lost (0 to 1)
     * @param meanLossBurst mean length of a run of lost packets (1 = independent losses)
     * @param duplicateRate share of packets delivered twice (the copy a little later)
     * @param reorderRate   share of packets held back until after their successor
     * @param jitterNanos   each packet's extra delay is uniform in [0, jitterNanos)
     */
    public record Impairment(long seed, double lossRate, double meanLossBurst, double duplicateRate,
                             double reorderRate, long jitterNanos) {

        public Impairment {
            if (lossRate < 0 || lossRate >= 1 || meanLossBurst < 1 || duplicateRate < 0 || reorderRate < 0
                    || jitterNanos < 0) {
                throw new IllegalArgumentException("bad impairment " + lossRate + ", " + meanLossBurst + ", "
                        + duplicateRate + ", " + reorderRate + ", " + jitterNanos);
            }
        }

        /** Only jitter: every packet arrives, once, up to {@code jitterNanos} late. */
        public static Impairment jitter(long seed, long jitterNanos) {
            return new Impairment(seed, 0, 1, 0, 0, jitterNanos);
        }
    }

    /** Packet {@code index} (0 = the first sent) arrives at {@code atNanos}; a duplicate is a second delivery. */
    public record Delivery(int index, long atNanos, boolean duplicate) {
    }

    private ImpairedNetwork() {
    }

    /**
     * The arrivals of {@code packets} packets sent {@code intervalNanos} apart from time 0, each at least
     * {@code baseDelayNanos} on the way, in arrival order (ties in sending order).
     */
    public static List<Delivery> schedule(Impairment impairment, int packets, long intervalNanos,
                                          long baseDelayNanos) {
        SplittableRandom random = new SplittableRandom(impairment.seed());
        // Gilbert model: leave the good state with p, the bad state with q = 1 / mean burst; the share of time in
        // the bad state is p / (p + q), the loss rate asked for.
        double q = 1 / impairment.meanLossBurst();
        double rate = impairment.lossRate();
        double p = rate == 0 ? 0 : rate * q / (1 - rate);
        boolean losing = false;
        List<Delivery> deliveries = new ArrayList<>(packets + packets / 10);
        for (int i = 0; i < packets; i++) {
            losing = losing ? random.nextDouble() >= q : random.nextDouble() < p;
            double jitterDraw = random.nextDouble();
            boolean reorder = random.nextDouble() < impairment.reorderRate();
            boolean duplicate = random.nextDouble() < impairment.duplicateRate();
            if (losing) {
                continue;
            }
            long at = i * intervalNanos + baseDelayNanos + (long) (jitterDraw * impairment.jitterNanos());
            if (reorder) {
                at += intervalNanos + intervalNanos / 4; // after the next packet, unless that one is late too
            }
            deliveries.add(new Delivery(i, at, false));
            if (duplicate) {
                deliveries.add(new Delivery(i, at + intervalNanos / 2, true));
            }
        }
        deliveries.sort(Comparator.comparingLong(Delivery::atNanos).thenComparingInt(Delivery::index));
        return List.copyOf(deliveries);
    }
}
