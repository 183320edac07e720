package gateway.demoagent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What one connection of the demo agent saw, for tests ({@link DemoAgent#connection(int)}): its session id, the
 * client events it received in order (with their text when frames are recorded), the ones it refused, the input
 * samples appended, the conversation it holds, the tools it called and their outputs, and how it ended.
 *
 * <p>Threading: written only by the connection's event loop; every read returns a snapshot and may come from any
 * thread.
 */
public final class DemoConnection {

    /** How a connection ended. */
    public enum How {
        /** The agent sent a close frame first: a scripted close, session expiry, a wrong API key. */
        CLOSE_SENT,
        /** The client sent a close frame first. */
        CLOSE_RECEIVED,
        /** The agent closed the TCP connection without a close frame ({@link DemoScript#dropAfterMs}). */
        DROPPED,
        /** The TCP connection went away with no close frame from either side: the client dropped it, or the agent
         * was closed. */
        LOST,
        /** The upgrade was answered with HTTP 503 ({@link DemoScript#refuseConnectionsFrom}). */
        REFUSED
    }

    /**
     * How a connection ended: {@code code} is the code of the first close frame, 503 for {@link How#REFUSED}, -1 when
     * there was none; {@code reason} is that frame's reason, or says what happened.
     */
    public record Ending(How how, int code, String reason) {
    }

    /**
     * One item of the session's conversation. A message has its {@code role}, the {@code contentType} of its first
     * part ({@code input_text}, {@code input_audio}, {@code output_text}, {@code output_audio}; null while it has
     * none) and the part's text or transcript (null while there is none). A function call or its output has no
     * role, its item type as {@code contentType} ({@code function_call}, {@code function_call_output}) and its
     * arguments or output as {@code text}.
     */
    public record Item(String id, String role, String contentType, String text) {
    }

    /**
     * A function call the agent made (docs/realtime-protocol.md §5.4): its {@code call_id}, tool name and JSON
     * arguments, and the {@code output} the client sent for it (null until then).
     */
    public record ToolCall(String callId, String name, String arguments, String output) {
    }

    /**
     * The tokens one response.done reported, as the demo counts them (a word of text is one; input audio one per
     * 100 ms, output audio one per 50 ms); nothing is cached.
     */
    public record Usage(long inputTextTokens, long inputAudioTokens, long outputTextTokens, long outputAudioTokens) {
    }

    /** Runs of equal types kept (appends come in long runs): the latest 10 000, so a long call does not grow. */
    static final int TYPE_RUNS_KEPT = 10_000;

    private final int number;
    private final boolean recordFrames;
    private final CompletableFuture<Ending> ended = new CompletableFuture<>();
    private final ArrayDeque<Run> runs = new ArrayDeque<>();
    private final ArrayDeque<String> frames = new ArrayDeque<>();
    private final List<String> refusals = new ArrayList<>();
    private final List<ToolCall> toolCalls = new ArrayList<>();
    private final List<Usage> usages = new ArrayList<>();
    private final List<String> responseRequests = new ArrayList<>();
    private volatile String sessionId;
    private volatile Consumer<DemoFault> striker;
    private volatile long inputSamples;
    private volatile List<Item> conversation = List.of();
    private Ending ending;

    /** A stretch of received events of one type. */
    private static final class Run {
        final String type;
        int count = 1;

        Run(String type) {
            this.type = type;
        }
    }

    DemoConnection(int number, boolean recordFrames) {
        this.number = number;
        this.recordFrames = recordFrames;
    }

    /** The connection's number: 1 for the first the agent accepted, and so on. */
    public int number() {
        return number;
    }

    /** The id announced in {@code session.created}; null before it and for connections that got no session. */
    public String sessionId() {
        return sessionId;
    }

    /** Types of the client events received, in order ({@code (invalid json)}, {@code (binary)} for bad frames). */
    public synchronized List<String> receivedTypes() {
        List<String> out = new ArrayList<>();
        for (Run run : runs) {
            for (int i = 0; i < run.count; i++) {
                out.add(run.type);
            }
        }
        return out;
    }

    /** The text of the received frames when {@link DemoScript#recordFrames()} is on (the latest 10 000), else empty. */
    public synchronized List<String> receivedFrames() {
        return List.copyOf(frames);
    }

    /**
     * The codes of the {@code error} events that refused a client event, in order (docs/realtime-protocol.md §7);
     * empty when the client sent only what the service accepts.
     */
    public synchronized List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** The function calls the agent made, in order, each with the output the client returned for it so far. */
    public synchronized List<ToolCall> toolCalls() {
        return List.copyOf(toolCalls);
    }

    /** What each response.done reported using, in order. */
    public synchronized List<Usage> usages() {
        return List.copyOf(usages);
    }

    /**
     * The client's accepted response.create events, in order: each one's per-response instructions, or the empty
     * string when it had none.
     */
    public synchronized List<String> responseRequests() {
        return List.copyOf(responseRequests);
    }

    /** Input samples appended with {@code input_audio_buffer.append}: the session's input-audio clock (§5.1). */
    public long inputSamples() {
        return inputSamples;
    }

    /** The session's conversation items in order (the latest {@value Conversation#ITEMS_KEPT}). */
    public List<Item> conversation() {
        return conversation;
    }

    /** Completes once the TCP connection is closed, with how it ended; a copy, so completing it changes nothing. */
    public CompletableFuture<Ending> ended() {
        return ended.copy();
    }

    /**
     * Strikes {@code fault} on this connection {@link DemoFault#afterMs()} from now, on its event loop after what it
     * has sent so far: for a test that ends a session at a moment it observed rather than on a timer.
     */
    public void strike(DemoFault fault) {
        Consumer<DemoFault> s = striker;
        if (s == null) {
            throw new IllegalStateException(this + " has no session to end");
        }
        s.accept(fault);
    }

    @Override
    public String toString() {
        return "connection " + number + " (" + sessionId + ", " + ended.getNow(null) + ")";
    }

    void opened(String id, Consumer<DemoFault> strikes) {
        sessionId = id;
        striker = strikes;
    }

    synchronized void received(String type, String frameText) {
        Run last = runs.peekLast();
        if (last != null && last.type.equals(type)) {
            last.count++;
        } else {
            if (runs.size() == TYPE_RUNS_KEPT) {
                runs.pollFirst();
            }
            runs.addLast(new Run(type));
        }
        if (recordFrames && frameText != null) {
            if (frames.size() == DemoAgent.RECORDED_MAX) {
                frames.pollFirst();
            }
            frames.addLast(frameText);
        }
    }

    synchronized void refused(String code) {
        if (refusals.size() == DemoAgent.RECORDED_MAX) {
            refusals.remove(0);
        }
        refusals.add(code);
    }

    synchronized void toolCalled(String callId, String name, String arguments) {
        toolCalls.add(new ToolCall(callId, name, arguments, null));
    }

    /** The client returned {@code output} for call {@code callId}; the latest output counts. */
    synchronized void toolAnswered(String callId, String output) {
        toolCalls.replaceAll(c -> c.callId().equals(callId)
                ? new ToolCall(callId, c.name(), c.arguments(), output) : c);
    }

    synchronized void usage(Usage usage) {
        usages.add(usage);
    }

    synchronized void responseRequested(String instructions) {
        responseRequests.add(instructions == null ? "" : instructions);
    }

    void appended(int samples) {
        inputSamples += samples;
    }

    void conversation(List<Item> items) {
        conversation = List.copyOf(items);
    }

    /** Records how the connection ends; the first call wins. */
    synchronized void ending(How how, int code, String reason) {
        if (ending == null) {
            ending = new Ending(how, code, reason);
        }
    }

    /** The TCP connection is closed: completes {@link #ended()} ({@link How#LOST} when nothing was recorded). */
    synchronized void closed() {
        ended.complete(ending != null ? ending : new Ending(How.LOST, -1, "connection closed without a close frame"));
    }
}
