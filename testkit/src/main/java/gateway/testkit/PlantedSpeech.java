package gateway.testkit;

/**
 * A two-sided conversation whose answers are known, at 24 kHz: a tone where each side speaks (caller 300 Hz, agent
 * 700 Hz, about -12 dBFS: speech level), silence elsewhere, for tests of the conversation analytics.
 */
public final class PlantedSpeech {

    /** Speech level: about -12 dBFS. */
    public static final double LEVEL = 8_000;
    private static final int SAMPLES_PER_MS = Signals.REALTIME_RATE / 1000;

    private final short[] caller;
    private final short[] agent;

    public PlantedSpeech(long ms) {
        caller = new short[(int) ms * SAMPLES_PER_MS];
        agent = new short[(int) ms * SAMPLES_PER_MS];
    }

    /** The caller speaks from {@code fromMs} to {@code toMs}. */
    public PlantedSpeech caller(long fromMs, long toMs) {
        return speak(caller, 300, fromMs, toMs);
    }

    /** The agent speaks from {@code fromMs} to {@code toMs}. */
    public PlantedSpeech agent(long fromMs, long toMs) {
        return speak(agent, 700, fromMs, toMs);
    }

    private PlantedSpeech speak(short[] channel, double hz, long fromMs, long toMs) {
        int from = (int) fromMs * SAMPLES_PER_MS;
        short[] tone = Signals.sine(hz, Signals.REALTIME_RATE, LEVEL, from, (int) (toMs - fromMs) * SAMPLES_PER_MS);
        System.arraycopy(tone, 0, channel, from, tone.length);
        return this;
    }

    /** The caller's channel (not a copy: a test may add to it). */
    public short[] callerChannel() {
        return caller;
    }

    /** The agent's channel (not a copy). */
    public short[] agentChannel() {
        return agent;
    }
}
