package gateway.bridge.call;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.bridge.realtime.RealtimeClient;
import gateway.bridge.realtime.SessionSettings;
import gateway.recorder.RecordingService;
import gateway.rtp.RtpPortAllocator;
import java.net.InetAddress;
import java.net.URI;

/** The process-wide services every call uses. */
public record CallContext(
        InetAddress mediaBindAddress,
        String publicHost,
        RtpPortAllocator ports,
        RealtimeClient realtime,
        URI realtimeUrl,
        String apiKey,
        SessionSettings session,
        int connectTimeoutMs,
        RecordingService recordings,
        GatewayMetrics metrics) {

    @Override
    public String toString() {
        return "CallContext[realtimeUrl=" + realtimeUrl + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "none" : "set") + "]";
    }
}
