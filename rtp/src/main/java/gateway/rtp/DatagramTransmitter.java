package gateway.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * Sends outbound RTP through the channel without allocating per packet: one direct buffer from the channel's
 * allocator and one DatagramPacket envelope are reused; each send retains the buffer and Netty releases it once
 * written, so a reference count above 1 means the previous packet is still queued (socket full) and the buffer
 * must not be overwritten. The envelope is rebuilt only when the remote changes (latching, a new SDP address). While
 * the socket is {@link ConnectedSource connected} to the remote, the buffer goes out alone, without a destination.
 * Event loop only.
 */
final class DatagramTransmitter implements PacketSink {

    /** Room for a 12-byte header and up to 60 ms of G.711. */
    static final int BUFFER_CAPACITY = 512;

    private final Channel channel;
    private final RemoteEndpoint remote;
    private final ConnectedSource connection;
    private final ByteBuf buffer;
    private DatagramPacket envelope;
    private boolean released;

    DatagramTransmitter(Channel channel, RemoteEndpoint remote, ConnectedSource connection) {
        this.channel = channel;
        this.remote = remote;
        this.connection = connection;
        this.buffer = channel.alloc().directBuffer(BUFFER_CAPACITY, BUFFER_CAPACITY);
    }

    @Override
    public boolean hasRemote() {
        return remote.current() != null;
    }

    @Override
    public ByteBuf acquire() {
        if (released || buffer.refCnt() != 1) {
            return null;
        }
        return buffer.clear();
    }

    @Override
    public void send(ByteBuf packet) {
        InetSocketAddress to = remote.current();
        buffer.retain();
        if (to != null && to == connection.peer()) {
            channel.writeAndFlush(buffer, channel.voidPromise());
            return;
        }
        if (envelope == null || envelope.recipient() != to) {
            envelope = new DatagramPacket(buffer, to);
        }
        channel.writeAndFlush(envelope, channel.voidPromise());
    }

    /** Gives the buffer back; later acquires return null. */
    void release() {
        if (!released) {
            released = true;
            buffer.release();
        }
    }
}
