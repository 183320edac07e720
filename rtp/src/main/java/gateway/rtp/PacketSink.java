package gateway.rtp;

import io.netty.buffer.ByteBuf;

/** Where finished outbound packets go; used on the call's event loop. */
interface PacketSink {

    /** Whether there is an address to send to (none before a late answer, or with c=0.0.0.0). */
    boolean hasRemote();

    /** An empty buffer to write the next packet into, or null if the previous one is still being sent. */
    ByteBuf acquire();

    /** Sends the buffer obtained from {@link #acquire()} to the current remote. */
    void send(ByteBuf packet);
}
