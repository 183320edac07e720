package gateway.bridge;

import gateway.bridge.call.AgentProfile;
import gateway.bridge.call.TransferPolicy;
import gateway.bridge.tools.Tool;
import gateway.bridge.tools.WebhookClient;
import gateway.bridge.tools.WebhookTool;
import gateway.config.GatewayConfig;
import gateway.config.InstructionTemplate;
import gateway.config.SourceFilter;
import gateway.realtime.SessionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Makes the agent a call gets from its validated configuration: the one place that maps agent keys to a call. */
final class AgentProfiles {

    private AgentProfiles() {
    }

    /**
     * The profile {@code name} from {@code agent}; {@code pauseTools} offers the recording's pause tools;
     * {@code webhooks} posts the configured tools' requests (null when the agent has none).
     */
    static AgentProfile of(String name, GatewayConfig.Agent agent, boolean pauseTools, WebhookClient webhooks) {
        List<Tool> tools = new ArrayList<>();
        for (GatewayConfig.WebhookTool tool : agent.tools()) {
            tools.add(new WebhookTool(new SessionSettings.Tool(tool.name(), tool.description(), tool.parameters()),
                    tool.url(), tool.timeoutMs(), tool.headers(), webhooks));
        }
        InstructionTemplate template = InstructionTemplate.parse(agent.instructions(), agent.contextHeaders());
        SourceFilter sources = agent.allowedSources();
        return new AgentProfile(name, session(agent), agent.greeting(),
                new AgentProfile.SilencePolicy(agent.silencePromptMs(), agent.silenceMaxPrompts()), pauseTools,
                agent.endCallTool(), agent.dtmfTool(), tools, agent.dtmfToModel(), agent.contextHeaders(),
                template.hasPlaceholders() ? call -> template.render(call.from(), call.to(), call::values) : null,
                sources == null ? null : sources::allows, transfer(agent.transfer()), agent.earlyMedia());
    }

    /** Where transfer_call and the fallback send the caller. */
    static TransferPolicy transfer(GatewayConfig.Transfer transfer) {
        return new TransferPolicy(transfer.target(), transfer.destinations(), transfer.xHeaders(),
                transfer.userToUser(), transfer.timeoutMs(), transfer.fallback());
    }

    /** What each Realtime session is told, without the function tools (the profile adds them). */
    static SessionSettings session(GatewayConfig.Agent agent) {
        GatewayConfig.TurnDetection vad = agent.turnDetection();
        SessionSettings.TurnDetection turnDetection = GatewayConfig.TurnDetection.SEMANTIC_VAD.equals(vad.type())
                ? new SessionSettings.TurnDetection.SemanticVad(vad.eagerness())
                : new SessionSettings.TurnDetection.ServerVad(vad.threshold(), vad.prefixPaddingMs(),
                        vad.silenceDurationMs());
        SessionSettings.NoiseReduction noise = agent.noiseReduction() == null ? null
                : SessionSettings.NoiseReduction.valueOf(agent.noiseReduction().toUpperCase(Locale.ROOT));
        List<SessionSettings.McpServer> servers = new ArrayList<>();
        for (GatewayConfig.McpServer server : agent.mcpServers()) {
            servers.add(new SessionSettings.McpServer(server.label(), server.url().toString(), server.description(),
                    server.allowedTools(), server.requireApproval(), server.headers(), server.authorization()));
        }
        return new SessionSettings(agent.instructions(), agent.voice(),
                new SessionSettings.Transcription(agent.transcriptionModel(), agent.transcriptionLanguage(),
                        agent.transcriptionPrompt()),
                turnDetection, noise, agent.maxOutputTokens(), List.of(), servers);
    }
}
