package gateway.sip;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.net.InetAddress;
import java.util.List;

/**
 * Screens each framed message before it is parsed ({@link RequestAdmission}): passes it on, hands it to the core for
 * a stateless 403, or drops it; on TCP a dropped message takes its connection with it (the stream is abusive, and
 * closing is the cheapest answer). The source is the {@link SipPeer}'s remote address, the one place every
 * transport puts it. Shared by all pipelines.
 */
@ChannelHandler.Sharable
final class AdmissionHandler extends MessageToMessageDecoder<RawSipMessage> {

    private final RequestAdmission admission;
    private final SipCore core;

    AdmissionHandler(RequestAdmission admission, SipCore core) {
        super(RawSipMessage.class);
        this.admission = admission;
        this.core = core;
    }

    /** Counts and summarises a connection to {@code peer} closed because a message took too long. */
    void timedOut(SipPeer peer) {
        if (peer.remote() != null) {
            admission.refused(peer.remote().getAddress(), Refusal.SLOW_MESSAGE);
        }
    }

    /** Counts and summarises a connection from {@code source} refused beyond a {@link ConnectionLimits} cap. */
    void overCap(InetAddress source) {
        admission.refused(source, Refusal.CONNECTION_LIMIT);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, RawSipMessage message, List<Object> out) {
        SipPeer peer = message.peer();
        if (peer.remote() == null) {
            out.add(message);
            return;
        }
        switch (admission.screen(peer.remote().getAddress(), message.data())) {
            case PASS -> out.add(message);
            case REFUSE -> core.onLoop(() -> core.refuseUnparsed(message, 403, "Forbidden"));
            case DROP -> {
                if (peer.transport().reliable()) {
                    ctx.close();
                }
            }
        }
    }
}
