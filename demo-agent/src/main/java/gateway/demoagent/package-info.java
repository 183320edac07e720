/**
 * The demo agent: a stand-in for the OpenAI Realtime service (GA protocol, docs/realtime-protocol.md) on loopback.
 * It answers calls when no API key is configured, and it is the tests' scriptable double: {@link
 * gateway.demoagent.DemoScript} sets its behaviour, per-connection faults (session expiry, close codes, dropped
 * TCP, refused upgrades) and tool calls, {@link gateway.demoagent.DemoAgent#connection(int)} shows what each
 * connection saw. It checks every client event as the service does and refuses the same mistakes with the same
 * {@code error} event (§7), so a client that passes here does not pass by luck. It listens with {@code ws://}, or
 * {@code wss://} with a certificate it is given.
 *
 * <p>One connection, by job: {@link gateway.demoagent.AgentSocket} (the socket's life),
 * {@link gateway.demoagent.ScriptedFaults} (how it ends by itself), {@link gateway.demoagent.SessionEvents} (event
 * dispatch and the checks), {@link gateway.demoagent.InputTurns} (voice activity, commits, transcripts),
 * {@link gateway.demoagent.Responses} with {@link gateway.demoagent.SpokenReply} and
 * {@link gateway.demoagent.ToolCallReply} (reply synthesis).
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
