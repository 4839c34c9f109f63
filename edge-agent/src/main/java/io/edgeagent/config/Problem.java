package io.edgeagent.config;

/**
 * One thing wrong with a configuration or rule file: where ({@code path}, and {@code line} when known, else 0), the
 * value found (null when absent) and what was expected.
 */
public record Problem(String source, int line, String path, String value, String message) {

    /** Renders as {@code config.yaml:12: broker.qos = "2": expected 0 or 1}, the form a person can act on. */
    public String describe() {
        StringBuilder text = new StringBuilder(source);
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(": ");
        if (path != null && !path.isEmpty()) {
            text.append(path);
            if (value != null) {
                text.append(" = \"").append(value).append('"');
            }
            text.append(": ");
        }
        return text.append(message).toString();
    }
}
