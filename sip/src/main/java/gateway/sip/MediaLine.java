package gateway.sip;

/**
 * One m= line's place in a session (RFC 3264 §6, §8): kept so that an answer or a later offer repeats every line in
 * order, a refused one with port 0 and its first format.
 */
record MediaLine(String mediaType, String protocol, String firstFormat) {
}
