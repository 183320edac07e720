package gateway.rtp;

import gateway.time.CallTimeline;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * One pacer tick: asks the listener for one packet time of agent audio (silence if it has none), packetizes it and
 * sends it; while key presses are being sent ({@link TelephoneEventSender}) it sends those instead, and the agent's
 * audio waits. Keeps sending silence while nothing is queued so the caller's jitter buffer and NAT binding stay
 * alive. On hold, and while no remote address is known, the listener is still asked at every tick (the call's
 * timeline runs on) but nothing is sent; the RTP clock runs on and the first packet afterwards carries the marker
 * bit. When the agent speaks G.711 ({@link MediaListener#agentLaw()}) and the stream is G.711, the agent's own
 * octets are sent (re-encoded only when the laws differ, see {@link RtpPacketizer#writeCodes}).
 *
 * <p>Event loop only; allocation-free per packet: the tick's frame and the agent's octets are the loop's
 * {@link RtpScratch}, held only while the tick runs. Whatever the listener, packetizer or socket throws goes up to
 * the {@link PacingWheel}, which stops this path's pacer and hands the error to {@link #onFault}.
 */
final class OutboundAudioPath implements Pacer.Ticks {

    private final MediaListener listener;
    private final RtpPacketizer packetizer;
    private final PacketSink sink;
    private final RtpStats stats;
    private final RtpProblems problems;
    private final TelephoneEventSender keys;

    private boolean sending = true;
    private boolean speaking;
    private int eventPayloadType = -1;

    OutboundAudioPath(MediaListener listener, RtpPacketizer packetizer, PacketSink sink, RtpStats stats,
            RtpProblems problems) {
        this.listener = listener;
        this.packetizer = packetizer;
        this.sink = sink;
        this.stats = stats;
        this.problems = problems;
        this.keys = new TelephoneEventSender(listener);
    }

    /** Queues key presses to send as RFC 4733 events on {@code eventPayloadType}; false if they were refused. */
    boolean sendDigits(CharSequence digits, int durationMs, int eventPayloadType) {
        this.eventPayloadType = eventPayloadType;
        return keys.offer(digits, durationMs);
    }

    /** Whether ticks are sent: false while the remote does not want our audio (hold: sendonly or inactive). */
    void sending(boolean sending) {
        this.sending = sending;
    }

    @Override
    public void onTick(long position) {
        RtpScratch scratch = RtpScratch.current();
        short[] frame = scratch.outboundFrame;
        int length = packetizer.frameSamples24k();
        Arrays.fill(frame, 0, length, (short) 0);
        boolean keying = keys.busy();
        boolean speech = !keying && listener.nextPlayoutFrame(frame, length, position);
        speaking = speech;
        if (!sending) {
            passKey(keying, frame, position);
            packetizer.pause();
            return;
        }
        if (!sink.hasRemote()) {
            problems.noRemote();
            passKey(keying, frame, position);
            packetizer.pause();
            return;
        }
        ByteBuf out = sink.acquire();
        if (out == null) {
            problems.sendBusy();
            passKey(keying, frame, position);
            packetizer.skipFrames(1);
            return;
        }
        if (keying) {
            keys.tick(packetizer, eventPayloadType, frame, out, position);
        } else {
            if (!speech) {
                Arrays.fill(frame, 0, length, (short) 0);
            }
            if (!speech || !writeAgentCodes(scratch.outboundCodes, out)) {
                packetizer.writePacket(frame, speech, out);
            }
        }
        stats.octetsSent += out.readableBytes() - RtpPacket.FIXED_HEADER_LENGTH;
        sink.send(out);
        stats.packetsSent++;
    }

    /**
     * Sends the frame as the agent's G.711 octets, taken into {@code codes}, when it came as such and the stream is
     * G.711; else false.
     */
    private boolean writeAgentCodes(byte[] codes, ByteBuf out) {
        G711 law = listener.agentLaw();
        if (law == null || !packetizer.carriesG711()) {
            return false;
        }
        int units = packetizer.frameBytes();
        Arrays.fill(codes, 0, units, law.silence());
        return listener.playoutCodes(codes, units) && packetizer.writeCodes(codes, law, true, out);
    }

    /** A tick of a key press that sends nothing (hold, no address, a busy socket): the key press runs on. */
    private void passKey(boolean keying, short[] frame, long position) {
        if (keying) {
            keys.tick(packetizer, eventPayloadType, frame, null, position);
        }
    }

    @Override
    public void onEarly(long earlyNanos) {
        packetizer.rewind(CallTimeline.nanosToRtpUnits(earlyNanos));
    }

    /** Whether key presses are being sent (agent audio waits). */
    boolean keying() {
        return keys.busy();
    }

    /** Whether the last frame held agent audio. */
    boolean speaking() {
        return speaking;
    }

    @Override
    public void onSkipped(long count) {
        stats.ticksSkipped += count;
        packetizer.skipFrames(count);
        listener.onTicksSkipped(count);
    }

    @Override
    public void onFault(Throwable error) {
        problems.fault(error);
    }
}
