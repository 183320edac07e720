package gateway.qa;

import java.util.Locale;
import java.util.Optional;

/** What a QA API token may do: a viewer lists, listens and downloads; an admin may also change and audit. */
public enum ApiRole {
    /** Lists calls, listens to and downloads recordings, reviews calls and notes them. */
    VIEWER,
    /** Also deletes, pauses, holds, shares and exports calls, controls calls in progress and reads the audit log. */
    ADMIN;

    /** The name in config and JSON: {@code viewer} or {@code admin}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code name} in config, any case. */
    public static Optional<ApiRole> parse(String name) {
        for (ApiRole role : values()) {
            if (role.jsonName().equalsIgnoreCase(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
