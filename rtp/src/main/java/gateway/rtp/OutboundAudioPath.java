package gateway.rtp;

import gateway.time.CallTimeline;
import io.netty.buffer.ByteBuf;
import java.lang.System.Logger.Level;
import java.util.Arrays;

/**
 * One pacer tick: asks the listener for 20 ms of agent audio (silence if it has none), packetizes it and sends
 * it. Keeps sending silence while nothing is queued so the caller's jitter buffer and NAT binding stay alive.
 * Event loop only; allocation-free per packet.
 */
final class OutboundAudioPath implements Pacer.Ticks {

    private static final System.Logger LOG = System.getLogger(OutboundAudioPath.class.getName());

    private final MediaListener listener;
    private final RtpPacketizer packetizer;
    private final PacketSink sink;
    private final RtpStats stats;

    private final short[] frame = new short[RtpPacketizer.FRAME_24K];
    private boolean speaking;

    OutboundAudioPath(MediaListener listener, RtpPacketizer packetizer, PacketSink sink, RtpStats stats) {
        this.listener = listener;
        this.packetizer = packetizer;
        this.sink = sink;
        this.stats = stats;
    }

    @Override
    public void onTick(long position) {
        Arrays.fill(frame, (short) 0);
        boolean speech;
        try {
            speech = listener.nextPlayoutFrame(frame, RtpPacketizer.FRAME_24K, position);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "playout listener failed; sending silence", e);
            speech = false;
        }
        if (!speech) {
            Arrays.fill(frame, (short) 0);
        }
        speaking = speech;
        ByteBuf out = sink.acquire();
        if (out == null) {
            stats.sendsBusy++;
            packetizer.skipFrames(1);
            return;
        }
        packetizer.writePacket(frame, speech, out);
        sink.send(out);
        stats.packetsSent++;
    }

    @Override
    public void onEarly(long earlyNanos) {
        packetizer.rewind(CallTimeline.nanosToRtpUnits(earlyNanos));
    }

    /** Whether the last frame sent held agent audio. */
    boolean speaking() {
        return speaking;
    }

    @Override
    public void onSkipped(long count) {
        stats.ticksSkipped += count;
        packetizer.skipFrames(count);
    }
}
