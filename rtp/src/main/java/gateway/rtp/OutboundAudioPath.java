package gateway.rtp;

import gateway.time.CallTimeline;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * One pacer tick: asks the listener for one packet time of agent audio (silence if it has none), packetizes it and
 * sends
 * it. Keeps sending silence while nothing is queued so the caller's jitter buffer and NAT binding stay alive. On
 * hold, and while no remote address is known, the listener is still asked at every tick (the call's timeline runs
 * on) but nothing is sent; the RTP clock runs on and the first packet afterwards carries the marker bit.
 *
 * <p>Event loop only; allocation-free per packet. Whatever the listener, packetizer or socket throws goes up to the
 * {@link PacingWheel}, which stops this path's pacer and hands the error to {@link #onFault}.
 */
final class OutboundAudioPath implements Pacer.Ticks {

    private final MediaListener listener;
    private final RtpPacketizer packetizer;
    private final PacketSink sink;
    private final RtpStats stats;
    private final RtpProblems problems;

    private final short[] frame = new short[RtpPacketizer.MAX_FRAME_24K];
    private boolean sending = true;
    private boolean speaking;

    OutboundAudioPath(MediaListener listener, RtpPacketizer packetizer, PacketSink sink, RtpStats stats,
            RtpProblems problems) {
        this.listener = listener;
        this.packetizer = packetizer;
        this.sink = sink;
        this.stats = stats;
        this.problems = problems;
    }

    /** Whether ticks are sent: false while the remote does not want our audio (hold: sendonly or inactive). */
    void sending(boolean sending) {
        this.sending = sending;
    }

    @Override
    public void onTick(long position) {
        int length = packetizer.frameSamples24k();
        Arrays.fill(frame, 0, length, (short) 0);
        boolean speech = listener.nextPlayoutFrame(frame, length, position);
        speaking = speech;
        if (!sending) {
            packetizer.pause();
            return;
        }
        if (!sink.hasRemote()) {
            problems.noRemote();
            packetizer.pause();
            return;
        }
        ByteBuf out = sink.acquire();
        if (out == null) {
            problems.sendBusy();
            packetizer.skipFrames(1);
            return;
        }
        if (!speech) {
            Arrays.fill(frame, 0, length, (short) 0);
        }
        packetizer.writePacket(frame, speech, out);
        sink.send(out);
        stats.packetsSent++;
        stats.octetsSent += packetizer.frameBytes();
    }

    @Override
    public void onEarly(long earlyNanos) {
        packetizer.rewind(CallTimeline.nanosToRtpUnits(earlyNanos));
    }

    /** Whether the last frame held agent audio. */
    boolean speaking() {
        return speaking;
    }

    @Override
    public void onSkipped(long count) {
        stats.ticksSkipped += count;
        packetizer.skipFrames(count);
    }

    @Override
    public void onFault(Throwable error) {
        problems.fault(error);
    }
}
