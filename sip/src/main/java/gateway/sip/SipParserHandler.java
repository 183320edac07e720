package gateway.sip;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/** Parses framed messages into {@link ParsedSip}; runs on the channel's own event loop. */
final class SipParserHandler extends MessageToMessageDecoder<RawSipMessage> {

    private final SipMessageParser parser;

    SipParserHandler(SipMessageParser parser) {
        super(RawSipMessage.class);
        this.parser = parser;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, RawSipMessage message, List<Object> out) {
        if (message.framingError() != null) {
            RawHeaders raw = RawHeaders.scan(message.data());
            RawSipMessage.FramingError error = message.framingError();
            out.add(new ParsedSip(new ParseOutcome.Invalid(error.status(), error.reason(), raw), message.peer(),
                    true));
            return;
        }
        ParseOutcome outcome = parser.parse(message.data());
        boolean close = outcome instanceof ParseOutcome.Invalid && message.peer().transport().reliable();
        out.add(new ParsedSip(outcome, message.peer(), close));
    }
}
