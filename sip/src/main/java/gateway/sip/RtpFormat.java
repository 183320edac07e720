package gateway.sip;

/** One audio format of an m= line: a payload type and the codec it carries (RFC 4566 §6, RFC 3551). */
record RtpFormat(int payloadType, AudioCodec codec) {
}
