package gateway.realtime;

import gateway.time.CallTimeline;
import java.util.Locale;

/**
 * The audio format of a Realtime session, the same both ways (docs/realtime-protocol.md §2): PCM16 at 24 kHz, or
 * G.711 μ-law or A-law at 8 kHz, one octet per sample and so per 8 kHz RTP timestamp unit.
 */
public enum AudioFormat {
    /** {@code audio/pcm} at 24 kHz: the call timeline's own samples. */
    PCM24K("audio/pcm"),
    /** {@code audio/pcmu}: G.711 μ-law at 8 kHz. */
    PCMU("audio/pcmu"),
    /** {@code audio/pcma}: G.711 A-law at 8 kHz. */
    PCMA("audio/pcma");

    private final String wireType;

    AudioFormat(String wireType) {
        this.wireType = wireType;
    }

    /** The {@code format.type} of session.update. */
    public String wireType() {
        return wireType;
    }

    /** True for the 8 kHz G.711 formats, whose audio travels as one code octet per sample. */
    public boolean g711() {
        return this != PCM24K;
    }

    /** Call timeline (24 kHz) samples spanned by {@code units} of this format's audio: samples or octets. */
    public long timelineSamples(long units) {
        return g711() ? CallTimeline.rtpUnitsToSamples(units) : units;
    }

    /** The name in config ({@code realtime.audio-format}): pcm24k, pcmu or pcma. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format of a config name; {@link IllegalArgumentException} naming the choices for anything else. */
    public static AudioFormat named(String name) {
        for (AudioFormat format : values()) {
            if (format.configName().equals(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not one of pcm24k, pcmu, pcma");
    }
}
