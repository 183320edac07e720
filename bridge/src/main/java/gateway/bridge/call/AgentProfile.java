package gateway.bridge.call;

import gateway.bridge.tools.Tool;
import gateway.realtime.SessionSettings;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Everything a call's agent is, read per call: what each Realtime session is told ({@link #session()}: instructions,
 * voice, transcription, turn detection, the tools), how it leads the conversation (a greeting, prompts to a silent
 * caller) and which tools it may use (the gateway's own, by flag, and the configured ones). One value that a routing
 * profile can replace whole.
 *
 * @param name        the profile's name, as webhooks and logs give it ({@value #DEFAULT_NAME} for the agent.* keys)
 * @param base        the session settings without the function tools
 * @param greeting    what the agent says first, right after the answer; null: it waits for the caller
 * @param silence     when and how often a silent caller is prompted
 * @param pauseTools  offer pause_recording and resume_recording
 * @param endCallTool offer end_call
 * @param dtmfTool    offer send_dtmf, on calls that negotiated telephone-event
 * @param tools       the configured tools (webhooks), after the gateway's own
 * @param dtmfToModel whether the model is told the keys the caller presses
 * @param contextHeaders the INVITE's headers passed on: into call.json and to {@code instructions}
 * @param instructions the instructions for a call from its {@link SipContext}; null: the base's, the same for all
 * @param allowedSources who may reach this profile; null: every source the SIP layer lets in
 * @param transfer    where transfer_call and the fallback send the caller ({@link TransferPolicy#NONE}: nowhere)
 * @param earlyMedia  play the consent prompt in a 183 before the answer ({@code agent.early-media: consent})
 */
public record AgentProfile(String name, SessionSettings base, String greeting, SilencePolicy silence,
                           boolean pauseTools, boolean endCallTool, boolean dtmfTool, List<Tool> tools,
                           boolean dtmfToModel, List<String> contextHeaders, Function<SipContext, String> instructions,
                           Predicate<InetAddress> allowedSources, TransferPolicy transfer, boolean earlyMedia) {

    /** The name of the profile the {@code agent.*} keys make. */
    public static final String DEFAULT_NAME = "default";

    public AgentProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(base, "base");
        greeting = greeting == null || greeting.isBlank() ? null : greeting;
        silence = silence == null ? SilencePolicy.OFF : silence;
        tools = List.copyOf(tools);
        contextHeaders = List.copyOf(contextHeaders);
        transfer = transfer == null ? TransferPolicy.NONE : transfer;
    }

    /** A profile without early media. */
    public AgentProfile(String name, SessionSettings base, String greeting, SilencePolicy silence, boolean pauseTools,
                        boolean endCallTool, boolean dtmfTool, List<Tool> tools, boolean dtmfToModel,
                        List<String> contextHeaders, Function<SipContext, String> instructions,
                        Predicate<InetAddress> allowedSources, TransferPolicy transfer) {
        this(name, base, greeting, silence, pauseTools, endCallTool, dtmfTool, tools, dtmfToModel, contextHeaders,
                instructions, allowedSources, transfer, false);
    }

    /** A profile without transfer. */
    public AgentProfile(String name, SessionSettings base, String greeting, SilencePolicy silence, boolean pauseTools,
                        boolean endCallTool, boolean dtmfTool, List<Tool> tools, boolean dtmfToModel,
                        List<String> contextHeaders, Function<SipContext, String> instructions,
                        Predicate<InetAddress> allowedSources) {
        this(name, base, greeting, silence, pauseTools, endCallTool, dtmfTool, tools, dtmfToModel, contextHeaders,
                instructions, allowedSources, TransferPolicy.NONE);
    }

    /** A profile that tells the model the caller's keys, passes no header, lets in every source, and transfers so. */
    public AgentProfile(String name, SessionSettings base, String greeting, SilencePolicy silence, boolean pauseTools,
                        boolean endCallTool, boolean dtmfTool, List<Tool> tools, TransferPolicy transfer) {
        this(name, base, greeting, silence, pauseTools, endCallTool, dtmfTool, tools, true, List.of(), null, null,
                transfer);
    }

    /** As above, without transfer. */
    public AgentProfile(String name, SessionSettings base, String greeting, SilencePolicy silence, boolean pauseTools,
                        boolean endCallTool, boolean dtmfTool, List<Tool> tools) {
        this(name, base, greeting, silence, pauseTools, endCallTool, dtmfTool, tools, TransferPolicy.NONE);
    }

    /** As above, without send_dtmf. */
    public AgentProfile(String name, SessionSettings base, String greeting, SilencePolicy silence, boolean pauseTools,
                        boolean endCallTool, List<Tool> tools) {
        this(name, base, greeting, silence, pauseTools, endCallTool, false, tools);
    }

    /** A profile with no greeting, no silence prompts and only the pause tools (when {@code pauseTools}). */
    public static AgentProfile of(SessionSettings base, boolean pauseTools) {
        return new AgentProfile(DEFAULT_NAME, base, null, SilencePolicy.OFF, pauseTools, false, List.of());
    }

    /** What each Realtime session is told: the base settings with every tool the model may call. */
    public SessionSettings session() {
        return session(true);
    }

    /**
     * What each Realtime session of a call is told: the base settings with every tool the model may call there;
     * send_dtmf only when the call negotiated {@code telephoneEvent}.
     */
    public SessionSettings session(boolean telephoneEvent) {
        List<SessionSettings.Tool> definitions = new ArrayList<>(BuiltInTools.definitions(pauseTools, endCallTool,
                dtmfTool && telephoneEvent, transfer));
        tools.forEach(tool -> definitions.add(tool.definition()));
        return base.withTools(definitions);
    }

    /**
     * The profile of one call, whose INVITE gave {@code context}: its instructions made for the call, so the session
     * and every per-response note carry them.
     */
    public AgentProfile forCall(SipContext context) {
        if (instructions == null) {
            return this;
        }
        return new AgentProfile(name, base.withInstructions(instructions.apply(context)), greeting, silence,
                pauseTools, endCallTool, dtmfTool, tools, dtmfToModel, contextHeaders, null, allowedSources, transfer,
                earlyMedia);
    }

    /** This profile with its consent prompt played as early media ({@code on}) or after the answer. */
    public AgentProfile withEarlyMedia(boolean on) {
        return new AgentProfile(name, base, greeting, silence, pauseTools, endCallTool, dtmfTool, tools, dtmfToModel,
                contextHeaders, instructions, allowedSources, transfer, on);
    }

    /** True when a call from {@code source} may have this profile. */
    public boolean admits(InetAddress source) {
        return allowedSources == null || allowedSources.test(source);
    }

    /** The names of every function tool the model may call, the gateway's own first. */
    public List<String> toolNames() {
        return session().tools().stream().map(SessionSettings.Tool::name).toList();
    }

    /**
     * When a caller who says nothing is prompted: after {@code promptMs} without caller speech and with nothing
     * playing; after {@code maxPrompts} prompts the agent says goodbye and the call ends ({@code caller_silent}).
     * {@code promptMs} 0 never prompts.
     */
    public record SilencePolicy(long promptMs, int maxPrompts) {

        public static final SilencePolicy OFF = new SilencePolicy(0, 0);

        public SilencePolicy {
            if (promptMs < 0 || maxPrompts < 0) {
                throw new IllegalArgumentException("bad silence policy: " + promptMs + " ms, " + maxPrompts);
            }
        }

        public boolean enabled() {
            return promptMs > 0;
        }
    }
}
