package gateway.rtp;

import gateway.time.CallTimeline;
import gateway.transport.ByteBufOctets;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The caller's stream, from RTP packets to 24 kHz audio on the call's timeline: ordered, de-duplicated, with losses
 * concealed, comfort noise played and a new stream joined without a seam.
 *
 * <p><b>Order.</b> Sequence numbers and timestamps are extended to 64 bits (wrap-around safe). A packet that is the
 * next one in sequence, with none waiting, is decoded and delivered at once: on a clean network every packet goes
 * straight through, as fast as it came. A packet ahead of a missing one waits in the {@link JitterBuffer}; the
 * missing one is waited for until its deadline ({@link PlayoutDelay}: the time it would have arrived on the fastest
 * path, plus the adaptive depth), then concealed, and what waited behind it is played. Deadlines are checked on every
 * packet and on every pacer tick ({@link #onTick}), so the call's loop drives playout and no thread of its own does;
 * a tick that runs late (the loop stalled) leaves them to the packets that waited in the socket meanwhile. A
 * duplicate is dropped; a packet that comes after its place was concealed is dropped as late.
 *
 * <p><b>Placement.</b> The first packet is placed at its arrival, the rest by RTP timestamp from there, so jitter
 * and the wait in the buffer do not move audio in the recording. A silent stretch between packets with no sequence
 * gap (a sender pausing) is delivered as silence (or comfort noise after a CN packet) up to
 * {@link #MAX_GAP_FILL_SAMPLES_24K}; beyond, the position jumps.
 *
 * <p><b>A new stream.</b> A new SSRC, sequence numbers that jump (RFC 3550 A.1: more than {@link #MAX_DROPOUT}
 * ahead or {@link #MAX_MISORDER} behind) or a timestamp that would place the audio more than
 * {@link #MAX_DRIFT_SAMPLES} further from its arrival than the stream's first packet was placed from its own (a
 * failover, a re-INVITE to another media server, a sender that paused its clock) start the placement afresh at
 * the later of the arrival and the end of the audio delivered, so a new stream never overwrites the old one and
 * never leaves a stretch unaccounted: what waited of the old stream is played first, the space between them is
 * concealed (a fade of at most 60 ms, then silence), and the new stream is cross-faded in.
 *
 * <p><b>Losses</b> are concealed ({@link LossConcealment}) and logged ({@link LossLog}); comfort noise (RFC 3389)
 * is played at its level from the CN packet's timestamp until audio resumes, kept up to date by the pacer ticks so
 * the model hears an open line in the caller's silence. Telephone-events (RFC 4733) share the stream's sequence
 * numbers: they take their place in it and carry no audio; their key presses go to the listener as they arrive.
 *
 * <p><b>Codecs.</b> G.711 is decoded to 8 kHz, G.722 to 16 kHz (two samples per RTP unit); concealment, comfort
 * noise and silence are made at that rate, and the result goes to 24 kHz through the matching resampler. When the
 * agent takes G.711 ({@link MediaListener#agentLaw()}), each piece goes with its octets in that law too: a packet
 * of that law untouched by concealment passes its own payload, anything else is encoded from the 8 kHz audio (for
 * G.722, from the 24 kHz audio taken down to 8 kHz).
 *
 * <p>{@link #onAudio}, {@link #onComfortNoise}, {@link #onEvent} and {@link #onTick} are called on the call's event
 * loop only; {@link #start} may be called from any thread. The pieces being delivered are made in the loop's
 * {@link RtpScratch}, which each of those calls takes as it starts: the path holds them only while it delivers them.
 * Allocation-free per packet (the buffer's payload store is allocated on the first wait). Whatever the listener
 * throws goes up to the caller, whose session then stops.
 */
final class InboundAudioPath {

    /** Longest hole filled: 1 s (50 packets of 20 ms); beyond it the sender restarted or paused. */
    static final int MAX_GAP_FILL_SAMPLES_24K = CallTimeline.SAMPLE_RATE;
    static final long MAX_GAP_FILL_UNITS = MAX_GAP_FILL_SAMPLES_24K / CallTimeline.SAMPLES_PER_RTP_UNIT;
    /** Largest slice decoded in one go, in RTP units (60 ms); longer payloads are delivered in several calls. */
    static final int CHUNK_8K = 480;
    /** RFC 3550 A.1: a sequence number this far ahead is a restart, not a loss. */
    static final int MAX_DROPOUT = 3000;
    /** RFC 3550 A.1: a sequence number this far behind is a restart, not a late packet. */
    static final int MAX_MISORDER = 100;
    /**
     * A timestamp that would place audio this far (300 ms) ahead of or behind its arrival starts the placement
     * afresh: past it the recorder's half-second window could no longer take it, and no jitter is that large.
     */
    static final long MAX_DRIFT_SAMPLES = 300 * CallTimeline.SAMPLES_PER_MS;
    /**
     * A pacer tick later than this (10 ms, half a packet of 20 ms; the p99 of tick lateness is 2-7 ms at 300 calls,
     * BENCHMARKS.md) ran after a stall of the call's loop, before the packets that waited meanwhile were read. A tick
     * taken for one wrongly only defers a concealment to the next packet or the next tick on time.
     */
    static final long MAX_TICK_LATENESS_NANOS = CallTimeline.FRAME_NANOS / 2;
    /** Comfort noise is generated this far behind the deadline, so a talkspurt that is a little late is not cut. */
    static final long NOISE_MARGIN_NANOS = CallTimeline.FRAME_NANOS;
    /** Duplicates are recognised among the last 64 sequence numbers; older repeats count as late. */
    private static final int DUPLICATE_WINDOW = Long.SIZE;

    /** Packet formats held in the buffer: the codecs by their index in this table, then noise and events. */
    private static final RtpCodec[] CODECS = {G711.PCMU, G711.PCMA, Wideband.G722};
    static final int NOISE = CODECS.length;
    static final int EVENT = NOISE + 1;

    private final MediaListener listener;
    private final RtpStats stats;
    private final Upsampler8kTo24k upsampler = new Upsampler8kTo24k();
    /** G.722's own parts, made at the first G.722 packet. */
    private WidebandReceive wideband;
    /**
     * The loop's scratch, taken by each entry point that may deliver: the piece being delivered, at the stream's rate
     * (8 kHz, or 16 kHz for G.722: {@code inboundPcm}), at 24 kHz ({@code inboundPcm24k}) and in the agent's G.711
     * law ({@code inboundCodes}).
     */
    private RtpScratch scratch;
    /**
     * The G.711 law of the packet whose octets the scratch's {@code inboundCodes} holds as they came (decoded,
     * untouched by concealment), from its decoding to its delivery; null while the audio being delivered was made
     * or changed here.
     */
    private G711 straightCodec;
    /** Concealment runs at the stream's rate; one for each, the wideband one ({@link #wideband}) at 16 kHz. */
    private final LossConcealment narrowbandConcealment = new LossConcealment();
    private LossConcealment concealment = narrowbandConcealment;
    /** Samples per RTP unit at the stream's rate: 1 (G.711) or 2 (G.722), as its last audio packet had it. */
    private int rate = 1;
    private final ComfortNoise noise = new ComfortNoise();
    private final JitterBuffer buffer = new JitterBuffer();
    private final PlayoutDelay delay = new PlayoutDelay();
    private final ReceiveStatistics receive = new ReceiveStatistics();
    private final LossLog losses = new LossLog();
    private final TelephoneEventReceiver keys;

    /** Set by {@link #start} from any thread, so packets the loop reads right after start() are not dropped. */
    private volatile boolean started;
    private volatile long answerNanos;
    private boolean anchored;
    private long ssrc;
    /** The placement: {@code anchorTimestamp} sits at timeline position {@code anchorPosition}. */
    private long anchorTimestamp;
    private long anchorPosition;
    /** How far the anchor sits ahead of its packet's arrival: the offset against which drift is measured. */
    private long anchorLead;
    private long highestSequence;
    private long highestTimestamp;
    /** Bit i: sequence number {@code highestSequence - i} was received. */
    private long receivedMask;
    /** The next sequence number to play and the timestamp where the audio delivered so far ends. */
    private long nextSequence;
    private long nextTimestamp;
    private long lastPacketUnits = RtpPacketizer.FRAME_8K;
    /** Losses concealed (a run of missing packets is one) and the packets missing at their turn in them. */
    private long lossEvents;
    private long packetsConcealed;
    private long packetsPlayed;
    private boolean noiseActive;
    /** When the audio being delivered arrived (now, for audio made here). */
    private long deliveringArrival;
    /** The time of the packet or tick being handled. */
    private long now;

    InboundAudioPath(MediaListener listener, RtpStats stats) {
        this.listener = listener;
        this.stats = stats;
        this.keys = new TelephoneEventReceiver(listener);
    }

    /** Sets the answer instant, position 0; packets before this are dropped. */
    void start(long answerNanos) {
        this.answerNanos = answerNanos;
        this.started = true;
    }

    /** An audio packet that passed {@link RtpPacket#check}, its payload encoded with {@code codec}. */
    void onAudio(ByteBuf buf, int off, int len, RtpCodec codec, long arrivalNanos) {
        int format = switch (codec) {
            case G711 g711 -> g711.ordinal();
            case Wideband wideband -> CODECS.length - 1;
        };
        onPacket(buf, off, len, format, arrivalNanos);
    }

    /** A comfort-noise packet (RFC 3389) of the stream. */
    void onComfortNoise(ByteBuf buf, int off, int len, long arrivalNanos) {
        onPacket(buf, off, len, NOISE, arrivalNanos);
    }

    /**
     * A telephone-event packet (RFC 4733): its key press goes to the listener at once (whichever source sent it,
     * see {@link TelephoneEventReceiver}); it takes its place in the audio's sequence and is never decoded as audio.
     */
    void onEvent(ByteBuf buf, int off, int len, long arrivalNanos) {
        if (started) {
            keys.receive(buf, off, len, Math.max(0, arrivalPosition(arrivalNanos)), arrivalNanos);
        }
        onPacket(buf, off, len, EVENT, arrivalNanos);
    }

    /**
     * Plays what has fallen due by {@code nowNanos}: concealment of packets that did not come, comfort noise. A tick
     * that runs more than {@link #MAX_TICK_LATENESS_NANOS} after it was due ({@code lateNanos}) plays nothing: the
     * loop was stalled, and the packets due may be waiting in the socket, read once the loop reads again (they decide
     * then, or the next tick on time does).
     */
    void onTick(long nowNanos, long lateNanos) {
        now = nowNanos;
        scratch = RtpScratch.current();
        keys.onTick(nowNanos);
        if (anchored && lateNanos <= MAX_TICK_LATENESS_NANOS) {
            drain(false);
        }
    }

    private void onPacket(ByteBuf buf, int off, int len, int format, long arrival) {
        now = arrival;
        scratch = RtpScratch.current();
        if (!started) {
            stats.packetsBeforeStart++;
            return;
        }
        boolean media = format != EVENT;
        long head = RtpPacket.head(buf, off);
        int seq = RtpPacket.sequence(head);
        long ts = RtpPacket.timestamp(head);
        long packetSsrc = RtpPacket.ssrc(buf, off);
        if (!anchored || packetSsrc != ssrc) {
            if (!media) {
                return; // an event from a source that is not the stream's: nothing to place
            }
            newStream(packetSsrc, seq, ts, arrival);
        }
        long sequence = SequenceNumbers.extend(seq, highestSequence);
        long ahead = sequence - highestSequence;
        long timestamp = RtpTimestamps.extend(ts, highestTimestamp);
        if (media && (ahead > MAX_DROPOUT || ahead < -MAX_MISORDER
                || ahead > 0 && drifted(timestamp, arrival, ahead))) {
            newStream(packetSsrc, seq, ts, arrival);
            sequence = highestSequence + 1;
            ahead = 1;
            timestamp = highestTimestamp;
        } else if (ahead > MAX_DROPOUT || ahead < -MAX_MISORDER) {
            return;
        }
        if (ahead <= 0 && -ahead < DUPLICATE_WINDOW && (receivedMask & (1L << -ahead)) != 0
                || ahead <= 0 && buffer.holds(sequence)) {
            stats.packetsDuplicated++;
            return;
        }
        markReceived(sequence, ahead, timestamp);
        if (media) {
            receive.transit(arrival, timestamp);
            delay.arrival(arrival, timestamp);
        }
        stats.packetsLost = receive.cumulativeLost();
        if (sequence < nextSequence) {
            stats.packetsDroppedLate++;
            return;
        }
        int header = RtpPacket.headerLength(buf, off, head);
        int payloadOffset = off + header;
        int payloadLength = len - header - RtpPacket.paddingLength(buf, off, len, head);
        if (sequence != nextSequence || !buffer.isEmpty()) {
            while (sequence - nextSequence >= JitterBuffer.SLOTS) {
                advanceTowards(sequence, timestamp); // keep the held packets within the buffer's window
            }
            if (buffer.store(sequence, timestamp, format, buf, payloadOffset, payloadLength, arrival)) {
                drain(false);
                return;
            }
            while (nextSequence < sequence) {
                advanceTowards(sequence, timestamp); // too large to hold: its turn is now
            }
        }
        play(sequence, timestamp, format, buf, payloadOffset, payloadLength, arrival);
        drain(false);
    }

    private void markReceived(long sequence, long ahead, long timestamp) {
        if (ahead > 0) {
            receivedMask = ahead >= DUPLICATE_WINDOW ? 1 : (receivedMask << ahead) | 1;
            highestSequence = sequence;
            highestTimestamp = timestamp;
        } else if (-ahead < DUPLICATE_WINDOW) {
            receivedMask |= 1L << -ahead;
        }
        receive.received(sequence);
    }

    /**
     * Whether a packet with this timestamp arriving now would land more than {@link #MAX_DRIFT_SAMPLES} further from
     * its arrival than the anchor did (a stream restarted after the audio delivered stays ahead of its arrivals by as
     * much, and that is no drift). A packet that lands behind its arrival while its timestamp follows on from the
     * last one's as its sequence number does ({@code ahead} packets of the last one's length) is late, not drifted:
     * a burst after a stall (ours or the network's) is placed by its timestamps, contiguous with what came before,
     * so the model hears no gap that the caller did not make. (Whether the packets came back to back or at the
     * sender's pace does not decide it: a loaded loop reads its backlog one datagram a turn, turns apart.)
     */
    private boolean drifted(long timestamp, long arrival, long ahead) {
        long offset = position(timestamp) - arrivalPosition(arrival) - anchorLead;
        if (offset > MAX_DRIFT_SAMPLES) {
            return true;
        }
        return offset < -MAX_DRIFT_SAMPLES && timestamp - highestTimestamp != ahead * lastPacketUnits;
    }

    /** One step towards {@code sequence}: plays the next packet if held, else conceals up to the next one held. */
    private void advanceTowards(long sequence, long timestamp) {
        if (buffer.holds(nextSequence)) {
            playHeld(nextSequence);
            return;
        }
        long earliest = buffer.earliest();
        if (earliest < sequence) {
            concealUntil(earliest, buffer.timestamp(earliest));
        } else {
            concealUntil(sequence, timestamp);
        }
    }

    /**
     * Plays what is due: held packets in order, and a missing packet's concealment once its deadline has passed
     * (at once when {@code force}); then comfort noise up to now, if a CN packet was the last.
     */
    private void drain(boolean force) {
        while (true) {
            if (buffer.holds(nextSequence)) {
                playHeld(nextSequence);
            } else if (!buffer.isEmpty() && (force || now - delay.deadline(nextTimestamp) >= 0)) {
                long earliest = buffer.earliest();
                concealUntil(earliest, buffer.timestamp(earliest));
            } else {
                break;
            }
        }
        if (noiseActive && buffer.isEmpty()) {
            long due = delay.dueTimestamp(now - NOISE_MARGIN_NANOS);
            if (due > nextTimestamp) {
                deliveringArrival = now;
                fill(due - nextTimestamp, NOISE);
            }
        }
    }

    private void playHeld(long sequence) {
        ByteBuf payloads = buffer.payloads();
        play(sequence, buffer.timestamp(sequence), buffer.format(sequence), payloads,
                buffer.payloadOffset(sequence), buffer.length(sequence), buffer.arrival(sequence));
        buffer.remove(sequence);
    }

    /** Conceals the packets from the next one to play up to (not including) {@code sequence} at {@code timestamp}. */
    private void concealUntil(long sequence, long timestamp) {
        long missing = sequence - nextSequence;
        long units = timestamp - nextTimestamp;
        if (missing > 0 && units > 0) {
            long lostUnits = Math.min(units, missing * lastPacketUnits);
            stats.concealedUnits += lostUnits;
            lossEvents++;
            packetsConcealed += missing;
            losses.lost(position(nextTimestamp), position(nextTimestamp + lostUnits), missing);
            deliveringArrival = now;
            fill(units, -1);
        }
        nextSequence = Math.max(nextSequence, sequence);
    }

    /**
     * Plays one packet at its turn: the hole before it (silence, or noise after CN), then its audio from where the
     * delivered audio ends (an overlap is trimmed); comfort noise sets the level of the noise to come.
     */
    private void play(long sequence, long timestamp, int format, ByteBuf buf, int payloadOffset, int payloadLength,
                      long arrival) {
        nextSequence = sequence + 1;
        stats.heldNanos += now - arrival;
        packetsPlayed++;
        deliveringArrival = arrival;
        if (format == EVENT) {
            return;
        }
        if (timestamp > nextTimestamp) {
            fill(timestamp - nextTimestamp, noiseActive ? NOISE : 0);
        }
        if (format == NOISE) {
            noise.update(buf, payloadOffset, payloadLength);
            noiseActive = true;
            return;
        }
        noiseActive = false;
        long skip = nextTimestamp - timestamp;
        if (skip > 0 && skip >= payloadLength) {
            stats.packetsDroppedLate++;
            return;
        }
        RtpCodec codec = CODECS[format];
        rate(codec.samplesPerOctet());
        for (int done = (int) Math.max(0, skip); done < payloadLength; ) {
            int n = Math.min(CHUNK_8K, payloadLength - done);
            int samples = decode(codec, buf, payloadOffset + done, n);
            if (codec instanceof G711 g711 && !concealment.concealing()) {
                straightCodec = g711;
            }
            concealment.accept(scratch.inboundPcm, 0, samples);
            deliver(samples, timestamp + done);
            straightCodec = null;
            done += n;
        }
        lastPacketUnits = payloadLength;
        nextTimestamp = timestamp + payloadLength;
    }

    /**
     * Delivers {@code units} of made-up audio from {@link #nextTimestamp}: concealment ({@code what} −1), comfort
     * noise ({@link #NOISE}) or silence (0). A hole longer than {@link #MAX_GAP_FILL_UNITS} is not filled: after at
     * most the concealment's fade the position jumps.
     */
    private void fill(long units, int what) {
        long deliver = units;
        if (units > MAX_GAP_FILL_UNITS) {
            deliver = what == -1 ? LossConcealment.SILENT_AFTER : 0;
        }
        short[] pcm = scratch.inboundPcm;
        for (long done = 0; done < deliver; ) {
            int n = (int) Math.min(CHUNK_8K, deliver - done);
            int samples = n * rate;
            if (what == -1) {
                concealment.conceal(pcm, 0, samples);
            } else {
                if (what == NOISE) {
                    noise.generate(pcm, 0, samples);
                } else {
                    Arrays.fill(pcm, 0, samples, (short) 0);
                }
                concealment.accept(pcm, 0, samples);
            }
            deliver(samples, nextTimestamp + done);
            done += n;
        }
        nextTimestamp += units;
    }

    /**
     * Starts the placement of a new stream (a new SSRC or a restart of the same one): plays what the old one left
     * waiting, then anchors the new one at the later of its arrival and the end of the old one's audio; the space
     * between them is concealed, or marked as a seam, so the new audio is cross-faded in.
     */
    private void newStream(long newSsrc, int seq, long ts, long arrival) {
        long at = Math.max(0, arrivalPosition(arrival));
        if (anchored) {
            drain(true);
            noiseActive = false;
            long end = position(nextTimestamp);
            long gapUnits = Math.max(0, -Math.floorDiv(end - Math.max(at, end), CallTimeline.SAMPLES_PER_RTP_UNIT));
            deliveringArrival = arrival;
            if (gapUnits == 0) {
                concealment.conceal(scratch.inboundPcm, 0, 0);
            } else {
                fill(gapUnits, -1);
            }
            at = position(nextTimestamp);
            stats.streamRestarts++;
        }
        anchored = true;
        if (wideband != null) {
            wideband.decoder.reset();
        }
        ssrc = newSsrc;
        anchorTimestamp = ts;
        anchorPosition = at;
        anchorLead = at - arrivalPosition(arrival);
        highestSequence = seq - 1;
        highestTimestamp = ts;
        receivedMask = 0;
        nextSequence = seq;
        nextTimestamp = ts;
        receive.restart(newSsrc, seq);
        delay.reset();
    }

    /** Timeline position of an extended timestamp of the current stream. */
    private long position(long timestamp) {
        return anchorPosition + CallTimeline.rtpUnitsToSamples(timestamp - anchorTimestamp);
    }

    private long arrivalPosition(long arrival) {
        return CallTimeline.nanosToSamples(arrival - answerNanos);
    }

    /**
     * Decodes {@code octets} of payload into the scratch's {@code inboundPcm} at the codec's rate; returns the
     * samples. The octets are copied to its {@code inboundCodes} eight at a time ({@link ByteBufOctets}) and kept
     * there as they came, for an agent that takes that G.711 law.
     */
    private int decode(RtpCodec codec, ByteBuf buf, int offset, int octets) {
        short[] pcm = scratch.inboundPcm;
        byte[] codes = scratch.inboundCodes;
        return switch (codec) {
            case G711 g711 -> {
                ByteBufOctets.copy(buf, offset, codes, octets);
                for (int i = 0; i < octets; i++) {
                    pcm[i] = g711.decode(codes[i]);
                }
                yield octets;
            }
            case Wideband g722 -> {
                ByteBufOctets.copy(buf, offset, codes, octets);
                yield wideband().decoder.decode(codes, 0, octets, pcm, 0);
            }
        };
    }

    /** Switches the made-up audio and its concealment to the rate of the codec now playing. */
    private void rate(int samplesPerUnit) {
        rate = samplesPerUnit;
        concealment = samplesPerUnit == 1 ? narrowbandConcealment : wideband().concealment;
    }

    private WidebandReceive wideband() {
        if (wideband == null) {
            wideband = new WidebandReceive();
        }
        return wideband;
    }

    /**
     * Takes {@code samples} of the scratch's {@code inboundPcm} at the stream's rate to 24 kHz and hands them on,
     * with their octets in the agent's G.711 law when it takes one.
     */
    private void deliver(int samples, long timestamp) {
        short[] pcm = scratch.inboundPcm;
        short[] pcm24k = scratch.inboundPcm24k;
        byte[] codes = scratch.inboundCodes;
        stats.lastReceiveNanos = deliveringArrival;
        if (rate == 1) {
            listener.onCallerNarrowband(pcm, samples, straightCodec, codes);
        }
        int n = rate == 1 ? upsampler.process(pcm, 0, samples, pcm24k, 0)
                : wideband.upsampler.process(pcm, 0, samples, pcm24k, 0);
        G711 law = listener.agentLaw();
        if (law == null) {
            listener.onCallerAudio(pcm24k, 0, n, position(timestamp));
            return;
        }
        int units = samples / rate;
        // A packet of the agent's law untouched by concealment: codes holds its own octets (see decode).
        if (straightCodec != law && rate == 1) {
            encode(law, pcm, units, codes);
        } else if (straightCodec != law) {
            short[] pcm8k = scratch.inboundPcm8k;
            wideband.toNarrow.process(pcm24k, 0, n, pcm8k, 0);
            encode(law, pcm8k, units, codes);
        }
        listener.onCallerAudio(pcm24k, 0, n, position(timestamp), codes, 0);
    }

    /** Encodes {@code narrow[0, units)} (8 kHz) into {@code codes} in {@code law}. */
    private static void encode(G711 law, short[] narrow, int units, byte[] codes) {
        for (int i = 0; i < units; i++) {
            codes[i] = law.encode(narrow[i]);
        }
    }

    /** RFC 3550 receiver statistics of the current source, for RTCP reports. */
    ReceiveStatistics statistics() {
        return receive;
    }

    /** The buffer's current depth: how long a missing packet is waited for. */
    long depthNanos() {
        return delay.depthNanos();
    }

    /** Where audio was concealed so far. */
    LossLog losses() {
        return losses;
    }

    /** Packets played (audio, comfort noise, events): the ones {@link RtpStats#heldNanos} is summed over. */
    long packetsPlayed() {
        return packetsPlayed;
    }

    /** Runs of missing packets concealed so far. */
    long lossEvents() {
        return lossEvents;
    }

    /** Packets that were missing at their turn (lost, or late) so far. */
    long packetsConcealed() {
        return packetsConcealed;
    }

    /** The caller's packet time, in RTP units, as its last audio packet had it. */
    long packetUnits() {
        return lastPacketUnits;
    }

    /** The current comfort-noise level in −dBov, for tests. */
    int noiseLevel() {
        return noise.level();
    }
}
