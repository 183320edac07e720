package gateway.sip;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/** One datagram is one message (RFC 3261 §18.3); too small or too large datagrams are dropped. */
final class UdpSipDecoder extends MessageToMessageDecoder<DatagramPacket> {

    /** Shortest plausible SIP message ("A sip:a SIP/2.0\r\n\r\n" is 19 bytes); anything shorter is keep-alive noise. */
    static final int MIN_DATAGRAM = 19;
    /** Largest datagram we accept: RFC 3261 §18.1.1 keeps UDP messages under the path MTU; 64 KB would be abuse. */
    static final int MAX_DATAGRAM = 16 * 1024;

    UdpSipDecoder() {
        super(DatagramPacket.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        int size = packet.content().readableBytes();
        if (size < MIN_DATAGRAM || size > MAX_DATAGRAM) {
            return;
        }
        byte[] data = ByteBufUtil.getBytes(packet.content());
        out.add(new RawSipMessage(data, new SipPeer(Transport.UDP, ctx.channel(), packet.sender()), null));
    }
}
