package gateway.rtp;

/**
 * A transmission rating of the caller's leg in the manner of the ITU-T G.107 E-model, simplified for G.711 with
 * packet-loss concealment. R = R0 − Is − Id − Ie,eff + A with the defaults of G.107 Table 3 for everything not
 * measured: R0 − Is = 93.2 (default noise and loudness), A = 0 (no advantage expected of a phone call), echo assumed
 * controlled (TELR 65 dB, so the talker- and listener-echo terms Idte and Idle are left out), which leaves:
 * <ul>
 *   <li>Id = Idd(Ta), the absolute-delay term (G.107 §7.2, mT = 100 ms, 0 up to 100 ms), from the one-way delay Ta
 *       of the caller's audio to the gateway: half the RTCP round-trip time, plus the caller's packet time, plus the
 *       mean wait in the jitter buffer;</li>
 *   <li>Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl) (G.107 §7.4), with Ie = 0 and Bpl = 25.1 for G.711
 *       with concealment (ITU-T G.113 Appendix I); Ppl is the percentage of packets that missed their turn (lost
 *       or late), and BurstR = 1 / (p + q) from the observed Gilbert model (p: a loss after a packet that came, q: a
 *       packet after a loss), 1 for random loss.</li>
 * </ul>
 * MOS follows from R by G.107 Annex B. It rates the network leg alone: the model's own reply time is not "delay" in
 * the E-model's sense. Stateless.
 */
public final class EModel {

    /** R0 − Is with G.107's default values. */
    static final double BASE = 93.2;
    /** G.113 Appendix I: G.711 with packet-loss concealment. */
    static final double BPL_G711_PLC = 25.1;
    /** G.107: the delay below which Idd is 0, in ms. */
    static final double MT_MS = 100;

    private EModel() {
    }

    /** The rating R for {@code lossPercent} (Ppl), {@code burstRatio} and {@code oneWayDelayMs} (Ta). */
    public static double rFactor(double lossPercent, double burstRatio, double oneWayDelayMs) {
        double ppl = Math.max(0, Math.min(100, lossPercent));
        double burstR = burstRatio > 0 ? burstRatio : 1;
        double ieEff = 95 * ppl / (ppl / burstR + BPL_G711_PLC);
        return BASE - delayImpairment(oneWayDelayMs) - ieEff;
    }

    /** Idd of G.107 §7.2 for a one-way delay of {@code ta} ms. */
    static double delayImpairment(double ta) {
        if (ta <= MT_MS) {
            return 0;
        }
        double x = Math.log10(ta / MT_MS) / Math.log10(2);
        return 25 * (Math.pow(1 + Math.pow(x, 6), 1.0 / 6) - 3 * Math.pow(1 + Math.pow(x / 3, 6), 1.0 / 6) + 2);
    }

    /** The mean opinion score (1 to 4.5) of rating {@code r}, G.107 Annex B. */
    public static double mos(double r) {
        if (r <= 0) {
            return 1;
        }
        if (r >= 100) {
            return 4.5;
        }
        return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
    }

    /** BurstR of a Gilbert model with {@code events} losses of {@code lost} packets among {@code expected}. */
    public static double burstRatio(long events, long lost, long expected) {
        long found = expected - lost;
        if (events <= 0 || lost <= 0 || found <= 0) {
            return 1;
        }
        double p = (double) events / found;
        double q = (double) events / lost;
        return 1 / (p + q);
    }
}
