package gateway.bridge.call;

import gateway.rtp.MediaListener;
import gateway.rtp.PacingWheel;
import gateway.rtp.RtpPortAllocator;
import gateway.rtp.RtpSession;
import gateway.rtp.RtpSettings;
import gateway.rtp.RtpStreamSpec;
import io.netty.channel.EventLoop;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Opens media legs on one event loop: takes an even port from the allocator and binds it and the next one (RTCP); a
 * port pair another program holds is given back and the next one tried, up to {@link #MAX_BIND_ATTEMPTS}.
 */
final class RtpMediaOpener implements MediaOpener {

    private static final System.Logger LOG = System.getLogger(RtpMediaOpener.class.getName());
    /** Ports taken by other programs are skipped; after this many failed binds the call gets 503. */
    static final int MAX_BIND_ATTEMPTS = 8;

    private final EventLoop loop;
    private final InetAddress bindAddress;
    private final RtpPortAllocator ports;
    private final PacingWheel wheel;
    private final RtpSettings settings;

    RtpMediaOpener(EventLoop loop, InetAddress bindAddress, RtpPortAllocator ports, PacingWheel wheel,
                   RtpSettings settings) {
        this.loop = loop;
        this.bindAddress = bindAddress;
        this.ports = ports;
        this.wheel = wheel;
        this.settings = settings;
    }

    @Override
    public CompletableFuture<MediaLeg> open(RtpStreamSpec spec, MediaListener listener) {
        CompletableFuture<MediaLeg> result = new CompletableFuture<>();
        attempt(spec, listener, 1, result);
        return result;
    }

    private void attempt(RtpStreamSpec spec, MediaListener listener, int attempt,
                         CompletableFuture<MediaLeg> result) {
        int port;
        try {
            port = ports.allocate();
        } catch (IllegalStateException noPort) {
            result.completeExceptionally(new NoMediaPortException(noPort.getMessage()));
            return;
        }
        RtpSession.open(loop, bindAddress, port, spec, wheel, listener, settings).whenComplete((session, error) ->
                loop.execute(() -> {
                    if (error == null) {
                        result.complete(new RtpMediaLeg(session, port, spec, () -> ports.release(port)));
                        return;
                    }
                    ports.release(port);
                    LOG.log(Level.WARNING, "RTP port {0} failed: {1}", String.valueOf(port), error.toString());
                    if (attempt < MAX_BIND_ATTEMPTS) {
                        attempt(spec, listener, attempt + 1, result);
                    } else {
                        result.completeExceptionally(new NoMediaPortException("no RTP port could be bound after "
                                + MAX_BIND_ATTEMPTS + " attempts"));
                    }
                }));
    }
}
