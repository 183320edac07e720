package gateway.bridge.call;

import gateway.bridge.metrics.GatewayMetrics;
import gateway.bridge.tools.Tool;
import gateway.bridge.tools.ToolInvocation;
import gateway.bridge.tools.ToolResult;
import gateway.library.ToolCall;
import gateway.realtime.ClientEvent;
import gateway.realtime.ServerEvent;
import gateway.time.CallTimeline;
import gateway.time.Cancellable;
import gateway.time.Scheduler;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Runs the tools the model calls on one call (docs/realtime-protocol.md §5.4), whatever they are: each call is run
 * once, on {@code function_call_arguments.done}; a tool that answers later (a webhook) has its answer hopped back to
 * the call's loop and is given up on after its timeout, and is cancelled when the call ends. Once an answer is in
 * and the response that made the call is done, its {@code function_call_output} goes to the session that asked;
 * when every call of that response is answered, a new response is asked for through the {@link ResponseGate}, so
 * the model goes on with one response active at a time. A response the caller interrupted (turn_detected) gets its
 * outputs but no new response: the caller's turn brings one. The service's own calls of remote MCP servers are
 * logged as they finish; its requests to approve one are refused (nobody can approve on a phone call). Every call
 * goes to call.json ({@link #log}) and the metrics.
 *
 * <p>Call's loop only.
 */
final class ToolRunner {

    private static final System.Logger LOG = System.getLogger(ToolRunner.class.getName());
    /** Why a request of a remote MCP server to run a tool is refused. */
    static final String APPROVAL_REFUSED = "No one can approve tool calls during a phone call; the tool was not run.";

    /** Who the invocations are for, and what the runner needs of the call. */
    interface Context {

        /** An invocation of {@code tool} with the call's identity. */
        ToolInvocation invocation(String tool, String toolCallId, String arguments);

        /** Asks for a new response (through the call's {@link ResponseGate}). */
        void requestResponse();

        /** False once the call no longer wants the model to go on (it is hanging up). */
        boolean continues();
    }

    private final String callId;
    private final Scheduler scheduler;
    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private final GatewayMetrics metrics;
    private final LongSupplier positionMs;
    private final Context context;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final Map<String, ResponseCalls> responses = new LinkedHashMap<>();
    private final Map<String, McpStart> mcpStarts = new LinkedHashMap<>();
    private final List<ToolCall> log = new ArrayList<>();

    /** A tool call under way (or answered, with its output waiting for its response to be done). */
    private static final class Running {
        final RealtimeLeg leg;
        final String responseId;
        final String callId;
        final String name;
        final String arguments;
        final long startNanos;
        final long startMs;
        CompletableFuture<ToolResult> future;
        Cancellable deadline;
        ToolResult result;

        Running(RealtimeLeg leg, String responseId, String callId, String name, String arguments, long startNanos,
                long startMs) {
            this.leg = leg;
            this.responseId = responseId;
            this.callId = callId;
            this.name = name;
            this.arguments = arguments;
            this.startNanos = startNanos;
            this.startMs = startMs;
        }
    }

    /** The tool calls of one response: how many are unanswered, and how the response ended. */
    private static final class ResponseCalls {
        final List<ClientEvent.ConversationItem> outputs = new ArrayList<>();
        RealtimeLeg leg;
        int unanswered;
        boolean done;
        boolean interrupted;
    }

    /** When the service started a remote MCP server's call, for its latency. */
    private record McpStart(long nanos, long ms) {
    }

    ToolRunner(String callId, Scheduler scheduler, List<Tool> tools, GatewayMetrics metrics, LongSupplier positionMs,
               Context context) {
        this.callId = callId;
        this.scheduler = scheduler;
        for (Tool tool : tools) {
            if (this.tools.putIfAbsent(tool.name(), tool) != null) {
                throw new IllegalArgumentException("two tools named " + tool.name());
            }
        }
        this.metrics = metrics;
        this.positionMs = positionMs;
        this.context = context;
    }

    /** {@code function_call_arguments.done} on the live session {@code leg}: runs the tool once. */
    void called(RealtimeLeg leg, ServerEvent.FunctionCallArgumentsDone call) {
        if (call.callId() == null || running.containsKey(call.callId())) {
            return;
        }
        String name = String.valueOf(call.name());
        String arguments = call.arguments() == null ? "{}" : call.arguments();
        Running r = new Running(leg, call.responseId(), call.callId(), name, arguments, scheduler.nanoTime(),
                positionMs.getAsLong());
        running.put(r.callId, r);
        calls(leg, r.responseId).unanswered++;
        Tool tool = tools.get(name);
        if (tool == null) {
            finish(r, new ToolResult.Failure("unknown_tool", "There is no tool named " + jsonSafe(name) + "."));
            return;
        }
        CompletableFuture<ToolResult> future;
        try {
            future = tool.call(context.invocation(name, r.callId, arguments));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "call " + callId + ": tool " + name + " failed", e);
            finish(r, new ToolResult.Failure("failed", "The tool failed."));
            return;
        }
        r.future = future;
        if (future.isDone()) {
            finish(r, resultOf(future));
            return;
        }
        if (tool.timeoutMs() > 0) {
            r.deadline = scheduler.schedule(() -> {
                if (r.result == null) {
                    future.cancel(true);
                    finish(r, new ToolResult.Failure("timeout", "The tool did not answer within "
                            + tool.timeoutMs() + " ms."));
                }
            }, CallTimeline.msToNanos(tool.timeoutMs()));
        }
        future.whenComplete((result, error) -> scheduler.execute(() -> {
            if (r.result == null && running.get(r.callId) == r) {
                finish(r, resultOf(future));
            }
        }));
    }

    /** The response that made tool calls is done; {@code status}/{@code reason} say how it ended. */
    void responseDone(String responseId, String status, String reason) {
        ResponseCalls calls = responses.get(responseId);
        if (calls == null) {
            return;
        }
        calls.done = true;
        calls.interrupted = "cancelled".equals(status) && "turn_detected".equals(reason);
        sendOutputs(responseId, calls);
    }

    /** {@code response.output_item.added}: a remote MCP server's call started now. */
    void mcpCallStarted(String itemId) {
        if (itemId != null) {
            mcpStarts.put(itemId, new McpStart(scheduler.nanoTime(), positionMs.getAsLong()));
        }
    }

    /** A remote MCP server's call the service ran for the model is done: it is logged. */
    void mcpCallDone(ServerEvent.OutputItemDone call) {
        McpStart start = mcpStarts.remove(call.itemId());
        long nowNanos = scheduler.nanoTime();
        long nowMs = positionMs.getAsLong();
        long startMs = start == null ? nowMs : start.ms();
        long nanos = start == null ? 0 : nowNanos - start.nanos();
        String error = call.error() == null ? null : "mcp_error";
        String name = String.valueOf(call.name());
        log.add(new ToolCall(name, call.itemId(), call.serverLabel(), startMs, Math.max(startMs, nowMs),
                nanos / 1_000_000, call.arguments(), call.error() == null ? call.output() : call.error(), error));
        metrics.toolCalled("mcp:" + call.serverLabel(), error == null ? "ok" : "error", nanos);
    }

    /** The service asks to run a remote MCP server's tool that needs approval: it is refused, and the model goes on. */
    void mcpApprovalRequested(RealtimeLeg leg, ServerEvent.OutputItemDone request) {
        long nowMs = positionMs.getAsLong();
        log.add(new ToolCall(String.valueOf(request.name()), request.itemId(), request.serverLabel(), nowMs, nowMs,
                0, request.arguments(), null, "approval_refused"));
        metrics.toolCalled("mcp:" + request.serverLabel(), "refused", 0);
        if (request.itemId() == null) {
            return;
        }
        ResponseCalls calls = calls(leg, request.responseId());
        calls.outputs.add(new ClientEvent.ConversationItem.McpApprovalResponse(request.itemId(), false,
                APPROVAL_REFUSED));
        sendOutputs(request.responseId(), calls);
    }

    /** True while a tool call is unanswered or its output waits: no session may be swapped now. */
    boolean busy() {
        return !running.isEmpty() || !responses.isEmpty();
    }

    /** Every tool call finished so far, for call.json. */
    List<ToolCall> log() {
        return List.copyOf(log);
    }

    /** Another session took over: calls made on the old one cannot be answered there any more. */
    void sessionReplaced() {
        for (Running r : List.copyOf(running.values())) {
            if (!r.leg.live()) {
                abandon(r, "session_replaced");
            }
        }
        responses.values().removeIf(c -> !c.leg.live());
    }

    /** The call ended: calls still running are cancelled and logged as such. */
    void end() {
        for (Running r : List.copyOf(running.values())) {
            abandon(r, "call_ended");
        }
        responses.clear();
    }

    private void abandon(Running r, String code) {
        if (r.future != null) {
            r.future.cancel(true);
        }
        if (r.result == null) {
            record(r, new ToolResult.Failure(code, code));
        }
        if (r.deadline != null) {
            r.deadline.cancel();
        }
        running.remove(r.callId);
    }

    private ResponseCalls calls(RealtimeLeg leg, String responseId) {
        ResponseCalls calls = responses.computeIfAbsent(String.valueOf(responseId), id -> new ResponseCalls());
        calls.leg = leg;
        return calls;
    }

    private void finish(Running r, ToolResult result) {
        if (r.result != null) {
            return;
        }
        if (r.deadline != null) {
            r.deadline.cancel();
        }
        record(r, result);
        running.remove(r.callId);
        ResponseCalls calls = responses.get(String.valueOf(r.responseId));
        if (calls == null) {
            return;
        }
        calls.unanswered--;
        calls.outputs.add(new ClientEvent.ConversationItem.FunctionCallOutput(r.callId, result.output()));
        sendOutputs(String.valueOf(r.responseId), calls);
    }

    private void record(Running r, ToolResult result) {
        r.result = result;
        long nanos = scheduler.nanoTime() - r.startNanos;
        String error = result instanceof ToolResult.Failure f ? f.code() : null;
        log.add(new ToolCall(r.name, r.callId, null, r.startMs, Math.max(r.startMs, positionMs.getAsLong()),
                nanos / 1_000_000, r.arguments, result.output(), error));
        String outcome = error == null ? "ok" : "timeout".equals(error) ? "timeout" : "error";
        metrics.toolCalled(tools.containsKey(r.name) ? r.name : GatewayMetrics.OTHER_TOOL, outcome, nanos);
        if (error != null) {
            LOG.log(Level.WARNING, "call {0}: tool {1} failed after {2} ms: {3}", callId, r.name,
                    String.valueOf(nanos / 1_000_000), error);
        }
    }

    /**
     * Once the response is done, its answered outputs go to the session that made it; once all are answered, the
     * model is asked to go on.
     */
    private void sendOutputs(String responseId, ResponseCalls calls) {
        if (!calls.done) {
            return;
        }
        for (ClientEvent.ConversationItem output : calls.outputs) {
            if (calls.leg.live()) {
                calls.leg.send(new ClientEvent.ConversationItemCreate(output));
            }
        }
        calls.outputs.clear();
        if (calls.unanswered > 0) {
            return;
        }
        responses.remove(responseId);
        if (!calls.interrupted && calls.leg.live() && context.continues()) {
            context.requestResponse();
        }
    }

    private static ToolResult resultOf(CompletableFuture<ToolResult> future) {
        try {
            ToolResult result = future.getNow(null);
            return result != null ? result : new ToolResult.Failure("failed", "The tool gave no answer.");
        } catch (RuntimeException e) {
            return new ToolResult.Failure("failed", "The tool failed.");
        }
    }

    /** The tool's name as it may go into an error message the model reads: letters, digits, _ - . only. */
    private static String jsonSafe(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
