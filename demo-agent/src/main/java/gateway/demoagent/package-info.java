/**
 * The demo agent: a stand-in for the OpenAI Realtime service (GA protocol, docs/realtime-protocol.md) on loopback.
 * It answers calls when no API key is configured, and it is the tests' scriptable double: {@link
 * gateway.demoagent.DemoScript} sets its behaviour and per-connection faults (session expiry, close codes, dropped
 * TCP, refused upgrades), {@link gateway.demoagent.DemoAgent#connection(int)} shows what each connection saw.
 *
 * <p>It is an independent implementation of the server side. It must not use the gateway's client event encoder,
 * server event parser or event-name constants ({@code gateway.realtime}); it writes and reads the JSON with
 * its own code and literals, following the protocol document. The module does not depend on the bridge, so the two
 * sides are checked against each other: a shape one of them gets wrong fails the conversation tests instead of being
 * shared.
 *
 * <p>Threading: each connection runs on one event loop of the agent's group; the inspection views may be read from
 * any thread.
 */
package gateway.demoagent;
