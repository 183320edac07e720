package gateway.config;

/**
 * One key of the effective configuration as {@code --print-config} shows it: its name, its value (a secret's
 * replaced by {@link #MASK}) and where the value came from.
 */
public record EffectiveSetting(String key, String value, Source source) {

    /** What a secret's value is shown as when it is set. */
    public static final String MASK = "********";

    /** Where a value came from; later ones override earlier ones. */
    public enum Source {
        DEFAULT, FILE, ENV, FLAG;

        /** The lower-case word shown, e.g. {@code flag}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The setting of {@code key}, masked when {@code secret} and not empty. */
    static EffectiveSetting of(String key, boolean secret, String value, Source source) {
        String shown = value == null ? "" : value;
        return new EffectiveSetting(key, secret && !shown.isBlank() ? MASK : shown, source);
    }

    /** {@code key = value  (source)}, one line of {@code --print-config}. */
    @Override
    public String toString() {
        return key + " = " + value.replace("\n", "\\n") + "  (" + source.word() + ")";
    }
}
