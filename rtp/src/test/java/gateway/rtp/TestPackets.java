package gateway.rtp;

import gateway.testkit.Signals;
import gateway.time.Clock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** Builds RTP datagrams and records listener calls for tests. */
final class TestPackets {

    private TestPackets() {
    }

    /** A sink with a remote that writes every packet into {@code buffer} and hands it to {@code sent}. */
    static PacketSink sinkInto(ByteBuf buffer, Consumer<ByteBuf> sent) {
        return new PacketSink() {
            @Override
            public boolean hasRemote() {
                return true;
            }

            @Override
            public ByteBuf acquire() {
                return buffer.clear();
            }

            @Override
            public void send(ByteBuf packet) {
                sent.accept(packet);
            }
        };
    }

    static byte[] rtp(int pt, int seq, long ts, long ssrc, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        RtpPacket.writeHeader(b, false, pt, seq, ts, ssrc);
        b.writeBytes(payload);
        byte[] bytes = ByteBufUtil.getBytes(b);
        b.release();
        return bytes;
    }

    static DatagramPacket datagram(byte[] bytes, InetSocketAddress from, InetSocketAddress to) {
        return new DatagramPacket(Unpooled.wrappedBuffer(bytes), to, from);
    }

    /**
     * A copy of the protected {@code packet} with one bit flipped for each pair of bytes of {@code input} from
     * {@code from} on (a big-endian bit number, modulo the packet's bits); when that leaves it as it was (no pair, or
     * flips that cancel out), the last bit of its tag is flipped instead, so the copy always differs.
     */
    static byte[] flipped(byte[] packet, byte[] input, int from) {
        byte[] forged = packet.clone();
        for (int at = from; at + 1 < input.length; at += 2) {
            int bit = ((input[at] & 0xFF) << 8 | input[at + 1] & 0xFF) % (forged.length * 8);
            forged[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        if (java.util.Arrays.equals(forged, packet)) {
            forged[forged.length - 1] ^= 1;
        }
        return forged;
    }

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    /** μ-law bytes of a tone at 8 kHz starting at sample index {@code from}. */
    static byte[] ulawTone(double frequency, double amplitude, int from, int n) {
        return tone(G711.PCMU, frequency, amplitude, from, n);
    }

    /** G.711 bytes of a tone at 8 kHz starting at sample index {@code from}. */
    static byte[] tone(G711 codec, double frequency, double amplitude, int from, int n) {
        short[] pcm = Signals.sine(frequency, 8000, amplitude, from, n);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = codec.encode(pcm[i]);
        }
        return b;
    }

    /** What the inbound path delivers for one payload after a fresh start: decoded, then up-sampled to 24 kHz. */
    static short[] decodedAndUpsampled(G711 codec, byte[] payload) {
        short[] pcm8k = new short[payload.length];
        for (int i = 0; i < payload.length; i++) {
            pcm8k[i] = codec.decode(payload[i]);
        }
        short[] pcm24k = new short[3 * payload.length];
        new Upsampler8kTo24k().process(pcm8k, 0, payload.length, pcm24k, 0);
        return pcm24k;
    }

    /** The payload of a packet written by the session (12-byte header, no CSRC), decoded with {@code codec}. */
    static short[] decodedPayload(G711 codec, byte[] packet) {
        short[] pcm = new short[packet.length - RtpPacket.FIXED_HEADER_LENGTH];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = codec.decode(packet[RtpPacket.FIXED_HEADER_LENGTH + i]);
        }
        return pcm;
    }

    /** An RTCP handler for a receive path built by hand: it reads what comes and sends nothing. */
    static RtcpReceiveHandler rtcpHandler(RtpStats stats, InboundAudioPath inbound, RtpProblems problems,
                                          Clock clock) {
        RtcpSession rtcp = new RtcpSession(stats, inbound.statistics(), new RtpPacketizer(G711.PCMU, 0, 1, 0, 0), null,
                InstantSource.system(), 1);
        return new RtcpReceiveHandler(rtcp, new RemoteEndpoint(null), stats, problems, clock);
    }

    /** One onCallerAudio call, with a copy of the samples. */
    record Audio(long position, short[] samples) {
    }

    /** A piece's 8 kHz audio, and its law when it is the decoding of {@code octets}. */
    record Narrowband(short[] pcm8k, G711 law, byte[] octets) {
    }

    /** A listener that records caller audio, faults and timeouts, and plays silence unless a subclass plays. */
    static class RecordingListener implements MediaListener {
        final List<Audio> audio = new ArrayList<>();
        final List<Throwable> faults = new ArrayList<>();
        final List<Long> timeouts = new ArrayList<>();
        /** Keys reported, as "digit position durationSamples", received and sent. */
        final List<String> keys = new ArrayList<>();
        final List<String> keysSent = new ArrayList<>();
        /** Each onTicksSkipped count, and the onSendBusy calls, as they came. */
        final List<Long> skipped = new ArrayList<>();
        int sendsBusy;

        /** The 8 kHz audio each piece came from, in order, kept while {@link #keepNarrowband}. */
        final List<Narrowband> narrowband = new ArrayList<>();
        boolean keepNarrowband;

        @Override
        public void onCallerAudio(short[] pcm24k, int offset, int length, long position) {
            short[] copy = new short[length];
            System.arraycopy(pcm24k, offset, copy, 0, length);
            audio.add(new Audio(position, copy));
        }

        @Override
        public void onCallerNarrowband(short[] pcm8k, int units, G711 law, byte[] octets) {
            if (keepNarrowband) {
                narrowband.add(new Narrowband(Arrays.copyOf(pcm8k, units), law,
                        Arrays.copyOf(octets, units)));
            }
        }

        @Override
        public boolean nextPlayoutFrame(short[] pcm24k, int length, long position) {
            return false;
        }


        @Override
        public void onMediaFault(Throwable error) {
            faults.add(error);
        }

        @Override
        public void onMediaTimeout(long silentNanos) {
            timeouts.add(silentNanos);
        }

        @Override
        public void onTicksSkipped(long count) {
            skipped.add(count);
        }

        @Override
        public void onSendBusy() {
            sendsBusy++;
        }

        @Override
        public void onCallerDigit(char digit, long position, long durationSamples) {
            keys.add(digit + " " + position + " " + durationSamples);
        }

        @Override
        public void onDigitSent(char digit, long position, long durationSamples) {
            keysSent.add(digit + " " + position + " " + durationSamples);
        }
    }
}
