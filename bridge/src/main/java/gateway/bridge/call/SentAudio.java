package gateway.bridge.call;

import gateway.rtp.G711;
import gateway.rtp.Upsampler8kTo24k;
import gateway.time.CallTimeline;

/**
 * The caller audio last sent to the call's Realtime sessions, kept so that what a session that ended may not have
 * taken into a turn can be given to the next one exactly as it was sent ({@link RealtimeLegs}, README "Failure
 * behaviour"). A ring on one call-wide count of input samples sent (a code counts 3); a session knows where on that
 * count its own input began. It keeps the cheapest form the sent samples can be rebuilt from exactly:
 *
 * <ul>
 *   <li><b>Codes</b>, for a session in pcmu or pcma: the G.711 codes as sent (8 KB a second).</li>
 *   <li><b>Narrowband</b>, for a G.711 caller while every piece the media path takes up to 24 kHz goes straight to
 *   the live session: the 8 kHz audio the up-sampler was fed ({@link #noteNarrowband}), one G.711 code a sample
 *   (8 KB a second), or 16-bit samples (16 KB) from the first piece no code decodes to exactly (concealment, comfort
 *   noise); {@link Upsampler8kTo24k#HISTORY} samples more than the kept stretch prime a fresh up-sampler, so the
 *   rebuilt 24 kHz samples are those that were sent.</li>
 *   <li><b>Wide</b>, otherwise (G.722 callers, a call that held or resent audio, audio from a replay): the 24 kHz
 *   samples as sent (48 KB a second), made from the narrowband ring when the call changes over.</li>
 * </ul>
 *
 * Rings are made lazily at the first piece (the wide one when needed), never per packet. Call's loop only;
 * {@link #noteNarrowband}, {@link #add} and {@link #addCodes} run per packet and allocate nothing.
 */
final class SentAudio {

    /** A stretch of sent audio at its recording position: samples, or (for a G.711 session) codes. */
    record Stretch(long position, short[] pcm, byte[] codes) {
    }

    private enum Form { NONE, NARROWBAND, WIDE, CODES }

    private static final int UNIT = CallTimeline.SAMPLES_PER_RTP_UNIT;
    /** The longest piece the media path delivers (60 ms at 8 kHz): it is noted before it is sent. */
    private static final int PIECE_UNITS = 480;
    private static final int HISTORY = Upsampler8kTo24k.HISTORY;

    private final int capacity;
    private Form form;
    private short[] pcm;
    private byte[] codes;
    /** The narrowband ring: codes in {@link #law}, or samples once a piece has none. */
    private byte[] narrowCodes;
    private short[] narrowPcm;
    private G711 law;
    private int narrowSize;
    /** Narrowband samples noted so far, in the order the up-sampler took them. */
    private long noted;
    /** Where the last noted piece starts and its length, until it is sent; -1 once it is. */
    private long pieceStart = -1;
    private int pieceUnits;
    /** The noted sample of sent sample 0 is {@code offset}; -1 until the first is sent. */
    private long offset = -1;
    private long written;

    /** Keeps the last {@code capacitySamples} samples sent (0 keeps none), as codes when {@code asCodes}. */
    SentAudio(int capacitySamples, boolean asCodes) {
        if (capacitySamples < 0) {
            throw new IllegalArgumentException("capacity " + capacitySamples);
        }
        int units = capacitySamples / UNIT;
        capacity = units * UNIT;
        pcm = new short[0];
        if (asCodes) {
            form = Form.CODES;
            codes = new byte[units];
        } else {
            form = units == 0 ? Form.WIDE : Form.NONE;
        }
    }

    /**
     * The 8 kHz audio of the piece about to be taken up to 24 kHz, {@code pcm8k[0, units)}: {@code octets} in
     * {@code octetLaw} when it is their decoding, else {@code octetLaw} null (see MediaListener#onCallerNarrowband).
     */
    void noteNarrowband(short[] pcm8k, int units, G711 octetLaw, byte[] octets) {
        if (form == Form.NONE) {
            narrowSize = capacity / UNIT + HISTORY + PIECE_UNITS;
            narrowCodes = new byte[narrowSize];
            law = octetLaw == null ? G711.PCMU : octetLaw;
            form = Form.NARROWBAND;
        }
        if (form != Form.NARROWBAND) {
            return;
        }
        if (pieceStart >= 0 && offset >= 0 || units > PIECE_UNITS) {
            widen();                                         // a piece was not sent: the rings part ways
            return;
        }
        int at = (int) (noted % narrowSize);
        int first = Math.min(units, narrowSize - at);
        if (narrowPcm == null && octetLaw == law) {
            System.arraycopy(octets, 0, narrowCodes, at, first);
            System.arraycopy(octets, first, narrowCodes, 0, units - first);
        } else if (narrowPcm == null && exactCodes(pcm8k, units, at)) {
            // encoded in place by exactCodes
        } else {
            if (narrowPcm == null) {
                samplesFromNow();
            }
            System.arraycopy(pcm8k, 0, narrowPcm, at, first);
            System.arraycopy(pcm8k, first, narrowPcm, 0, units - first);
        }
        pieceStart = noted;
        pieceUnits = units;
        noted += units;
    }

    /** Writes {@code pcm8k[0, units)} as codes from ring index {@code at} if each decodes to its sample exactly. */
    private boolean exactCodes(short[] pcm8k, int units, int at) {
        for (int i = 0; i < units; i++) {
            if (law.decode(law.encode(pcm8k[i])) != pcm8k[i]) {
                return false;
            }
        }
        for (int i = 0; i < units; i++) {
            narrowCodes[(at + i) % narrowSize] = law.encode(pcm8k[i]);
        }
        return true;
    }

    /** The narrowband ring keeps samples from now on: what it held as codes is decoded. */
    private void samplesFromNow() {
        narrowPcm = new short[narrowSize];
        for (int i = 0; i < narrowSize; i++) {
            narrowPcm[i] = law.decode(narrowCodes[i]);
        }
        narrowCodes = null;
    }

    /** Notes {@code length} samples of {@code sent} from {@code offset}, just sent to the live session. */
    void add(short[] sent, int sentOffset, int length) {
        if (form == Form.NARROWBAND && pieceStart >= 0 && pieceUnits * UNIT == length
                && (offset < 0 || pieceStart == written / UNIT + offset)) {
            if (offset < 0) {
                offset = pieceStart - written / UNIT;
            }
            pieceStart = -1;
            written += length;
            return;
        }
        if (form == Form.NONE || form == Form.NARROWBAND) {
            widen();
        }
        if (pcm.length > 0) {
            int skip = Math.max(0, length - pcm.length);
            int at = (int) ((written + skip) % pcm.length);
            int first = Math.min(length - skip, pcm.length - at);
            System.arraycopy(sent, sentOffset + skip, pcm, at, first);
            System.arraycopy(sent, sentOffset + skip + first, pcm, 0, length - skip - first);
        }
        written += length;
    }

    /** Notes {@code count} G.711 codes of {@code sent} from {@code offset}, just sent to the live session. */
    void addCodes(byte[] sent, int sentOffset, int count) {
        if (codes != null && codes.length > 0) {
            int skip = Math.max(0, count - codes.length);
            int at = (int) ((written / UNIT + skip) % codes.length);
            int first = Math.min(count - skip, codes.length - at);
            System.arraycopy(sent, sentOffset + skip, codes, at, first);
            System.arraycopy(sent, sentOffset + skip + first, codes, 0, count - skip - first);
        }
        written += (long) count * UNIT;
    }

    /** Changes to the wide ring, the kept samples rebuilt into it. */
    private void widen() {
        short[] wide = new short[capacity];
        if (form == Form.NARROWBAND && offset >= 0) {
            long from = oldestKept();
            short[] kept = rebuild(from, (int) (written - from));
            for (int i = 0; i < kept.length; i++) {
                wide[(int) ((from + i) % capacity)] = kept[i];
            }
        }
        pcm = wide;
        narrowCodes = null;
        narrowPcm = null;
        form = Form.WIDE;
    }

    /** Samples sent so far, on the call-wide count. */
    long written() {
        return written;
    }

    /** The earliest sample still kept, on the call-wide count. */
    long oldestKept() {
        return Math.max(0, written - capacity);
    }

    /** The bytes the rings hold now (for tests and the heap figures). */
    long heldBytes() {
        long bytes = 2L * pcm.length + (codes == null ? 0 : codes.length);
        return bytes + (narrowCodes == null ? 0 : narrowCodes.length) + 2L * (narrowPcm == null ? 0 : narrowPcm.length);
    }

    /**
     * A copy of {@code length} kept samples from sample {@code from} of the call-wide count (for codes, both whole
     * codes), to be placed at recording {@code position}.
     */
    Stretch copy(long from, int length, long position) {
        if (from < oldestKept() || from + length > written) {
            throw new IllegalArgumentException("samples " + from + "+" + length + " are not kept: " + oldestKept()
                    + "-" + written);
        }
        return switch (form) {
            case CODES -> {
                byte[] out = new byte[length / UNIT];
                copyOut(codes, codes.length, from / UNIT, out, out.length);
                yield new Stretch(position, null, out);
            }
            case NARROWBAND -> new Stretch(position, length == 0 ? new short[0] : rebuild(from, length), null);
            case NONE, WIDE -> {
                short[] out = new short[length];
                copyOut(pcm, pcm.length, from, out, length);
                yield new Stretch(position, out, null);
            }
        };
    }

    /**
     * The 24 kHz samples {@code [from, from + length)} of the call-wide count (whole units) as they were sent: the
     * narrowband samples they came from, taken up by a fresh up-sampler primed with the {@link #HISTORY} before them
     * (silence before the call's first).
     */
    private short[] rebuild(long from, int length) {
        long start = from / UNIT + offset;
        long primeFrom = Math.max(0, start - HISTORY);
        short[] narrow = new short[(int) (start - primeFrom) + length / UNIT];
        for (int i = 0; i < narrow.length; i++) {
            int at = (int) ((primeFrom + i) % narrowSize);
            narrow[i] = narrowPcm != null ? narrowPcm[at] : law.decode(narrowCodes[at]);
        }
        int history = (int) (start - primeFrom);
        Upsampler8kTo24k up = new Upsampler8kTo24k();
        up.prime(narrow, 0, history);
        short[] out = new short[length];
        up.process(narrow, history, length / UNIT, out, 0);
        return out;
    }

    /** Copies {@code length} entries from entry {@code from} (counted since the first) of a ring of {@code size}. */
    private static void copyOut(Object ring, int size, long from, Object out, int length) {
        for (int done = 0; done < length; ) {
            int at = (int) ((from + done) % size);
            int n = Math.min(length - done, size - at);
            System.arraycopy(ring, at, out, done, n);
            done += n;
        }
    }
}
