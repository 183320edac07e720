package gateway.rtp;

import gateway.time.CallTimeline;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Builds the outbound RTP packets of one stream: 24 kHz frame → 8 kHz → G.711 (or → 16 kHz → G.722) → header +
 * payload, with the codec
 * and payload type negotiated for the stream (static or dynamic) and its packet time (10 to 60 ms, 20 by default),
 * which may change mid-stream. One SSRC, sequence +1 per packet, timestamp +samples per frame (also for frames that
 * were not sent), marker on the first packet, on the first packet of each talkspurt and on the first packet after a
 * pause (RFC 3551 §4.1). Used on the call's event loop; allocation-free per packet: the frame at the codec's rate
 * and the payload are the loop's {@link RtpScratch}, used only within one packet's writing.
 */
final class RtpPacketizer {

    /** 20 ms at 24 kHz, the pacer's frame. */
    static final int FRAME_24K = CallTimeline.FRAME_SAMPLES;
    /** 20 ms at 8 kHz: G.711 payload bytes per packet and RTP timestamp units per frame. */
    static final int FRAME_8K = FRAME_24K / CallTimeline.SAMPLES_PER_RTP_UNIT;
    /** The longest packet time, 60 ms, at 8 and at 24 kHz. */
    static final int MAX_FRAME_8K = 3 * FRAME_8K;
    static final int MAX_FRAME_24K = 3 * FRAME_24K;

    private final long ssrc;
    private final Downsampler24kTo8k downsampler = new Downsampler24kTo8k();
    /** G.722's resampler and encoder, made at its first frame: a G.711 call never holds them. */
    private RationalResampler downsampler16k;
    private G722Encoder g722;
    private int frame8k = FRAME_8K;
    private RtpCodec codec;
    private int payloadType;
    private int sequence;
    private long timestamp;
    private boolean talking;
    /** The next packet starts a talkspurt: the stream's first, or the first after a pause. */
    private boolean restart = true;

    RtpPacketizer(RtpCodec codec, int payloadType, long ssrc, int firstSequence, long firstTimestamp) {
        this.codec = codec;
        this.payloadType = payloadType;
        this.ssrc = ssrc & 0xFFFF_FFFFL;
        this.sequence = firstSequence & 0xFFFF;
        this.timestamp = firstTimestamp & 0xFFFF_FFFFL;
    }

    /**
     * Appends one packet for a frame of {@link #frameSamples24k()} samples to {@code out}; {@code speech} false means
     * the frame is digital silence (all zeros). Such a frame into a G.711 stream whose filter is at rest, the agent's
     * side between replies, is the law's code for zero throughout, written without filtering or encoding.
     */
    void writePacket(short[] frame24k, boolean speech, ByteBuf out) {
        int n = frame8k;
        int samples24k = n * CallTimeline.SAMPLES_PER_RTP_UNIT;
        RtpScratch scratch = RtpScratch.current();
        short[] pcm = scratch.packetizerPcm;
        byte[] payload = scratch.packetizerPayload;
        switch (codec) {
            case G711 g711 -> {
                if (!speech && downsampler.atRest()) {
                    Arrays.fill(payload, 0, n, g711.silence());
                } else {
                    downsampler.process(frame24k, 0, samples24k, pcm, 0);
                    for (int i = 0; i < n; i++) {
                        payload[i] = g711.encode(pcm[i]);
                    }
                }
            }
            case Wideband wideband -> {
                if (g722 == null) {
                    downsampler16k = RationalResampler.down24kTo16k();
                    g722 = new G722Encoder();
                }
                int samples16k = downsampler16k.process(frame24k, 0, samples24k, pcm, 0);
                g722.encode(pcm, 0, samples16k, payload, 0);
            }
        }
        writeHeaderAndPayload(speech, payload, out);
    }

    /** The header (marker on a talkspurt's first packet, RFC 3551 §4.1) and {@code payload}; then the next. */
    private void writeHeaderAndPayload(boolean speech, byte[] payload, ByteBuf out) {
        int n = frame8k;
        boolean marker = restart || (speech && !talking);
        restart = false;
        talking = speech;
        RtpPacket.writeHeader(out, marker, payloadType, sequence, timestamp, ssrc);
        out.writeBytes(payload, 0, n);
        sequence = SequenceNumbers.next(sequence);
        timestamp = (timestamp + n) & 0xFFFF_FFFFL;
    }

    /**
     * Appends one packet for a frame the agent sent as {@link #frameBytes()} G.711 octets in {@code law}: the octets
     * themselves when the stream's codec is that law, else each decoded and encoded in the stream's G.711 law (no
     * resampling: both run at 8 kHz). False, with nothing written, when the stream's codec is not G.711 (the frame
     * then goes by {@link #writePacket} from its 24 kHz samples).
     */
    boolean writeCodes(byte[] codes, G711 law, boolean speech, ByteBuf out) {
        int n = frame8k;
        byte[] payload = RtpScratch.current().packetizerPayload;
        switch (codec) {
            case G711 g711 when g711 == law -> System.arraycopy(codes, 0, payload, 0, n);
            case G711 g711 -> {
                for (int i = 0; i < n; i++) {
                    payload[i] = g711.encode(law.decode(codes[i]));
                }
            }
            case Wideband wideband -> {
                return false;
            }
        }
        writeHeaderAndPayload(speech, payload, out);
        return true;
    }

    /** Whether frames in G.711 octets go straight into the payload ({@link #writeCodes}): a G.711 stream. */
    boolean carriesG711() {
        return codec instanceof G711;
    }

    /**
     * Appends one RFC 4733 telephone-event packet (§2.3) to {@code out}: the stream's SSRC and next sequence number,
     * the event's own {@code timestamp}; the stream's timestamp does not move (call {@link #skipFrames} per tick).
     * The audio cut off by an event's first packet does not ring on into the audio after it.
     */
    void writeEvent(ByteBuf out, boolean marker, int eventPayloadType, long eventTimestamp, int event, boolean end,
                    int duration) {
        RtpPacket.writeHeader(out, marker, eventPayloadType, sequence, eventTimestamp, ssrc);
        TelephoneEvent.write(out, event, end, duration);
        sequence = SequenceNumbers.next(sequence);
        talking = false;
        if (marker) {
            resetFilters();
        }
    }

    /** Packs {@code ms} of audio per packet (RFC 4566 a=ptime: 10 to 60 in steps of 10) from the next one on. */
    void packetTime(int ms) {
        frame8k = ms * CallTimeline.RTP_CLOCK_RATE / 1000;
    }

    /** Samples of the 24 kHz frame each packet carries. */
    int frameSamples24k() {
        return frame8k * CallTimeline.SAMPLES_PER_RTP_UNIT;
    }

    /** Payload bytes (and RTP units) per packet, whatever the codec ({@link RtpCodec}). */
    int frameBytes() {
        return frame8k;
    }

    /**
     * Moves the next timestamp back by {@code samples} (less than a frame): the next packet is sent that much
     * earlier than the grid, and RFC 3550 §5.1 wants its timestamp to show its real sampling instant.
     */
    void rewind(long samples) {
        long back = Math.min(Math.max(0, samples), frame8k - 1);
        timestamp = (timestamp - back) & 0xFFFF_FFFFL;
    }

    /**
     * Encodes with {@code codec} under {@code payloadType} from the next packet on (a new offer/answer, RFC 3264
     * §8.3.2); SSRC, sequence and timestamp go on, the 8 kHz clock being the same.
     */
    void payloadFormat(RtpCodec codec, int payloadType) {
        this.codec = codec;
        this.payloadType = payloadType;
    }

    /**
     * A frame not sent on purpose (hold, or no address yet): the timestamp runs on, and the next packet starts a
     * talkspurt (marker set, RFC 3551 §4.1) from fresh filter history rather than from the audio before the pause.
     */
    void pause() {
        skipFrames(1);
        if (!restart) {
            restart = true;
            resetFilters();
        }
    }

    private void resetFilters() {
        downsampler.reset();
        if (downsampler16k != null) {
            downsampler16k.reset();
        }
    }

    /** Advances the timestamp over frames that were not sent (RFC 3550 §5.1: the clock runs on). */
    void skipFrames(long frames) {
        timestamp = (timestamp + frames * frame8k) & 0xFFFF_FFFFL;
    }

    long ssrc() {
        return ssrc;
    }

    int nextSequence() {
        return sequence;
    }

    long nextTimestamp() {
        return timestamp;
    }
}
