package gateway.library;

/**
 * What the call's Realtime sessions reported using, summed over every {@code response.done}: the responses and
 * their input and output tokens, each as text and audio ({@code inputCachedTokens} of the input came from the
 * service's cache), so a QA or finance user can see what a call cost.
 */
public record CallUsage(long responses, long inputTextTokens, long inputAudioTokens, long inputCachedTokens,
                        long outputTextTokens, long outputAudioTokens) {

    /** No response yet. */
    public static final CallUsage NONE = new CallUsage(0, 0, 0, 0, 0, 0);

    public CallUsage {
        if (responses < 0 || inputTextTokens < 0 || inputAudioTokens < 0 || inputCachedTokens < 0
                || outputTextTokens < 0 || outputAudioTokens < 0) {
            throw new IllegalArgumentException("negative usage");
        }
    }

    /** Every token, input and output. */
    public long totalTokens() {
        return inputTextTokens + inputAudioTokens + outputTextTokens + outputAudioTokens;
    }

    /** This usage with one more response's tokens added. */
    public CallUsage plus(long inputText, long inputAudio, long inputCached, long outputText, long outputAudio) {
        return new CallUsage(responses + 1, inputTextTokens + inputText, inputAudioTokens + inputAudio,
                inputCachedTokens + inputCached, outputTextTokens + outputText, outputAudioTokens + outputAudio);
    }
}
