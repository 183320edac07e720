package gateway.rtp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.SplittableRandom;

/**
 * The RTCP side of one call (RFC 3550 §6): reports about the caller's stream sent about every 5 s, and the caller's
 * reports read.
 *
 * <p><b>Sending.</b> A compound packet (§6.1): an SR when the gateway sent RTP since the last report, else an RR
 * (on hold), each with one report block about the caller's stream once it has one, then an SDES with the
 * session's CNAME (a random name, RFC 7022), and a BYE when the session closes. The interval follows §6.2 for a
 * two-party call, simplified: with two members and a 64 kbit/s stream the bandwidth rule never asks for more than
 * the 5 s minimum, so the interval is 5 s randomised to [0.5, 1.5] × 5 s (§6.3.1) to keep calls from reporting in
 * step, and the first report comes after half that (§6.2: the initial minimum may be halved). There is no timer
 * reconsideration (there is no group to grow), and therefore no 1/(e − 3/2) compensation. Reports go out from the
 * pacer's ticks ({@link #onTick}), not from a timer of their own.
 *
 * <p><b>Receiving.</b> An SR from the caller's source is remembered for the LSR/DLSR of our next block; a report
 * block about our SSRC gives the round-trip time (§6.4.1: arrival − LSR − DLSR, measured here on the monotonic
 * clock against the time our SR with that LSR went out) and what the caller saw of our stream (loss, jitter).
 *
 * <p><b>SRTCP.</b> On an SRTP call (RFC 3711 §3.4) our reports leave as SRTCP and the caller's are unprotected before
 * they are read, with the session's SDES keys ({@link #secure(SrtpKeys)}); one that fails is dropped and counted.
 *
 * <p>Call's loop only; receiving and sending allocate nothing.
 */
final class RtcpSession {

    /** RFC 3550 §6.2: the minimum report interval. */
    static final long INTERVAL_NANOS = 5_000_000_000L;
    /** NTP counts seconds from 1900, Unix from 1970 (RFC 5905 §6). */
    static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    /** Our last SRs remembered to match an LSR against: more than a report's round trip ever spans. */
    private static final int SENT_REPORTS_KEPT = 8;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long DLSR_UNITS_PER_SECOND = 65_536;

    private final RtpStats stats;
    private final ReceiveStatistics receive;
    private final RtpPacketizer packetizer;
    private final PacketSink sink;
    private final InstantSource wallClock;
    private final SplittableRandom random;
    private final byte[] cname;
    private final long[] sentMiddle = new long[SENT_REPORTS_KEPT];
    private final long[] sentNanos = new long[SENT_REPORTS_KEPT];
    private int sentNext;
    private boolean started;
    /** The SRTP keys whose SRTCP protects RTCP both ways (RFC 3711 §3.4); null on a plain RTP stream. */
    private SrtpKeys keys;
    private SrtcpSender srtcpSender;
    private SrtcpReceiver srtcpReceiver;
    /**
     * Where a packet is protected or unprotected: one reused array (SRTCP's transforms work on arrays), made with the
     * first keys, so a plain RTP call never holds it.
     */
    private byte[] scratch;
    /** SRTCP packets from the caller dropped: a bad tag, a replayed index, too short to be SRTCP. */
    volatile long srtcpAuthFailures;
    volatile long srtcpReplays;
    volatile long srtcpInvalid;
    private long nextReportNanos;
    private long packetsSentAtLastReport;

    private long rttCount;
    private long rttSumNanos;
    private long rttMaxNanos;
    private long lastRttNanos = -1;
    private long remoteReports;
    private int remoteFractionLost;
    private long remoteCumulativeLost;
    private long remoteJitter;
    private long remoteMaxJitter;

    /**
     * @param sink where compound packets go (the RTCP port's remote, or the RTP one under rtcp-mux); null for a
     *             session that sends none
     * @param seed randomises the report times
     */
    RtcpSession(RtpStats stats, ReceiveStatistics receive, RtpPacketizer packetizer, PacketSink sink,
                InstantSource wallClock, long seed) {
        this.stats = stats;
        this.receive = receive;
        this.packetizer = packetizer;
        this.sink = sink;
        this.wallClock = wallClock;
        this.random = new SplittableRandom(seed);
        this.cname = String.format("%016x%016x", random.nextLong(), random.nextLong())
                .getBytes(StandardCharsets.US_ASCII); // RFC 7022 §4.2: at least 96 random bits

    }

    /**
     * The SRTP keys of a new negotiation (null: plain RTP, so plain RTCP): with keys, RTCP goes as SRTCP both ways
     * (RFC 3711 §3.4), as plain RTCP would tell an eavesdropper what SRTP hides. The same keys keep the SRTCP indexes;
     * new keys start fresh.
     */
    void secure(SrtpKeys next) {
        if (next == null) {
            srtcpSender = null;
            srtcpReceiver = null;
        } else if (!next.equals(keys)) {
            srtcpSender = new SrtcpSender(next.send());
            srtcpReceiver = new SrtcpReceiver(next.receive());
            if (scratch == null) {
                scratch = new byte[SrtpCipher.MAX_PACKET_BYTES];
            }
        }
        keys = next;
    }

    boolean secure() {
        return keys != null;
    }

    /**
     * Unprotects the SRTCP datagram at {@code buf[off, off + len)} in place (RFC 3711 §3.4); returns the RTCP length,
     * or a negative {@link SrtpReceiver} outcome for one dropped (counted).
     */
    int unprotect(ByteBuf buf, int off, int len) {
        int result = SrtpReceiver.INVALID;
        if (len <= scratch.length) {
            buf.getBytes(off, scratch, 0, len);
            result = srtcpReceiver.unprotect(scratch, len);
        }
        if (result >= 0) {
            buf.setBytes(off, scratch, 0, result);
        } else if (result == SrtpReceiver.AUTH_FAILED) {
            srtcpAuthFailures++;
        } else if (result == SrtpReceiver.REPLAYED) {
            srtcpReplays++;
        } else {
            srtcpInvalid++;
        }
        return result;
    }

    /** Starts reporting: the first report after half an interval, randomised. */
    void start(long nowNanos) {
        started = true;
        nextReportNanos = nowNanos + randomised(INTERVAL_NANOS / 2);
    }

    /** Sends a report if one is due; called on each pacer tick. */
    void onTick(long nowNanos) {
        if (started && nowNanos - nextReportNanos >= 0) {
            send(nowNanos, false);
            nextReportNanos = nowNanos + randomised(INTERVAL_NANOS);
        }
    }

    /** Sends the last report with a BYE (§6.6); nothing more is sent. */
    void goodbye(long nowNanos) {
        if (started) {
            started = false;
            send(nowNanos, true);
        }
    }

    private long randomised(long interval) {
        return (long) (interval * (0.5 + random.nextDouble()));
    }

    private void send(long nowNanos, boolean bye) {
        if (sink == null || !sink.hasRemote()) {
            return;
        }
        ByteBuf out = sink.acquire();
        if (out == null) {
            return; // the previous datagram on this socket is still queued: this report is skipped
        }
        int blocks = receive.active() ? 1 : 0;
        long ssrc = packetizer.ssrc();
        if (stats.packetsSent > packetsSentAtLastReport) {
            long wallMillis = wallClock.millis();
            long seconds = Math.floorDiv(wallMillis, 1000) + NTP_UNIX_OFFSET_SECONDS;
            long fraction = (Math.floorMod(wallMillis, 1000) << 32) / 1000;
            long rtpNow = (packetizer.nextTimestamp() - packetizer.frameBytes()) & 0xFFFF_FFFFL;
            RtcpPacket.writeSenderReport(out, ssrc, seconds, fraction, rtpNow, stats.packetsSent, stats.octetsSent,
                    blocks);
            sentMiddle[sentNext] = ((seconds & 0xFFFF) << 16) | (fraction >>> 16);
            sentNanos[sentNext] = nowNanos;
            sentNext = (sentNext + 1) % SENT_REPORTS_KEPT;
        } else {
            RtcpPacket.writeReceiverReport(out, ssrc, blocks);
        }
        packetsSentAtLastReport = stats.packetsSent;
        if (blocks > 0) {
            RtcpPacket.writeReportBlock(out, receive.ssrc(), receive.fractionLost(), receive.cumulativeLost(),
                    receive.extendedHighest(), receive.jitter(), receive.lastSenderReport(),
                    receive.delaySinceLastSenderReport(nowNanos));
        }
        RtcpPacket.writeSourceDescription(out, ssrc, cname);
        if (bye) {
            RtcpPacket.writeGoodbye(out, ssrc);
        }
        if (srtcpSender != null && !protect(out)) {
            return; // never sent unprotected: a report that does not fit is skipped
        }
        sink.send(out);
        stats.rtcpSent++;
    }

    /** Turns the compound packet in {@code out} into SRTCP in place; false when there is no room for it. */
    private boolean protect(ByteBuf out) {
        int off = out.readerIndex();
        int len = out.readableBytes();
        int overhead = srtcpSender.overhead();
        if (len + overhead > scratch.length || out.capacity() - off - len < overhead) {
            return false;
        }
        out.getBytes(off, scratch, 0, len);
        int protectedLength = srtcpSender.protect(scratch, len);
        out.setBytes(off, scratch, 0, protectedLength);
        out.writerIndex(off + protectedLength);
        return true;
    }

    /** Reads a compound packet from the caller that passed {@link RtcpPacket#check} (unprotected first on SRTP). */
    void onPacket(ByteBuf buf, int off, int len, long arrivalNanos) {
        stats.rtcpReceived++;
        long ours = packetizer.ssrc();
        for (int at = off, end = off + len; at < end; at += RtcpPacket.length(buf, at)) {
            int type = RtcpPacket.packetType(buf, at);
            if (type != RtcpPacket.SENDER_REPORT && type != RtcpPacket.RECEIVER_REPORT) {
                continue;
            }
            if (type == RtcpPacket.SENDER_REPORT && receive.active() && RtcpPacket.ssrc(buf, at) == receive.ssrc()) {
                receive.senderReport(RtcpPacket.ntpMiddle(buf, at), arrivalNanos);
            }
            for (int i = 0, n = RtcpPacket.reportBlocks(buf, at); i < n; i++) {
                int block = RtcpPacket.reportBlock(buf, at, i);
                if (RtcpPacket.blockSsrc(buf, block) == ours) {
                    aboutUs(buf, block, arrivalNanos);
                }
            }
        }
    }

    private void aboutUs(ByteBuf buf, int block, long arrivalNanos) {
        remoteReports++;
        remoteFractionLost = RtcpPacket.blockFractionLost(buf, block);
        remoteCumulativeLost = RtcpPacket.blockCumulativeLost(buf, block);
        remoteJitter = RtcpPacket.blockJitter(buf, block);
        remoteMaxJitter = Math.max(remoteMaxJitter, remoteJitter);
        long lsr = RtcpPacket.blockLastSenderReport(buf, block);
        if (lsr == 0) {
            return;
        }
        for (int i = 0; i < SENT_REPORTS_KEPT; i++) {
            if (sentMiddle[i] == lsr) {
                long dlsr = RtcpPacket.blockDelaySinceLastSenderReport(buf, block) * NANOS_PER_SECOND
                        / DLSR_UNITS_PER_SECOND;
                long rtt = arrivalNanos - sentNanos[i] - dlsr;
                if (rtt >= 0) {
                    lastRttNanos = rtt;
                    rttCount++;
                    rttSumNanos += rtt;
                    rttMaxNanos = Math.max(rttMaxNanos, rtt);
                }
                return;
            }
        }
    }

    /** Round-trip times measured; their mean, maximum and the last one in ns (−1 when none). */
    long rttCount() {
        return rttCount;
    }

    long rttMeanNanos() {
        return rttCount == 0 ? -1 : rttSumNanos / rttCount;
    }

    long rttMaxNanos() {
        return rttCount == 0 ? -1 : rttMaxNanos;
    }

    long lastRttNanos() {
        return lastRttNanos;
    }

    /** Report blocks about our stream received from the caller. */
    long remoteReports() {
        return remoteReports;
    }

    /** What the caller's last report said of our stream: fraction lost (1/256), cumulative lost, jitter (units). */
    int remoteFractionLost() {
        return remoteFractionLost;
    }

    long remoteCumulativeLost() {
        return remoteCumulativeLost;
    }

    long remoteJitter() {
        return remoteJitter;
    }

    long remoteMaxJitter() {
        return remoteMaxJitter;
    }

    /** The CNAME sent in SDES. */
    String cname() {
        return new String(cname, StandardCharsets.US_ASCII);
    }
}
