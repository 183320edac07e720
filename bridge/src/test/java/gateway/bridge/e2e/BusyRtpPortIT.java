package gateway.bridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RTP ports held by another program are skipped: the call is still answered on the next free even port. */
@Tag("e2e")
class BusyRtpPortIT {

    private static final int RTP_MIN = 31_600;

    @TempDir
    Path recordings;

    @Test
    @SuppressWarnings("try") // the two sockets only hold their ports for the length of the call
    void portsTakenByOthersAreSkipped() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket first = new DatagramSocket(new InetSocketAddress(lo, RTP_MIN));
             DatagramSocket second = new DatagramSocket(new InetSocketAddress(lo, RTP_MIN + 2));
             GatewayUnderIT gw = GatewayUnderIT.start(RTP_MIN, recordings)) {
            Sipp.Result sipp = Sipp.scenario("uac_speech.xml").pauseMs(1_000).run(gw.sipPort(), "busy-rtp-port");
            assertEquals(Sipp.SUCCESS, sipp.exitCode(), sipp.describe());
            String sdp = sipp.response(200, "INVITE").body();
            org.junit.jupiter.api.Assertions.assertTrue(sdp.contains("m=audio " + (RTP_MIN + 4) + " RTP/AVP 0"),
                    "third even port used:\n" + sdp);
            RecordedCall call = RecordedCall.awaitOnly(recordings, Duration.ofSeconds(5));
            assertEquals("caller_bye", call.json().text("end_reason"));
        }
    }
}
